import { existsSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { DEFAULT_IGNORES, discoverFiles } from './find/discover.js';
import { analyseAll, defaultJobs } from './find/analyse-all.js';
import { dirtyFiles, gitTopLevel } from './write/git.js';
import type { AnalysisOptions } from './find/detection.js';
import { packageEntries } from './find/entries.js';
import type { CodemodReport, FileError, FileResult, ReviewItem } from './report/types.js';
import { jobsProblem, UsageProblem } from './errors.js';
import { writeIfUnchanged } from './write/write.js';

export interface CodemodOptions {
  /** Directory paths are relative to; report paths too. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Files or directories to rewrite. Default `['.']`. */
  readonly paths?: readonly string[];
  /** `write` (default) changes files; `dry-run` and `check` only compute the changes. */
  readonly mode?: 'write' | 'dry-run' | 'check';
  /** Analyse with type information (default true). */
  readonly typeCheck?: boolean;
  /** tsconfig files; default the nearest `tsconfig.json` and those found below the paths. */
  readonly projects?: readonly string[];
  /** Entry files for `quiesce/require-shutdown-handler`, besides `package.json` `main`/`bin`. */
  readonly entries?: readonly string[];
  /** Extra globs to skip. */
  readonly ignores?: readonly string[];
  /** Write files even if git shows uncommitted changes in them. */
  readonly allowDirty?: boolean;
  /** `settings.quiesce` for the plugin (trackers, timers). */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly onProgress?: (progress: { readonly phase: 'lint' | 'write'; readonly done: number; readonly total: number }) => void;
  /** Polled between files; when it returns true the run stops before the next file (SIGINT). */
  readonly shouldStop?: () => boolean;
  /**
   * Threads that analyse and rewrite at the same time (default: one less than the CPUs available, at most 4, and
   * no more than the free memory holds). Each builds its own TypeScript program, so a thread is only started
   * for every 100 files.
   */
  readonly jobs?: number;
}

export interface FileChange {
  readonly file: string;
  readonly before: string;
  readonly after: string;
}

export interface CodemodResult {
  readonly report: CodemodReport;
  /** Every change computed (also in dry-run and check mode), with the files' full content before and after. */
  readonly changes: readonly FileChange[];
  /** Set when the run refused to write (uncommitted changes): what to do about it. */
  readonly refusal?: string;
}


/** Analyses, rewrites and (in `write` mode) writes. Usage problems throw; file problems land in the report. */
export async function runCodemod(options: CodemodOptions = {}): Promise<CodemodResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const paths = options.paths && options.paths.length > 0 ? options.paths : ['.'];
  const mode = options.mode ?? 'write';
  const typeCheck = options.typeCheck ?? true;
  const shouldStop = options.shouldStop ?? (() => false);
  const badJobs = options.jobs === undefined ? undefined : jobsProblem(options.jobs, `jobs ${options.jobs}`);
  if (badJobs) throw new UsageProblem(badJobs);
  const absoluteInputs = paths.map((input) => path.resolve(cwd, input));
  const gitRoot = gitTopLevel(cwd);
  const root = commonDirectory([cwd, ...absoluteInputs.map((input) => path.dirname(input))]);
  const files = await discoverFiles({ cwd, root: gitRoot ?? root, paths, ignores: options.ignores ?? [] });
  const fileSet = new Set(files);
  const inputDirectories = absoluteInputs.map((input) => (fileSet.has(input) ? path.dirname(input) : input));
  const searchIgnores = { ignore: DEFAULT_IGNORES, absolute: true } as const;
  // project.ts needs TypeScript (ts-morph's): loaded only when tsconfigs are named.
  const tsconfigs =
    typeCheck && (options.projects ?? []).length > 0
      ? (await import('./find/project.js')).expandProjects(cwd, options.projects ?? [])
      : [];
  const manifests = [
    ...inputDirectories.map(nearestManifest).filter((file): file is string => file !== undefined),
    ...(await Promise.all(inputDirectories.map((cwdOfGlob) => glob('**/package.json', { ...searchIgnores, cwd: cwdOfGlob })))).flat(),
  ].map((file) => path.resolve(file));
  const entries = [
    ...packageEntries(manifests, fileSet),
    ...(options.entries ?? []).map((entry) => path.resolve(cwd, entry)),
  ];
  // ESLint's base path in a config that stands for this run (its `cwd` and typescript-eslint's `tsconfigRootDir`).
  const analysisRoot = commonDirectory([root, ...tsconfigs.map((tsconfig) => path.dirname(tsconfig))]);

  const relative = (file: string): string => path.relative(cwd, file).split(path.sep).join('/') || '.';
  const results: FileResult[] = [];
  const reviews: ReviewItem[] = [];
  const errors: FileError[] = [];
  const pending: { file: string; before: string; after: string; fixes: Record<string, number> }[] = [];
  const analysisOptions: AnalysisOptions = {
    root: analysisRoot,
    typeCheck,
    tsconfigs,
    entries,
    ...(options.settings ? { settings: options.settings } : {}),
  };
  const analysis = await analyseAll(
    files,
    analysisOptions,
    { shouldStop, onOutcome: (done) => options.onProgress?.({ phase: 'lint', done, total: files.length }) },
    options.jobs ?? defaultJobs(files.length),
  );
  let interrupted = analysis.interrupted;
  for (const outcome of analysis.outcomes) {
    const name = relative(outcome.file);
    reviews.push(...outcome.reviews.map((review) => ({ file: name, ...review })));
    if (outcome.status === 'changed') {
      pending.push({ file: outcome.file, before: outcome.before, after: outcome.after, fixes: outcome.fixes });
      continue;
    }
    if (outcome.status === 'error') errors.push({ file: name, message: outcome.reason ?? 'failed' });
    results.push({ file: name, status: outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}), fixes: {} });
  }
  pending.sort((a, b) => a.file.localeCompare(b.file));
  options.onProgress?.({ phase: 'lint', done: files.length, total: files.length });

  const changes = pending.map(({ file, before, after }) => ({ file, before, after }));
  let refusal: string | undefined;
  if (mode === 'write' && !options.allowDirty && gitRoot && pending.length > 0) {
    const dirty = dirtyFiles(gitRoot, pending.map(({ file }) => file));
    if (dirty.length > 0) {
      refusal =
        `refusing to write: ${dirty.length} file(s) it would change have uncommitted changes:\n` +
        dirty.map((file) => `  ${relative(file)}`).join('\n') +
        '\ncommit or stash them first (so the rewrite can be reviewed and undone), or pass --allow-dirty.';
    }
  }

  let written = 0;
  const writeOne = async ({ file, before, after, fixes }: (typeof pending)[number]): Promise<void> => {
    const name = relative(file);
    if (mode !== 'write') {
      results.push({ file: name, status: 'changed', fixes });
      return;
    }
    if (refusal) {
      results.push({ file: name, status: 'skipped', reason: 'not written: uncommitted changes in the work tree (see --allow-dirty)', fixes });
      return;
    }
    if (interrupted || shouldStop()) {
      interrupted = true;
      results.push({ file: name, status: 'unchanged', reason: 'not written: the run was interrupted', fixes: {} });
      return;
    }
    options.onProgress?.({ phase: 'write', done: written, total: pending.length });
    try {
      await writeIfUnchanged(file, before, after);
      results.push({ file: name, status: 'changed', fixes });
    } catch (error) {
      const message = (error as Error).message;
      errors.push({ file: name, message });
      results.push({ file: name, status: 'error', reason: message, fixes: {} });
    }
    written += 1;
  };
  // Each write waits for its data to reach the disk (fsync) before the rename; several at once keep the
  // disk busy instead of the run waiting on one file at a time. Every write stays atomic on its own.
  await forEachConcurrently(pending, WRITE_CONCURRENCY, writeOne);

  results.sort((a, b) => a.file.localeCompare(b.file));
  errors.sort((a, b) => a.file.localeCompare(b.file));
  const count = (status: FileResult['status']): number => results.filter((result) => result.status === status).length;
  const report: CodemodReport = {
    version: 1,
    root: cwd,
    mode,
    typeChecked: typeCheck,
    files: results,
    reviews,
    errors,
    summary: {
      changed: count('changed'),
      unchanged: count('unchanged'),
      skipped: count('skipped'),
      errors: count('error'),
      reviews: reviews.length,
    },
    interrupted,
  };
  return { report, changes, ...(refusal ? { refusal } : {}) };
}

const WRITE_CONCURRENCY = 8;

async function forEachConcurrently<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

function commonDirectory(directories: readonly string[]): string {
  const [first, ...rest] = directories.map((directory) => path.resolve(directory));
  let common = first ?? process.cwd();
  for (const directory of rest) {
    while (directory !== common && !directory.startsWith(common.endsWith(path.sep) ? common : common + path.sep)) {
      common = path.dirname(common);
    }
  }
  return common;
}

/** The package.json of the package a directory belongs to (its `main`/`bin` name entry files). */
function nearestManifest(directory: string): string | undefined {
  for (let current = directory; ; current = path.dirname(current)) {
    const candidate = path.join(current, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}
