/** What one run did, file by file. The text, JSON and SARIF reports are views of this. */
export interface CodemodReport {
  readonly version: 1;
  /** Directory the file paths are relative to. */
  readonly root: string;
  readonly mode: 'write' | 'dry-run' | 'check';
  readonly typeChecked: boolean;
  readonly files: readonly FileResult[];
  readonly reviews: readonly ReviewItem[];
  readonly errors: readonly FileError[];
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
}
