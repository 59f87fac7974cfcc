// @ts-check
// Child process of index.mjs: lints one repository as a new user would, and writes what it found as JSON to the file
// named by its second argument. One process per repository: a crash or an out-of-memory stays in that repository.
// Usage: node lint-repo.mjs <request.json> <result.json>, the request being { repoDir, pluginDir }.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ESLint } from 'eslint';
import { recommendedTypeChecked } from './plugin.mjs';

const lintedExtension = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const declarationFile = /\.d\.(ts|mts|cts)$|\.d\.[^/]*\.ts$/;

const [requestFile, resultFile] = process.argv.slice(2);
if (!requestFile || !resultFile) throw new Error('usage: node lint-repo.mjs <request.json> <result.json>');
const { repoDir, pluginDir } = JSON.parse(readFileSync(requestFile, 'utf8'));
process.chdir(repoDir);

const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoDir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  .split('\0')
  .filter((f) => lintedExtension.test(f) && !declarationFile.test(f));

const eslint = new ESLint({
  cwd: repoDir,
  overrideConfigFile: true,
  overrideConfig: await recommendedTypeChecked(pluginDir, repoDir),
  errorOnUnmatchedPattern: false,
});

/** @typedef {{ path: string, rule: string | null, message: string }} Crash */
/** @type {Crash[]} */
const crashes = [];
const started = process.hrtime.bigint();
/** @type {ESLint.LintResult[]} */
let results;
try {
  results = await eslint.lintFiles(files);
} catch (error) {
  // A rule that throws stops ESLint's whole run; lint file by file to find each file it breaks and keep the rest.
  crashes.push(crashOf(null, error));
  results = [];
  for (const file of files) {
    try {
      results.push(...(await eslint.lintFiles([file])));
    } catch (fileError) {
      crashes.push(crashOf(file, fileError));
    }
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const findings = [];
let ignored = 0;
for (const result of results) {
  const path = relative(repoDir, result.filePath).split('\\').join('/');
  for (const message of result.messages) {
    if (message.fatal) {
      // A fatal message is a file ESLint could not lint: a parse error, or a file the project service has no program for.
      crashes.push({ path: `${path}:${message.line ?? 0}`, rule: message.ruleId ?? null, message: message.message.replaceAll(`${repoDir}/`, '') });
    } else if (message.ruleId === null && /^File ignored/.test(message.message)) {
      ignored++;
    } else if (message.ruleId?.startsWith('quiesce/')) {
      findings.push({ path, line: message.line, column: message.column, rule: message.ruleId, message: message.message });
    }
  }
}

writeFileSync(
  resultFile,
  JSON.stringify({ files: files.length, linted: results.length - ignored, ignored, seconds, findings, crashes, eslintVersion: ESLint.version }),
);

/** @param {string | null} file @param {unknown} error @returns {Crash} */
function crashOf(file, error) {
  const message = error instanceof Error ? error.message : String(error);
  const rule = /Rule: "([^"]+)"/.exec(message)?.[1] ?? null;
  const where = /Occurred while linting (\S+)/.exec(message)?.[1];
  return { path: where ? relative(repoDir, where) : (file ?? '(whole run)'), rule, message: (message.split('\n')[0] ?? message).replaceAll(`${repoDir}/`, '') };
}
