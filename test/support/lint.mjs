// @ts-check
import { relative } from 'node:path';
import { ESLint } from 'eslint';

/**
 * @typedef {{ file: string, line: number, ruleId: string, messageId: string }} Finding
 *   `file` relative to the linted project, with forward slashes
 */

/**
 * Lints a project with its own eslint.config.mjs (which applies @quiesce/eslint-plugin) through
 * ESLint's Node API, as a user's `npx eslint` would.
 * @param {string} projectDir
 * @param {string[]} [patterns]
 * @returns {Promise<Finding[]>} sorted by file and line; parse errors are thrown, not returned
 */
export async function lintProject(projectDir, patterns = ['src']) {
  const { results } = await runEslint(projectDir, patterns);
  /** @type {Finding[]} */
  const findings = [];
  for (const result of results) {
    const file = relative(projectDir, result.filePath).split('\\').join('/');
    for (const message of result.messages) {
      if (message.ruleId === null) throw new Error(`${file}:${message.line}: ${message.message}`);
      findings.push({ file, line: message.line, ruleId: message.ruleId, messageId: message.messageId ?? '' });
    }
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId));
}

/**
 * ESLint's own formatting of the findings (the "stylish" output a user sees), for the demo.
 * @param {string} projectDir
 * @param {string[]} [patterns]
 */
export async function formatLint(projectDir, patterns = ['src']) {
  const { eslint, results } = await runEslint(projectDir, patterns);
  const formatter = await eslint.loadFormatter('stylish');
  return formatter.format(results);
}

/**
 * @param {string} projectDir
 * @param {string[]} patterns
 */
async function runEslint(projectDir, patterns) {
  const eslint = new ESLint({ cwd: projectDir });
  return { eslint, results: await eslint.lintFiles(patterns) };
}
