/** What one run did, file by file. The text, JSON and SARIF reports are views of this. */
export interface CodemodReport {
  readonly version: 1;
  /** Directory the file paths are relative to. */
  readonly root: string;
  readonly mode: 'write' | 'dry-run' | 'check';
  /** True only when every file analysed had types from a tsconfig (see each file's `typeChecked`). */
  readonly typeChecked: boolean;
  readonly files: readonly FileResult[];
  /** Where the files analysed came from, and how many were left out. */
  readonly scope: ScopeReport;
  /** package.json files that get the shim as a dependency (services whose files now import it). */
  readonly dependencies: readonly DependencyResult[];
  readonly reviews: readonly ReviewItem[];
  readonly errors: readonly FileError[];
  /** Things a user should know about the run as a whole (what to install, a formatter that is not installed…). */
  readonly notes: readonly string[];
  readonly summary: ReportSummary;
  /** True when the run stopped early (SIGINT); files not reached are listed as unchanged. */
  readonly interrupted: boolean;
}

export type FileStatus = 'changed' | 'unchanged' | 'skipped' | 'error';

export interface FileResult {
  /** Relative to the report's root, with `/` separators. */
  readonly file: string;
  readonly status: FileStatus;
  /** Why a file was skipped or failed. */
  readonly reason?: string;
  /** Findings rewritten, by rule id. */
  readonly fixes: Readonly<Record<string, number>>;
  /** False when the file could not be parsed or analysed (a syntax error, an analysis failure): nothing is known of it. */
  readonly analysed: boolean;
  /** True only when a tsconfig gave the analysis types for this file. */
  readonly typeChecked: boolean;
  /** Why the file was analysed without types (`--no-type-check`, no tsconfig includes it), when it was. */
  readonly untypedReason?: string;
  /** The formatter that formatted the changed file (`prettier 3.6.2`), when one did. */
  readonly formatted?: string;
  /** Why a changed file was not formatted although the project configures a formatter. */
  readonly formatNote?: string;
  /** The file's role, from the plugin (`service`, `library`, `browser`, `test`), and why. */
  readonly role?: string;
  readonly roleReason?: string;
  /** Every finding of the plugin in the file (after disable directives), with what the codemod does about it. */
  readonly findings: readonly FindingResult[];
}

/**
 * One plugin finding and its fix: `rewrite` — the codemod rewrites it (written in write mode; the change `--check`
 * and `--dry-run` report); `review` — a marker and a review item instead (see `reason`); `none` — left as it is
 * (`reason` says why: the file was skipped, the rule is not rewritten).
 */
export interface FindingResult {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly ruleId: string;
  readonly message: string;
  readonly fix: 'rewrite' | 'review' | 'none';
  readonly reason?: string;
}

export interface ReviewItem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly ruleId: string;
  readonly reason: string;
  /** `added`: this run put the marker there; `present`: it was already there; `none`: no marker (file not edited). */
  readonly marker: 'added' | 'present' | 'none';
}

/**
 * `eslint-config`: the project's ESLint config uses the plugin and decided the files (`skipped`: files it ignores or
 * lints without the plugin's rules); `defaults`: the codemod's default scope (`skipped`: files in tests, examples,
 * fixtures, benchmarks and docs, by folder, and files whose role gets no shutdown rule, by the role's reason).
 */
export interface ScopeReport {
  readonly from: 'eslint-config' | 'defaults';
  readonly config?: string;
  readonly skipped: number;
  readonly skippedFolders?: Readonly<Record<string, number>>;
  /** Files not analysed because the plugin's role for them gets no shutdown rule (tools, scripts, tests, browser code), by reason. */
  readonly skippedByRole?: Readonly<Record<string, number>>;
}

export interface DependencyResult {
  /** The package.json, relative to the report's root. */
  readonly file: string;
  readonly status: FileStatus;
  readonly reason?: string;
  /** What was added to `dependencies` (`@quiesce/runtime-shim@^0.1.0`). */
  readonly added: string;
  /** The command that installs it, for the package manager the package uses (from its lockfile). */
  readonly install: string;
}

export interface FileError {
  readonly file: string;
  readonly message: string;
}

export interface ReportSummary {
  readonly changed: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly errors: number;
  readonly reviews: number;
  /** Findings of the plugin in the files analysed, and of them those the codemod rewrites. */
  readonly findings: number;
  readonly rewrites: number;
  /** Files that could not be parsed or analysed (`--check` fails on them). */
  readonly notAnalysed: number;
  /** Files analysed without type information, by reason. */
  readonly untyped: number;
  readonly untypedReasons: Readonly<Record<string, number>>;
  /** Changed files formatted with the project's own formatter. */
  readonly formatted: number;
}
