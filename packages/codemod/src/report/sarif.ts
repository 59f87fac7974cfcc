import { createRequire } from 'node:module';
import type * as Sarif from 'sarif';
import type { CodemodReport } from './types.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/**
 * SARIF 2.1.0, in every mode: one result per finding of the plugin (its rule, message and range; `kind` says what
 * the codemod does: rewritten in write mode, or would be with `--check`/`--dry-run`; a review item; left as it is),
 * one per file that could not be parsed or analysed, and one per file error.
 */
export function formatSarif(report: CodemodReport): string {
  const results: Sarif.Result[] = [];
  const rules = new Map<string, string>();
  for (const file of report.files) {
    for (const finding of file.findings) {
      rules.set(finding.ruleId, `A finding of ${finding.ruleId} (@quiesce/eslint-plugin).`);
      const what =
        finding.fix === 'rewrite'
          ? report.mode === 'write' && file.status === 'changed'
            ? 'rewritten by the codemod'
            : report.mode === 'write'
              ? `not written: ${file.reason ?? 'see the report'}`
              : 'the codemod rewrites this'
          : finding.fix === 'review'
            ? `review: ${finding.reason ?? 'the codemod cannot rewrite this safely'}`
            : `left as it is: ${finding.reason ?? 'not rewritten'}`;
      const fixed = finding.fix === 'rewrite' && report.mode === 'write' && file.status === 'changed';
      results.push({
        ruleId: finding.ruleId,
        level: fixed ? 'note' : finding.fix === 'review' ? 'warning' : report.mode === 'write' ? 'note' : 'warning',
        kind: fixed ? 'pass' : finding.fix === 'review' ? 'review' : 'fail',
        message: { text: `${finding.message} (${what})` },
        locations: [location(file.file, finding.line, finding.column, finding.endLine, finding.endColumn)],
        properties: { fix: finding.fix },
      });
    }
    if (!file.analysed && file.status !== 'error') {
      rules.set(NOT_ANALYSED, 'The codemod could not parse or analyse this file.');
      results.push({
        ruleId: NOT_ANALYSED,
        level: 'error',
        kind: 'fail',
        message: { text: `not analysed: ${file.reason ?? 'unknown reason'}` },
        locations: [location(file.file, ...positionOf(file.reason))],
      });
    }
  }
  // Review items that belong to no finding (a file the rewrite could not take as a whole, such as its module kind).
  const reviewedFindings = new Set(
    report.files.flatMap((file) => file.findings.filter((finding) => finding.fix === 'review').map((finding) => `${file.file}:${finding.line}:${finding.column}:${finding.ruleId}`)),
  );
  for (const review of report.reviews) {
    if (reviewedFindings.has(`${review.file}:${review.line}:${review.column}:${review.ruleId}`)) continue;
    rules.set(review.ruleId, `A ${review.ruleId} finding the codemod could not rewrite safely; review it by hand.`);
    results.push({ ruleId: review.ruleId, level: 'warning', kind: 'review', message: { text: review.reason }, locations: [location(review.file, review.line, review.column)] });
  }
  for (const error of report.errors) {
    rules.set(FILE_ERROR, 'The codemod could not rewrite this file.');
    results.push({ ruleId: FILE_ERROR, level: 'error', kind: 'fail', message: { text: error.message }, locations: [location(error.file, 1, 1)] });
  }
  const sarif: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'quiesce-codemod',
            version,
            informationUri: 'https://www.npmjs.com/package/@quiesce/codemod',
            rules: [...rules].map(([id, text]) => ({ id, shortDescription: { text } })),
          },
        },
        originalUriBaseIds: { ROOT: { uri: toFileUri(report.root) } },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

const FILE_ERROR = 'quiesce-codemod/file-error';
const NOT_ANALYSED = 'quiesce-codemod/not-analysed';

/** `line:column` at the start of a reason such as `syntax error at 2:1 Parsing error: …` (ESLint's 0-based column). */
function positionOf(reason: string | undefined): [number, number] {
  const match = /at (\d+):(\d+)/.exec(reason ?? '');
  return match ? [Number(match[1]), Number(match[2]) + 1] : [1, 1];
}

function location(file: string, line: number, column: number, endLine?: number, endColumn?: number): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(file), uriBaseId: 'ROOT' },
      region: { startLine: line, startColumn: column, ...(endLine === undefined ? {} : { endLine, endColumn }) },
    },
  };
}

function toFileUri(directory: string): string {
  const withSlash = directory.endsWith('/') ? directory : directory + '/';
  return 'file://' + encodeURI(withSlash.split('\\').join('/'));
}
