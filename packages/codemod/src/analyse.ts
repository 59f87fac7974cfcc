import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Finding } from './findings.js';
import { PluginLinter, type LintOptions, type PluginMessage } from './lint.js';
import type { FileReview, RewriteInput, RewriteOutcome } from './rewrite-file.js';
import { REWRITTEN_RULE_IDS } from './contract.js';
import { LineIndex, readSourceText, toFileContent } from './source-text.js';

/** What the analysis of one file found: plain data, so that it can come back from a worker thread. */
export type FileOutcome =
  | {
      readonly file: string;
      readonly status: 'changed';
      /** The content read (and linted), and the content to write. */
      readonly before: string;
      readonly after: string;
      readonly fixes: Record<string, number>;
      readonly reviews: readonly FileReview[];
    }
  | {
      readonly file: string;
      readonly status: 'unchanged' | 'skipped' | 'error';
      readonly reason?: string;
      readonly reviews: readonly FileReview[];
    };

/** Lints files with the plugin and computes their rewrites; writes nothing. One per thread. */
export class FileAnalyser {
  readonly #linter: PluginLinter;
  #rewriter: Promise<(input: RewriteInput) => RewriteOutcome> | undefined;

  constructor(lintOptions: LintOptions) {
    this.#linter = new PluginLinter(lintOptions);
  }

  /** Never throws: a failure, even a bug of the codemod's, becomes the file's error outcome. */
  async analyse(file: string): Promise<FileOutcome> {
    try {
      return await this.#analyse(file);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { file, status: 'error', reason: `internal error of the codemod (please report it): ${message}`, reviews: [] };
    }
  }

  async #analyse(file: string): Promise<FileOutcome> {
    let raw: string;
    try {
      // Synchronously: a source file reads in tens of microseconds, while the thread pool's round trip left
      // the CPU idle for most of a millisecond per file (3 % of a run's wall time) with nothing else to do.
      raw = readFileSync(file, 'utf8');
    } catch (error) {
      return { file, status: 'error', reason: `cannot read: ${(error as Error).message}`, reviews: [] };
    }
    const source = readSourceText(raw);
    let lint;
    try {
      lint = await this.#linter.lint(file, source.text);
    } catch (error) {
      return { file, status: 'error', reason: `ESLint failed on this file: ${(error as Error).message.split('\n')[0]}`, reviews: [] };
    }
    if (lint.fatal) return { file, status: 'skipped', reason: `syntax error at ${lint.fatal}`, reviews: [] };
    const findings = toFindings(lint.messages, source.text);
    if (findings.length === 0) return { file, status: 'unchanged', reviews: [] };
    const rewrite = await (this.#rewriter ??= loadRewriter());
    // The lint's own parse of this file, when it had one: the rewrite then need not parse it again.
    const outcome = rewrite({
      filePath: file,
      source,
      findings,
      ...(lint.compilerFile ? { parsed: lint.compilerFile } : {}),
      compiler: { esmImportsForbidden: lint.esmImportsForbidden === true },
    });
    if (outcome.status === 'changed') {
      return { file, status: 'changed', before: raw, after: toFileContent(source, outcome.text), fixes: outcome.fixes, reviews: outcome.reviews };
    }
    return outcome.status === 'unchanged'
      ? { file, status: 'unchanged', reviews: outcome.reviews }
      : { file, status: outcome.status, reason: outcome.reason, reviews: outcome.reviews };
  }
}

// ts-morph (with its own copy of TypeScript) takes most of a second to load: a run that finds nothing to
// rewrite, such as `--check` in CI on a migrated repository, never loads it.
async function loadRewriter(): Promise<(input: RewriteInput) => RewriteOutcome> {
  const [{ rewriteFile }, { Parser }, { PackageTypeLookup }] = await Promise.all([
    import('./rewrite-file.js'),
    import('./syntax.js'),
    import('./module-kind.js'),
  ]);
  const parser = new Parser(await compilerOfParser());
  const packageTypes = new PackageTypeLookup();
  return (input) => rewriteFile(input, parser, packageTypes);
}

// ESLint's TypeScript parser has parsed (and the JIT compiled) its copy of TypeScript for every file already;
// parsing with that same copy is measurably faster than warming up ts-morph's bundled one. Used only when it
// is the same major.minor as ts-morph's, whose wrappers must understand its syntax kinds.
async function compilerOfParser(): Promise<typeof import('ts-morph').ts | undefined> {
  const { ts } = await import('ts-morph');
  try {
    const requireFromPlugin = createRequire(import.meta.resolve('@quiesce/eslint-plugin'));
    const typescript = requireFromPlugin('typescript') as typeof ts;
    const minor = (version: string) => version.split('.').slice(0, 2).join('.');
    return minor(typescript.version) === minor(ts.version) ? typescript : undefined;
  } catch {
    return undefined;
  }
}

/** ESLint messages of the rules the codemod rewrites, positioned as offsets of `text`. */
function toFindings(messages: readonly PluginMessage[], text: string): Finding[] {
  const lines = new LineIndex(text);
  const findings: Finding[] = [];
  for (const message of messages) {
    if (!REWRITTEN_RULE_IDS.has(message.ruleId)) continue;
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
