import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCodemod } from '../src/index.js';
import { Parser } from '../src/write/syntax.js';
import { companionsOf, defaultTsconfig, lintWithPlugin, packageDirectory, rewritableRules, scratchDirectory, writeJson } from './helpers.js';

/**
 * Each directory under test/fixtures is a case: `input.<ext>` (the file to rewrite), `output.<ext>` (the exact
 * expected result; absent = no change), `report.json` (the expected report entries for the file) and optionally
 * `options.json` ({ typeCheck, entries, settings }), `package.json`, `tsconfig.json` and declaration files (`*.d.ts`: types of
 * packages the fixture imports, which the codemod does not analyse). A case of several files has companions beside its
 * input: `<name>.input.<ext>` is copied as `<name>.<ext>` and must become `<name>.output.<ext>` (absent = no change);
 * `report.json` is the input's, and its `reviews` are the whole run's.
 */
interface CaseOptions {
  readonly typeCheck?: boolean;
  readonly entries?: string[];
  readonly settings?: Record<string, unknown>;
}

interface ExpectedReport {
  readonly status: string;
  readonly reason?: string;
  readonly fixes: Record<string, number>;
  readonly reviews: { line: number; column: number; ruleId: string; reason: string; marker: string }[];
}

const fixturesDirectory = path.join(packageDirectory, 'test/fixtures');
const cases = readdirSync(fixturesDirectory).filter((name) => statSync(path.join(fixturesDirectory, name)).isDirectory());
const parser = new Parser();
/**
 * QUIESCE_UPDATE_FIXTURES=1 writes each case's output and report.json from this build before the checks run (the
 * idempotence, parse and plugin checks still apply); review the change with `git diff test/fixtures` before committing.
 */
const updating = process.env['QUIESCE_UPDATE_FIXTURES'] === '1';

/** What report.json holds of a run: the input file's status, reason and fixes, and every review item. */
function reportOf(result: Awaited<ReturnType<typeof runCodemod>>, inputName: string): Record<string, unknown> {
  const fileResult = result.report.files.find((entry) => entry.file === inputName);
  return {
    status: fileResult?.status,
    ...(fileResult?.reason ? { reason: fileResult.reason } : {}),
    fixes: fileResult?.fixes,
    reviews: result.report.reviews.map(({ file: _file, ...review }) => review),
  };
}

function writeExpected(
  caseDirectory: string,
  outputPath: string,
  input: string,
  written: string,
  result: Awaited<ReturnType<typeof runCodemod>>,
  inputName: string,
  companions: readonly { readonly output: string; readonly file: string; readonly input: string }[],
): void {
  if (written === input) rmSync(outputPath, { force: true });
  else writeFileSync(outputPath, written);
  for (const companion of companions) {
    const text = readFileSync(companion.file, 'utf8');
    const companionOutput = path.join(caseDirectory, companion.output);
    if (text === readFileSync(path.join(caseDirectory, companion.input), 'utf8')) rmSync(companionOutput, { force: true });
    else writeFileSync(companionOutput, text);
  }
  const report = reportOf(result, inputName);
  const reportPath = path.join(caseDirectory, 'report.json');
  // Rewritten only when its content changes, so a hand-formatted report stays as it is.
  if (!isDeepStrictEqual(readJson(reportPath), report)) writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
}

describe.each(cases)('fixture %s', (name) => {
  it('rewrites exactly as expected, idempotently, parse-clean, leaving nothing the plugin could fix', async () => {
    const caseDirectory = path.join(fixturesDirectory, name);
    const entries = readdirSync(caseDirectory);
    const inputName = entries.find((entry) => entry.startsWith('input.'));
    if (!inputName) throw new Error(`fixture ${name} has no input.* file`);
    const extension = inputName.slice('input'.length);
    const outputPath = path.join(caseDirectory, `output${extension}`);
    const options = readJson<CaseOptions>(path.join(caseDirectory, 'options.json')) ?? {};
    let expectedReport = readJson<ExpectedReport>(path.join(caseDirectory, 'report.json'));
    if (!expectedReport) throw new Error(`fixture ${name} has no report.json`);
    const typeCheck = options.typeCheck ?? false;

    const scratch = scratchDirectory(name);
    try {
      const file = path.join(scratch.directory, inputName);
      copyFileSync(path.join(caseDirectory, inputName), file);
      for (const extra of ['package.json', 'tsconfig.json', ...entries.filter((entry) => entry.endsWith('.d.ts'))]) {
        if (entries.includes(extra)) copyFileSync(path.join(caseDirectory, extra), path.join(scratch.directory, extra));
      }
      const companions = companionsOf(entries).map((companion) => ({ ...companion, file: path.join(scratch.directory, companion.copiedAs) }));
      for (const companion of companions) copyFileSync(path.join(caseDirectory, companion.input), companion.file);
      if (!entries.includes('tsconfig.json')) writeJson(path.join(scratch.directory, 'tsconfig.json'), defaultTsconfig);
      const input = readFileSync(file, 'utf8');
      const runOptions = {
        cwd: scratch.directory,
        typeCheck,
        allowDirty: true,
        ...(options.entries ? { entries: options.entries } : {}),
        ...(options.settings ? { settings: options.settings } : {}),
      };

      const first = await runCodemod(runOptions);
      const written = readFileSync(file, 'utf8');
      if (updating) {
        writeExpected(caseDirectory, outputPath, input, written, first, inputName, companions);
        expectedReport = readJson<ExpectedReport>(path.join(caseDirectory, 'report.json')) ?? expectedReport;
      }
      const expectedOutput = existsSync(outputPath) ? readFileSync(outputPath, 'utf8') : input;
      expect(written).toBe(expectedOutput);
      for (const companion of companions) {
        const expected = readFileSync(path.join(caseDirectory, existsSync(path.join(caseDirectory, companion.output)) ? companion.output : companion.input), 'utf8');
        expect(readFileSync(companion.file, 'utf8'), companion.copiedAs).toBe(expected);
      }

      expect(reportOf(first, inputName)).toEqual(expectedReport);
      if (expectedReport.status === 'error') expect(first.report.errors).not.toHaveLength(0);
      else expect(first.report.errors).toEqual([]);

      if (expectedReport.status !== 'skipped') {
        expect(parser.syntaxErrorsOfText(file, written)).toEqual([]);
      }

      const second = await runCodemod(runOptions);
      expect(readFileSync(file, 'utf8')).toBe(written);
      for (const companion of companions) expect(second.report.files.find((result) => result.file === companion.copiedAs)?.status).toBe('unchanged');
      expect(second.report.summary.changed).toBe(0);
      expect(second.report.errors).toEqual([]);
      expect(second.report.reviews.every((review) => review.marker !== 'added')).toBe(true);

      if (expectedReport.status !== 'skipped') {
        const names = [inputName, ...companions.map((companion) => companion.copiedAs)];
        const linted = await lintWithPlugin(scratch.directory, names.map((name) => path.join(scratch.directory, name)), { typeCheck, ...options });
        const messages = linted.flatMap((fileMessages, index) => fileMessages.map((message) => ({ ...message, file: names[index] })));
        // What the plugin still reports must be what carries a review marker (on its own line above the statement,
        // or inline): the second run found each of those markers present.
        const marked = new Set(second.report.reviews.map((review) => `${review.file} ${review.ruleId} ${review.line}:${review.column}`));
        const fixable = messages.filter((message) => {
          if (!message.ruleId || !rewritableRules.includes(message.ruleId)) return false;
          return !marked.has(`${message.file} ${message.ruleId} ${message.line}:${message.column}`);
        });
        expect(fixable.map((message) => `${message.file} ${message.ruleId} ${message.line}:${message.column}`)).toEqual([]);
        expect(messages.filter((message) => message.fatal)).toEqual([]);
      }
    } finally {
      scratch.remove();
    }
  });
});

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}
