import { readFileSync } from 'node:fs';
import type { ts } from 'ts-morph';
import { typescript } from '@quiesce/eslint-plugin/detect';
import { PluginDetector, type AnalysisOptions, type FileFindings } from './detection.js';
import type { FileReview, FindingFix, RewriteInput, RewriteOutcome } from '../write/rewrite-file.js';
import type { FindingResult } from '../report/types.js';
import type { CommentRules } from '../plan/review.js';
import type { FileRole, Finding } from './findings.js';
import { REWRITTEN_RULE_IDS } from '../contract.js';
import { IMPORTS_SHIM_WORK } from '../plan/shim.js';
import { LineIndex, readSourceText, toFileContent } from '../write/source-text.js';

/** What is known of a file besides its status (plain data, like the rest of the outcome). */
export interface FileFacts {
  /** False: the file could not be parsed or analysed. */
  readonly analysed: boolean;
  readonly typeChecked: boolean;
  readonly untypedReason?: string;
  readonly role?: FileRole;
  readonly findings: readonly FindingResult[];
  /**
   * What the second look at entry files needs (entry-listeners.ts), not reported: whether the file is a service entry,
   * whether its text (after the rewrite) imports the shim's main module, whether the rewrite looked at its own signal
   * listeners already, and whether TypeScript forbids ES imports in it.
   */
  readonly entry?: boolean;
  readonly usesShim?: boolean;
  readonly listenersConsidered?: boolean;
  readonly esmImportsForbidden?: boolean;
}

/** What the analysis of one file found: plain data, so that it can come back from a worker thread. */
export type FileOutcome = FileFacts &
  (
    | {
        readonly file: string;
        readonly status: 'changed';
        /** The content read (and analysed), and the content to write. */
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
      }
  );

const notAnalysed = { analysed: false, typeChecked: false, findings: [] } as const;

/** Finds what the plugin reports in files and computes their rewrites; writes nothing. One per thread. */
export class FileAnalyser {
  readonly #detector: PluginDetector;
  #rewriter: Promise<(input: RewriteInput) => RewriteOutcome> | undefined;

  readonly #typeCheck: boolean;
  readonly #commentRules: AnalysisOptions['commentRules'];

  constructor(options: AnalysisOptions) {
    this.#detector = new PluginDetector(options);
    this.#typeCheck = options.typeCheck;
    this.#commentRules = options.commentRules;
  }

  /** Never throws: a failure, even a bug of the codemod's, becomes the file's error outcome. */
  async analyse(file: string): Promise<FileOutcome> {
    try {
      return await this.#analyse(file);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { file, status: 'error', reason: `internal error of the codemod (please report it): ${message}`, reviews: [], ...notAnalysed };
    }
  }

  /**
   * What the plugin reports in the file, every rule, as the rewrite gets it (the one-truth test compares it with
   * ESLint). Throws when the file cannot be read or analysed.
   */
  findingsOf(file: string): FileFindings {
    return this.#detector.findingsOf(file, readSourceText(readFileSync(file, 'utf8')).text);
  }

  #commentRulesFor(file: string): { commentRules?: CommentRules } {
    const index = this.#commentRules?.of[file];
    const rules = index === undefined ? undefined : this.#commentRules?.configs[index];
    return rules ? { commentRules: rules } : {};
  }

  async #analyse(file: string): Promise<FileOutcome> {
    let raw: string;
    try {
      // Synchronously: a source file reads in tens of microseconds, while the thread pool's round trip left
      // the CPU idle for most of a millisecond per file (3 % of a run's wall time) with nothing else to do.
      raw = readFileSync(file, 'utf8');
    } catch (error) {
      return { file, status: 'error', reason: `cannot read: ${(error as Error).message}`, reviews: [], ...notAnalysed };
    }
    const source = readSourceText(raw);
    let found: FileFindings;
    try {
      found = this.#detector.findingsOf(file, source.text);
    } catch (error) {
      return { file, status: 'error', reason: `the analysis failed on this file: ${(error as Error).message.split('\n')[0]}`, reviews: [], ...notAnalysed };
    }
    if (found.syntaxError !== undefined) {
      return { file, status: 'skipped', reason: `syntax error at ${found.syntaxError}`, reviews: [], ...notAnalysed };
    }
    const lines = new LineIndex(source.text);
    const facts = (fixesOf: (finding: Finding) => FindingFix, after = source.text, listenersConsidered = false): FileFacts => ({
      analysed: true,
      entry: found.entry,
      usesShim: IMPORTS_SHIM_WORK.test(after),
      listenersConsidered,
      esmImportsForbidden: found.esmImportsForbidden,
      typeChecked: found.typed,
      ...(found.typed ? {} : { untypedReason: this.#typeCheck ? 'no tsconfig includes the file' : '--no-type-check' }),
      role: found.role,
      findings: found.findings.map((finding) => {
        const end = lines.positionOf(finding.end);
        return {
          line: finding.line,
          column: finding.column,
          endLine: end.line,
          endColumn: end.column,
          ruleId: finding.ruleId,
          message: finding.message,
          ...fixesOf(finding),
        };
      }),
    });
    const notRewritten: FindingFix = { fix: 'none', reason: 'the codemod does not rewrite this rule' };
    const findings = found.findings.filter((finding) => REWRITTEN_RULE_IDS.has(finding.ruleId));
    if (findings.length === 0) return { file, status: 'unchanged', reviews: [], ...facts(() => notRewritten) };
    const rewrite = await (this.#rewriter ??= loadRewriter());
    const outcome = rewrite({
      filePath: file,
      source,
      findings,
      // The analysis's own parse of this file: the rewrite need not parse it again.
      parsed: asMorphCompilerNode(found.compilerFile),
      compiler: { esmImportsForbidden: found.esmImportsForbidden },
      role: found.role,
      ...this.#commentRulesFor(file),
    });
    const fixOf = new Map(findings.map((finding, index) => [finding, outcome.fixesOfFindings[index]!]));
    const known = facts((finding) => fixOf.get(finding) ?? notRewritten, outcome.status === 'changed' ? outcome.text : source.text, outcome.listenersConsidered);
    if (outcome.status === 'changed') {
      return { file, status: 'changed', before: raw, after: toFileContent(source, outcome.text), fixes: outcome.fixes, reviews: outcome.reviews, ...known };
    }
    return outcome.status === 'unchanged'
      ? { file, status: 'unchanged', reviews: outcome.reviews, ...known }
      : { file, status: outcome.status, reason: outcome.reason, reviews: outcome.reviews, ...known };
  }
}

// ts-morph (with its own copy of TypeScript) takes most of a second to load: a run that finds nothing to
// rewrite, such as `--check` in CI on a migrated repository, never loads it.
export async function loadRewriter(): Promise<(input: RewriteInput) => RewriteOutcome> {
  const [{ rewriteFile }, { Parser }, { PackageTypeLookup }, { ts: morphTs }] = await Promise.all([
    import('../write/rewrite-file.js'),
    import('../write/syntax.js'),
    import('../plan/module-kind.js'),
    import('ts-morph'),
  ]);
  // The detection has parsed (and the JIT compiled) its copy of TypeScript for every file already; parsing with
  // that same copy is measurably faster than warming up ts-morph's bundled one, and lets the rewrite wrap the
  // program's SourceFiles. Used only when it is the same major.minor as ts-morph's, whose wrappers must
  // understand its syntax kinds.
  const minor = (version: string) => version.split('.').slice(0, 2).join('.');
  const parser = new Parser(minor(typescript.version) === minor(morphTs.version) ? asMorphCompiler(typescript) : undefined);
  const packageTypes = new PackageTypeLookup();
  return (input) => rewriteFile(input, parser, packageTypes);
}

// The rewrite is typed with ts-morph's declarations of TypeScript, the analysis with those of the copy the plugin
// exports. The rewrite only gets that copy, or its nodes, when the versions match (loadRewriter, Parser#reuse).
function asMorphCompiler(compiler: typeof typescript): typeof ts {
  return compiler as unknown as typeof ts;
}

function asMorphCompilerNode(sourceFile: typescript.SourceFile): ts.SourceFile {
  return sourceFile as unknown as ts.SourceFile;
}
