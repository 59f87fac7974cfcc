export { runCodemod, type CodemodOptions, type CodemodResult, type FileChange } from './run.js';
export type { CodemodReport, FileResult, FileStatus, ReviewItem, FileError, ReportSummary } from './report/types.js';
export { formatText } from './report/text.js';
export { formatJson } from './report/json.js';
export { formatSarif } from './report/sarif.js';
export { formatDiff } from './report/diff.js';
export { REVIEW_PREFIX, REWRITTEN_RULE_IDS } from './contract.js';
