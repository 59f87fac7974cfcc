// @ts-check
import { relative } from 'node:path';
import { ESLint } from 'eslint';

/**
 * @typedef {{ file: string, line: number, ruleId: string, messageId: string }} FindingLocation
 *   `file` relative to the linted project, with forward slashes
 * @typedef {FindingLocation & { column: number, message: string }} Finding
 */

/**
 * Lints a project with its own eslint.config.mjs (which applies @quiesce/eslint-plugin) through
 * ESLint's Node API, as a user's `npx eslint` would.
 * @param {string} projectDir
 * @param {string[]} [patterns]
 * @returns {Promise<Finding[]>} sorted by file and line; parse errors are thrown, not returned
 */
export async function lintProject(projectDir, patterns = ['src']) {
  const eslint = new ESLint({ cwd: projectDir });
  const results = await eslint.lintFiles(patterns);
  /** @type {Finding[]} */
  const findings = [];
  for (const result of results) {
    const file = relative(projectDir, result.filePath).split('\\').join('/');
    for (const message of result.messages) {
      if (message.ruleId === null) throw new Error(`${file}:${message.line}: ${message.message}`);
      findings.push({
        file,
        line: message.line,
        column: message.column,
        ruleId: message.ruleId,
        messageId: message.messageId ?? '',
        message: message.message,
      });
    }
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId));
}

/**
 * What a test pins down of each finding: where, which rule, which message.
 * @param {Finding[]} findings
 * @returns {FindingLocation[]}
 */
export function locations(findings) {
  return findings.map(({ file, line, ruleId, messageId }) => ({ file, line, ruleId, messageId }));
}
