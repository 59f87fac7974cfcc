import type { CodemodReport } from './types.js';

/** The report as JSON; with `--dry-run` the unified diff rides along as `diff`. */
export function formatJson(report: CodemodReport, extra: { readonly diff?: string } = {}): string {
  return JSON.stringify(extra.diff === undefined ? report : { ...report, diff: extra.diff }, null, 2) + '\n';
}
