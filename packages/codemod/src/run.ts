import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { discoverFiles } from './find/discover.js';
import { analyseAll, defaultJobs } from './find/analyse-all.js';
import { connectEntryListeners } from './find/entry-listeners.js';
import { dirtyFiles, gitTopLevel } from './write/git.js';
import type { AnalysisOptions } from './find/detection.js';
import type { FileFacts, FileOutcome } from './find/analyse.js';
import type { ConfigLookup } from './find/eslint-config.js';
import type { CodemodReport, DependencyResult, ScopeReport, FileError, FileResult, ReviewItem } from './report/types.js';
import { jobsProblem, UsageProblem } from './errors.js';
import { writeIfUnchanged } from './write/write.js';
import type { ProjectFormatters } from './write/format.js';
import { addShimDependency, installCommand, nearestManifest, SHIM_RANGE, type ManifestEdit } from './write/manifest.js';
import { IMPORTS_SHIM, SHIM_MODULE } from './plan/shim.js';

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
  /**
   * Entry files for `quiesce/require-shutdown-handler`, besides the plugin's own (a package `bin`, the file its
   * `start` script runs, a Dockerfile or Procfile command, `settings.quiesce.entries`). Each must exist.
   */
  readonly entries?: readonly string[];
  /** Extra globs to skip. */
  readonly ignores?: readonly string[];
  /** Write files even if git shows uncommitted changes in them. */
  readonly allowDirty?: boolean;
  /** `settings.quiesce` for the plugin (trackers, timers). */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly onProgress?: (progress: { readonly phase: 'lint' | 'write'; readonly done: number; readonly total: number }) => void;
  /**
   * Format the changed files with the project's own Prettier, Biome or dprint when one is configured (default true;
   * the CLI's `--no-format` sets false).
   */
  readonly format?: boolean;
  /**
   * Take the files, rules, settings and entries from the project's own ESLint config when it uses the plugin
   * (default true; the CLI's `--no-eslint-config` sets false, and the default scope applies).
   */
  readonly eslintConfig?: boolean;
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
  const relative = (file: string): string => path.relative(cwd, file).split(path.sep).join('/') || '.';
  const absoluteInputs = paths.map((input) => path.resolve(cwd, input));
  const gitRoot = gitTopLevel(cwd);
  const root = commonDirectory([cwd, ...absoluteInputs.map((input) => path.dirname(input))]);
  const discovered = await discoverFiles({ cwd, root: gitRoot ?? root, paths, ignores: options.ignores ?? [], defaultScope: true });
  // Entry files are the plugin's (isEntryFile: bin, the file `start` runs, Dockerfile/Procfile commands,
  // settings.quiesce.entries) plus those named here: one default, the rule's.
  const entries = (options.entries ?? []).map((entry) => {
    const absolute = path.resolve(cwd, entry);
    if (!existsSync(absolute)) throw new UsageProblem(`--entry ${entry}: no such file (give the path of an entry file that exists)`);
    return absolute;
  });
  const notes: string[] = [];
  // One truth with the user's config: where the project's ESLint config uses the plugin, it decides the files, and
  // each file's rules, settings and entries; otherwise the default scope skips tests, examples, fixtures, benchmarks, docs.
  const lookup: ConfigLookup =
    options.eslintConfig === false
      ? { kind: 'none' }
      : await (await import('./find/eslint-config.js')).readProjectConfig([...discovered.files, ...discovered.outOfScope].sort(), cwd, gitRoot ?? root);
  let files: string[];
  let scope: ScopeReport;
  if (lookup.kind === 'config') {
    const covered = new Set(Object.keys(lookup.config.configOf));
    files = [...discovered.files, ...discovered.outOfScope].filter((file) => covered.has(file)).sort();
    scope = { from: 'eslint-config', config: relative(lookup.config.file), skipped: lookup.config.outOfConfig.length };
    if (lookup.config.outOfConfig.length > 0) {
      notes.push(`Scope from ${relative(lookup.config.file)}: ${lookup.config.outOfConfig.length} file(s) it ignores or lints without the plugin's rules were not analysed.`);
    }
  } else {
    if (lookup.kind === 'unused') notes.push(lookup.note);
    const folders = skippedFolders(discovered.outOfScope, relative);
    // A path named on the command line (other than the default, the current directory) is analysed as asked.
    const named = absoluteInputs.filter((input) => input !== cwd);
    const asked = (file: string): boolean => named.some((input) => file === input || file.startsWith(input + path.sep));
    const byRole = await withoutUnrewritableRoles(discovered.files.filter((file) => !asked(file)), root, options.settings, entries);
    files = [...byRole.files, ...discovered.files.filter(asked)].sort();
    scope = {
      from: 'defaults',
      skipped: discovered.outOfScope.length + byRole.skipped.length,
      skippedFolders: folders,
      ...(byRole.skipped.length > 0 ? { skippedByRole: byRole.reasons } : {}),
    };
    if (discovered.outOfScope.length > 0) {
      const names = Object.keys(folders);
      notes.push(
        `Not analysed: ${discovered.outOfScope.length} file(s) in tests, examples, fixtures, benchmarks or docs (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}), ` +
          `which the codemod skips by default; name one as a path to include it (quiesce-codemod ${names[0] ?? '<folder>'}), or use an ESLint config that lints it with the plugin.`,
      );
    }
    if (byRole.skipped.length > 0) {
      const examples = byRole.skipped.slice(0, 3).map(({ file, reason }) => `${relative(file)}: ${reason}`);
      notes.push(
        `Not analysed: ${byRole.skipped.length} file(s) that the plugin's roles make command-line tools, one-shot scripts (migrations, seeds), tests or browser code, where no shutdown rule applies (${examples.join('; ')}${byRole.skipped.length > 3 ? '; …' : ''}); ` +
          `to include one, list it in settings.quiesce.entries of an ESLint config that uses the plugin (the lint then reports it too).`,
      );
    }
  }
  // project.ts needs TypeScript (ts-morph's): loaded only when tsconfigs are named.
  const tsconfigs =
    typeCheck && (options.projects ?? []).length > 0
      ? (await import('./find/project.js')).expandProjects(cwd, options.projects ?? [])
      : [];
  // ESLint's base path in a config that stands for this run (its `cwd` and typescript-eslint's `tsconfigRootDir`).
  const analysisRoot = commonDirectory([root, ...tsconfigs.map((tsconfig) => path.dirname(tsconfig))]);

  const results: FileResult[] = [];
  const fileResults = { push: (result: FileResult): void => void results.push(result) };
  const reviews: ReviewItem[] = [];
  const errors: FileError[] = [];
  const pending: PendingChange[] = [];
  const analysisOptions: AnalysisOptions = {
    root: analysisRoot,
    typeCheck,
    tsconfigs,
    entries,
    ...(options.settings ? { settings: options.settings } : {}),
    ...(lookup.kind === 'config' ? { projectConfig: { cwd: lookup.config.cwd, configs: lookup.config.configs, configOf: lookup.config.configOf } } : {}),
    ...(lookup.kind !== 'none' && lookup.commentRules ? { commentRules: lookup.commentRules } : {}),
  };
  const analysis = await analyseAll(
    files,
    analysisOptions,
    { shouldStop, onOutcome: (done) => options.onProgress?.({ phase: 'lint', done, total: files.length }) },
    options.jobs ?? defaultJobs(files.length),
  );
  let interrupted = analysis.interrupted;
  // An entry that owns its signal with its own listener is connected to the shim's drain when another file of its
  // package got work on the shim (find/entry-listeners.ts): otherwise nothing would drain that work.
  const outcomes = interrupted ? analysis.outcomes : await connectEntryListeners(analysis.outcomes, gitRoot ?? root, analysisOptions.commentRules);
  for (const outcome of outcomes) {
    const name = relative(outcome.file);
    reviews.push(...outcome.reviews.map((review) => ({ file: name, ...review })));
    const facts = factsOf(outcome);
    if (outcome.status === 'changed') {
      pending.push({ file: outcome.file, before: outcome.before, after: outcome.after, fixes: outcome.fixes, facts });
      continue;
    }
    if (outcome.status === 'error') errors.push({ file: name, message: outcome.reason ?? 'failed' });
    results.push({ file: name, status: outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}), fixes: {}, ...reportFacts(facts) });
  }
  pending.sort((a, b) => a.file.localeCompare(b.file));
  options.onProgress?.({ phase: 'lint', done: files.length, total: files.length });

  if (options.format !== false && pending.length > 0) {
    const { ProjectFormatters } = await import('./write/format.js');
    await formatChanges(pending, new ProjectFormatters(gitRoot ?? root), notes);
  }
  const manifestChanges = shimDependencies(pending, relative, reviews, notes, gitRoot ?? root);
  pending.push(...manifestChanges);

  const changes = pending.map(({ file, before, after }) => ({ file, before, after }));
  let refusal: string | undefined;
  let dirty = new Set<string>();
  if (mode === 'write' && !options.allowDirty && pending.length > 0) {
    if (!gitRoot) {
      refusal =
        `refusing to write: ${relative(cwd) === '.' ? 'this directory' : relative(cwd)} is not in a git work tree, so there is no version control to undo the rewrite with.\n` +
        `put it under git and commit first (git init && git add -A && git commit), so the rewrite can be reviewed and undone, or pass --allow-dirty to write anyway.`;
    } else {
      dirty = new Set(dirtyFiles(gitRoot, pending.map(({ file }) => file)));
      if (dirty.size > 0) {
        refusal =
          `refusing to write: ${dirty.size} of the ${pending.length} file(s) it would change ${dirty.size === 1 ? 'has' : 'have'} uncommitted changes, which block the write:\n` +
          [...dirty].map((file) => `  ${relative(file)}`).join('\n') +
          '\ncommit or stash them first (so the rewrite can be reviewed and undone), or pass --allow-dirty.';
      }
    }
  }

  let written = 0;
  const dependencies: DependencyResult[] = [];
  const writeOne = async (change: PendingChange): Promise<void> => {
    const { file, before, after, fixes, facts } = change;
    const name = relative(file);
    const results = change.dependency ? new DependencyResults(dependencies, change.dependency) : fileResults;
    const known = { ...reportFacts(facts), ...(change.formatted ? { formatted: change.formatted } : {}), ...(change.formatNote ? { formatNote: change.formatNote } : {}) };
    if (mode !== 'write') {
      results.push({ file: name, status: 'changed', fixes, ...known });
      return;
    }
    if (refusal) {
      const reason = !gitRoot
        ? 'not written: not in a git work tree (commit first, or see --allow-dirty)'
        : dirty.has(file)
          ? 'not written: this file has uncommitted changes (commit or stash them, or see --allow-dirty)'
          : 'not written: other files of this run have uncommitted changes, which block the write (listed above)';
      results.push({ file: name, status: 'skipped', reason, fixes, ...known });
      return;
    }
    if (interrupted || shouldStop()) {
      interrupted = true;
      results.push({ file: name, status: 'unchanged', reason: 'not written: the run was interrupted', fixes: {}, ...known });
      return;
    }
    options.onProgress?.({ phase: 'write', done: written, total: pending.length });
    try {
      await writeIfUnchanged(file, before, after);
      results.push({ file: name, status: 'changed', fixes, ...known });
    } catch (error) {
      const message = (error as Error).message;
      errors.push({ file: name, message });
      results.push({ file: name, status: 'error', reason: message, fixes: {}, ...known });
    }
    written += 1;
  };
  // Each write waits for its data to reach the disk (fsync) before the rename; several at once keep the
  // disk busy instead of the run waiting on one file at a time. Every write stays atomic on its own.
  await forEachConcurrently(pending, WRITE_CONCURRENCY, writeOne);

  results.sort((a, b) => a.file.localeCompare(b.file));
  errors.sort((a, b) => a.file.localeCompare(b.file));
  const count = (status: FileResult['status']): number => results.filter((result) => result.status === status).length;
  const analysed = results.filter((result) => result.analysed);
  const untyped = analysed.filter((result) => !result.typeChecked);
  const untypedReasons: Record<string, number> = {};
  for (const result of untyped) {
    const reason = result.untypedReason ?? 'unknown';
    untypedReasons[reason] = (untypedReasons[reason] ?? 0) + 1;
  }
  const allFindings = results.flatMap((result) => result.findings);
  const report: CodemodReport = {
    version: 1,
    root: cwd,
    mode,
    typeChecked: analysed.length > 0 && untyped.length === 0,
    files: results,
    scope,
    dependencies: dependencies.sort((a, b) => a.file.localeCompare(b.file)),
    reviews,
    errors,
    notes,
    summary: {
      changed: count('changed'),
      unchanged: count('unchanged'),
      skipped: count('skipped'),
      errors: count('error'),
      reviews: reviews.length,
      findings: allFindings.length,
      rewrites: allFindings.filter((finding) => finding.fix === 'rewrite').length,
      notAnalysed: results.length - analysed.length,
      untyped: untyped.length,
      untypedReasons,
      formatted: results.filter((result) => result.formatted !== undefined).length,
    },
    interrupted,
  };
  return { report, changes, ...(refusal ? { refusal } : {}) };
}

const WRITE_CONCURRENCY = 8;

interface PendingChange {
  readonly file: string;
  readonly before: string;
  after: string;
  readonly fixes: Record<string, number>;
  readonly facts: FileFacts;
  /** Set for a package.json that gets the shim as a dependency. */
  readonly dependency?: { readonly added: string; readonly install: string };
  formatted?: string;
  formatNote?: string;
}

/** Collects a package.json's outcome as a dependency result (the writer treats it like a source file's). */
class DependencyResults {
  constructor(
    readonly into: DependencyResult[],
    readonly dependency: { readonly added: string; readonly install: string },
  ) {}
  push(result: FileResult): void {
    this.into.push({
      file: result.file,
      status: result.status,
      ...(result.reason ? { reason: result.reason } : {}),
      added: this.dependency.added,
      install: this.dependency.install,
    });
  }
}

/**
 * Formats each changed file with the project's own formatter, when the file was formatted with it before the run
 * (so nothing the rewrite did not touch changes). What could not be formatted keeps the surrounding style, and says why.
 */
async function formatChanges(pending: PendingChange[], formatters: ProjectFormatters, notes: string[]): Promise<void> {
  const problems = new Set<string>();
  await forEachConcurrently(pending, FORMAT_CONCURRENCY, async (change) => {
    const lookup = await formatters.forFile(change.file);
    if (lookup.kind === 'none') return;
    if (lookup.kind === 'problem') {
      problems.add(lookup.problem);
      change.formatNote = 'not formatted: its formatter is not installed (see the notes)';
      return;
    }
    const { formatter } = lookup;
    try {
      const original = await formatter.format(change.file, change.before);
      if (original === undefined) {
        change.formatNote = `not formatted: ${formatter.name}'s configuration ignores this file`;
        return;
      }
      if (original !== change.before) {
        change.formatNote = `not formatted: the file was not formatted with ${formatter.name} before the run, and formatting it would change lines the rewrite did not touch (kept in its own style)`;
        return;
      }
      const formatted = await formatter.format(change.file, change.after);
      if (formatted !== undefined) {
        change.after = formatted;
        change.formatted = `${formatter.name} ${formatter.version}`;
      }
    } catch (error) {
      change.formatNote = `not formatted: ${formatter.name} failed on it (${(error as Error).message.split('\n')[0]}); kept in its own style`;
    }
  });
  notes.push(...problems);
}

const FORMAT_CONCURRENCY = 4;

/**
 * The package.json edits that give each service package whose files now import the shim the shim as a dependency
 * (nothing is installed: a note says how, with the package's own package manager), and a review item for an
 * `engines.node` range the shim does not support.
 */
function shimDependencies(
  pending: readonly PendingChange[],
  relative: (file: string) => string,
  reviews: ReviewItem[],
  notes: string[],
  top: string,
): PendingChange[] {
  const manifests = new Set<string>();
  for (const change of pending) {
    if (change.facts.role?.role !== 'service' || !IMPORTS_SHIM.test(change.after)) continue;
    const manifest = nearestManifest(change.file, top);
    if (manifest) manifests.add(manifest);
  }
  const edits: PendingChange[] = [];
  for (const manifest of [...manifests].sort()) {
    let edit: ManifestEdit;
    try {
      edit = addShimDependency(manifest, readFileSync(manifest, 'utf8'));
    } catch (error) {
      notes.push(`${relative(manifest)}: cannot add ${SHIM_MODULE} to its dependencies (${(error as Error).message}); add "${SHIM_MODULE}": "${SHIM_RANGE}" by hand`);
      continue;
    }
    if (edit.engines) {
      reviews.push({ file: relative(manifest), line: edit.engines.line, column: edit.engines.column, ruleId: 'quiesce-codemod/engines', reason: edit.engines.reason, marker: 'none' });
    }
    if (edit.after === undefined) continue;
    const install = installCommand(manifest);
    edits.push({
      file: manifest,
      before: edit.before,
      after: edit.after,
      fixes: {},
      facts: { analysed: true, typeChecked: false, findings: [] },
      dependency: { added: `${SHIM_MODULE}@${SHIM_RANGE}`, install },
    });
  }
  return edits;
}

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

/** The folders (relative, with a trailing `/`) that hold skipped files, with how many each holds. */
/**
 * The files the plugin's roles leave to the rewrite: its tools (a library's bin, a developer script the package runs,
 * a CI workflow's script), tests and browser code get none of the shutdown rules, so nothing there can be rewritten
 * (the role of a file named with --entry is the plugin's too, but it was asked for: it stays).
 */
async function withoutUnrewritableRoles(
  files: readonly string[],
  cwd: string,
  settings: Readonly<Record<string, unknown>> | undefined,
  entries: readonly string[],
): Promise<{ files: string[]; skipped: { file: string; reason: string }[]; reasons: Record<string, number> }> {
  const { roleOf } = await import('@quiesce/eslint-plugin/detect');
  const kept: string[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const reasons: Record<string, number> = {};
  for (const file of files) {
    let decided: { role: string; reason: string };
    try {
      decided = roleOf(file, { cwd, ...(settings ? { settings } : {}) });
    } catch {
      // A role that cannot be decided (settings the plugin rejects) is no reason to skip the file: its analysis fails
      // the same way and reports it as that file's error, naming the cause.
      kept.push(file);
      continue;
    }
    const { role, reason } = decided;
    if (role === 'service' || role === 'library' || entries.includes(file)) {
      kept.push(file);
      continue;
    }
    skipped.push({ file, reason });
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  return { files: kept, skipped, reasons };
}

function skippedFolders(files: readonly string[], relative: (file: string) => string): Record<string, number> {
  const folders: Record<string, number> = {};
  for (const file of files) {
    const segments = relative(file).split('/');
    const at = segments.findIndex((segment, index) => index < segments.length - 1 && SKIPPED_FOLDER.test(segment));
    const folder = at >= 0 ? segments.slice(0, at + 1).join('/') + '/' : relative(file);
    folders[folder] = (folders[folder] ?? 0) + 1;
  }
  return folders;
}

const SKIPPED_FOLDER = /^(?:tests?|__tests__|spec|__mocks__|e2e|fixtures|__fixtures__|examples?|bench|benchmarks?|docs?)$/;

function factsOf(outcome: FileOutcome): FileFacts {
  return {
    analysed: outcome.analysed,
    typeChecked: outcome.typeChecked,
    ...(outcome.untypedReason === undefined ? {} : { untypedReason: outcome.untypedReason }),
    ...(outcome.role === undefined ? {} : { role: outcome.role }),
    findings: outcome.findings,
  };
}

/** The report's fields of a file, in the report's order. */
function reportFacts(facts: FileFacts): Omit<FileResult, 'file' | 'status' | 'reason' | 'fixes'> {
  return {
    analysed: facts.analysed,
    typeChecked: facts.typeChecked,
    ...(facts.untypedReason === undefined ? {} : { untypedReason: facts.untypedReason }),
    ...(facts.role === undefined ? {} : { role: facts.role.role, roleReason: facts.role.reason }),
    findings: facts.findings,
  };
}
