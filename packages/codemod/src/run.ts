import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { DEFAULT_IGNORES, discoverFiles } from './discover.js';
import type { Finding } from './findings.js';
import { dirtyFiles, gitTopLevel } from './git.js';
import { PluginLinter, type PluginMessage } from './lint.js';
import { PackageTypeLookup } from './module-kind.js';
import { expandProjects, packageEntries } from './project.js';
import type { CodemodReport, FileError, FileResult, ReviewItem } from './report/types.js';
import { rewriteFile } from './rewrite-file.js';
import { LineIndex, readSourceText, toFileContent, type SourceText } from './source-text.js';
import { Parser } from './syntax.js';
import { transformedRuleIds } from './transforms/index.js';
import { writeIfUnchanged } from './write.js';

export interface CodemodOptions {
  /** Directory paths are relative to; report paths too. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Files or directories to rewrite. Default `['.']`. */
  readonly paths?: readonly string[];
  /** `write` (default) changes files; `dry-run` and `check` only compute the changes. */
  readonly mode?: 'write' | 'dry-run' | 'check';
  /** Lint with type information (default true). */
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

interface LoadedFile {
  readonly file: string;
  readonly raw: string;
  readonly source: SourceText;
}

/** Lints, rewrites and (in `write` mode) writes. Usage problems throw; file problems land in the report. */
export async function runCodemod(options: CodemodOptions = {}): Promise<CodemodResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const paths = options.paths && options.paths.length > 0 ? options.paths : ['.'];
  const mode = options.mode ?? 'write';
  const typeCheck = options.typeCheck ?? true;
  const shouldStop = options.shouldStop ?? (() => false);
  const absoluteInputs = paths.map((input) => path.resolve(cwd, input));
  const gitRoot = gitTopLevel(cwd);
  const root = commonDirectory([cwd, ...absoluteInputs.map((input) => path.dirname(input))]);
  const files = await discoverFiles({ cwd, root: gitRoot ?? root, paths, ignores: options.ignores ?? [] });
  const fileSet = new Set(files);
  const inputDirectories = absoluteInputs.map((input) => (fileSet.has(input) ? path.dirname(input) : input));
  const searchIgnores = { ignore: DEFAULT_IGNORES, absolute: true } as const;
  const tsconfigs = typeCheck ? expandProjects(cwd, options.projects ?? []) : [];
  const manifests = [
    ...inputDirectories.map(nearestManifest).filter((file): file is string => file !== undefined),
    ...(await Promise.all(inputDirectories.map((cwdOfGlob) => glob('**/package.json', { ...searchIgnores, cwd: cwdOfGlob })))).flat(),
  ].map((file) => path.resolve(file));
  const entries = [
    ...packageEntries(manifests, fileSet),
    ...(options.entries ?? []).map((entry) => path.resolve(cwd, entry)),
  ];
  const eslintRoot = commonDirectory([root, ...tsconfigs.map((tsconfig) => path.dirname(tsconfig))]);
  const linter = new PluginLinter({
    root: eslintRoot,
    typeCheck,
    tsconfigs,
    entries,
    ...(options.settings ? { settings: options.settings } : {}),
  });

  const relative = (file: string): string => path.relative(cwd, file).split(path.sep).join('/') || '.';
  const results: FileResult[] = [];
  const reviews: ReviewItem[] = [];
  const errors: FileError[] = [];
  const pending: { loaded: LoadedFile; after: string; fixes: Record<string, number> }[] = [];
  const parser = new Parser();
  const packageTypes = new PackageTypeLookup();
  let interrupted = false;

  for (const [index, file] of files.entries()) {
    if (shouldStop()) {
      interrupted = true;
      break;
    }
    options.onProgress?.({ phase: 'lint', done: index, total: files.length });
    const name = relative(file);
    let loaded: LoadedFile;
    try {
      const raw = await readFile(file, 'utf8');
      loaded = { file, raw, source: readSourceText(raw) };
    } catch (error) {
      errors.push({ file: name, message: `cannot read: ${(error as Error).message}` });
      results.push({ file: name, status: 'error', reason: 'cannot read', fixes: {} });
      continue;
    }
    let lint;
    try {
      lint = await linter.lint(file, loaded.source.text);
    } catch (error) {
      const message = `ESLint failed on this file: ${(error as Error).message.split('\n')[0]}`;
      errors.push({ file: name, message });
      results.push({ file: name, status: 'error', reason: message, fixes: {} });
      continue;
    }
    if (lint.fatal) {
      results.push({ file: name, status: 'skipped', reason: `syntax error at ${lint.fatal}`, fixes: {} });
      continue;
    }
    const findings = toFindings(lint.messages, loaded.source.text);
    if (findings.length === 0) {
      results.push({ file: name, status: 'unchanged', fixes: {} });
      continue;
    }
    const outcome = rewriteFile({ filePath: file, source: loaded.source, findings }, parser, packageTypes);
    reviews.push(...outcome.reviews.map((review) => ({ file: name, ...review })));
    switch (outcome.status) {
      case 'changed':
        pending.push({ loaded, after: toFileContent(loaded.source, outcome.text), fixes: outcome.fixes });
        break;
      case 'unchanged':
        results.push({ file: name, status: 'unchanged', fixes: {} });
        break;
      case 'skipped':
        results.push({ file: name, status: 'skipped', reason: outcome.reason, fixes: {} });
        break;
      case 'error':
        errors.push({ file: name, message: outcome.reason });
        results.push({ file: name, status: 'error', reason: outcome.reason, fixes: {} });
        break;
    }
  }
  options.onProgress?.({ phase: 'lint', done: files.length, total: files.length });

  const changes = pending.map(({ loaded, after }) => ({ file: loaded.file, before: loaded.raw, after }));
  let refusal: string | undefined;
  if (mode === 'write' && !options.allowDirty && gitRoot && pending.length > 0) {
    const dirty = dirtyFiles(gitRoot, pending.map(({ loaded }) => loaded.file));
    if (dirty.length > 0) {
      refusal =
        `refusing to write: ${dirty.length} file(s) it would change have uncommitted changes:\n` +
        dirty.map((file) => `  ${relative(file)}`).join('\n') +
        '\ncommit or stash them first (so the rewrite can be reviewed and undone), or pass --allow-dirty.';
    }
  }

  for (const [index, { loaded, after, fixes }] of pending.entries()) {
    const name = relative(loaded.file);
    if (mode !== 'write') {
      results.push({ file: name, status: 'changed', fixes });
      continue;
    }
    if (refusal) {
      results.push({ file: name, status: 'skipped', reason: 'not written: uncommitted changes in the work tree (see --allow-dirty)', fixes });
      continue;
    }
    if (interrupted || shouldStop()) {
      interrupted = true;
      results.push({ file: name, status: 'unchanged', reason: 'not written: the run was interrupted', fixes: {} });
      continue;
    }
    options.onProgress?.({ phase: 'write', done: index, total: pending.length });
    try {
      await writeIfUnchanged(loaded.file, loaded.raw, after);
      results.push({ file: name, status: 'changed', fixes });
    } catch (error) {
      const message = (error as Error).message;
      errors.push({ file: name, message });
      results.push({ file: name, status: 'error', reason: message, fixes: {} });
    }
  }

  results.sort((a, b) => a.file.localeCompare(b.file));
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

/** ESLint messages of the rules the codemod rewrites, positioned as offsets of `text`. */
function toFindings(messages: readonly PluginMessage[], text: string): Finding[] {
  const lines = new LineIndex(text);
  const findings: Finding[] = [];
  for (const message of messages) {
    if (!transformedRuleIds.has(message.ruleId)) continue;
    findings.push({
      ruleId: message.ruleId,
      messageId: message.messageId,
      message: message.message,
      data: message.data,
      start: lines.offsetOf(message.line, message.column - 1),
      end: lines.offsetOf(message.endLine, message.endColumn - 1),
      line: message.line,
      column: message.column,
    });
  }
  return findings;
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
