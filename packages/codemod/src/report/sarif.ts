import { createRequire } from 'node:module';
import type { CodemodReport } from './types.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/**
 * SARIF 2.1.0: one result per review item (warning: a person must look) and per file error (error),
 * for code-scanning UIs. Changes themselves are not results: they are done, or shown by --dry-run.
 */
export function formatSarif(report: CodemodReport): string {
  const ruleIds = [...new Set([...report.reviews.map((review) => review.ruleId), ...(report.errors.length > 0 ? ['quiesce-codemod/file-error'] : [])])];
  const results = [
    ...report.reviews.map((review) => ({
      ruleId: review.ruleId,
      level: 'warning',
      message: { text: review.reason },
      locations: [location(review.file, review.line, review.column)],
    })),
    ...report.errors.map((error) => ({
      ruleId: 'quiesce-codemod/file-error',
      level: 'error',
      message: { text: error.message },
      locations: [location(error.file, 1, 1)],
    })),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'quiesce-codemod',
            version,
            informationUri: 'https://www.npmjs.com/package/@quiesce/codemod',
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: describe(id) } })),
          },
        },
        originalUriBaseIds: { ROOT: { uri: toFileUri(report.root) } },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function location(file: string, line: number, column: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(file), uriBaseId: 'ROOT' },
      region: { startLine: line, startColumn: column },
    },
  };
}

function describe(ruleId: string): string {
  return ruleId === 'quiesce-codemod/file-error'
    ? 'The codemod could not rewrite this file.'
    : `A ${ruleId} finding the codemod could not rewrite safely; review it by hand.`;
}

function toFileUri(directory: string): string {
  const withSlash = directory.endsWith('/') ? directory : directory + '/';
  return 'file://' + encodeURI(withSlash.split('\\').join('/'));
}
