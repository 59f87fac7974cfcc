#!/usr/bin/env node
// The plugin's benchmark: on a generated corpus of service-shaped TypeScript files, in one run,
//   1. ESLint + our recommended-type-checked  vs  ESLint + only @typescript-eslint/no-floating-promises (aim <= 1.0x),
//   2. ESLint + our recommended (syntax only)  vs  the same parser with no rules               (aim <= 1.3x),
//   3. per-rule times (ESLint's TIMING) for both of our configs.
// Every measurement is a fresh Node process; pairs alternate their order from round to round so that a busy machine
// drifts both sides alike; the figures are medians.
//   4. with --eslint-contexts-copied, the syntax-only scenarios once more with ESLint's rule contexts copied instead of
//      inheriting from each file's context (bench/lint-once.mjs says why): an experiment beside the aims, not for them.
// Usage: node bench/run.mjs [--runs 3] [--files 2000] [--corpus dir] [--only typed|syntax] [--eslint-contexts-copied]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { defaultCorpusDir, generateCorpus } from './generate-corpus.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.dirname(benchDir);

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const runs = Number(option('runs', '3'));
const files = Number(option('files', '2000'));
const corpusDir = path.resolve(option('corpus', defaultCorpusDir));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(files) || files < 1) {
  console.error('usage: node bench/run.mjs [--runs N>=1] [--files N>=1] [--corpus dir]');
  process.exit(2);
}
if (!existsSync(path.join(packageDir, 'dist', 'index.js'))) {
  console.error('bench: dist/index.js is missing; run `npm run build -w @quiesce/eslint-plugin` first.');
  process.exit(2);
}

const corpus = generateCorpus(corpusDir, { files });
console.log(`corpus: ${corpus.files} TypeScript files (${corpus.serviceFiles} services + ${corpus.sharedFiles} shared) in ${path.relative(process.cwd(), corpusDir) || '.'}`);
console.log(`runs: ${runs} per configuration, each in a fresh process; node ${process.version}\n`);

const copiedContexts = ' --eslint-contexts-copied';

/** `scenario` may end in ` --eslint-contexts-copied` (the experiment). */
function lintOnce(scenario, env = {}) {
  const [name, ...flags] = scenario.split(' ');
  const output = execFileSync(process.execPath, [path.join(benchDir, 'lint-once.mjs'), name, corpusDir, ...flags], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  const lines = output.trim().split('\n');
  const result = JSON.parse(lines[0]);
  if (result.fatal > 0) throw new Error(`${scenario}: ${result.fatal} files did not parse or matched no config`);
  return { ...result, extra: lines.slice(1).join('\n') };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const comparisons = [
  { title: 'typed', ours: 'typed-quiesce', baseline: 'typed-no-floating-promises', aim: 1.0 },
  { title: 'syntax only', ours: 'syntax-quiesce', baseline: 'syntax-no-rules', aim: 1.3 },
];
/** Measured alongside, not an aim: ESLint's own cost of having any rule at all, to show what is ours. */
const reference = { title: 'syntax only, ESLint with one trivial core rule (no-debugger)', ours: 'syntax-quiesce', baseline: 'syntax-one-core-rule' };
const only = option('only', 'all');
const selected = comparisons.filter(({ title }) => only === 'all' || title.startsWith(only));
const scenarioRounds = selected.map(({ ours, baseline }) => [baseline, ours]);
if (selected.some(({ ours }) => ours === reference.ours)) scenarioRounds.push([reference.baseline]);
/** The experiment's rows: the same syntax-only comparisons, every side with copied rule contexts. */
const experimentRows = [...selected, reference]
  .filter(({ ours }) => ours === reference.ours && process.argv.includes(copiedContexts.trim()))
  .map(({ title, ours, baseline }) => ({ title: `${title}, rule contexts copied`, ours: ours + copiedContexts, baseline: baseline + copiedContexts }));
if (experimentRows.length > 0) scenarioRounds.push([...new Set(experimentRows.flatMap(({ ours, baseline }) => [baseline, ours]))]);

const measurements = new Map();
const lastResult = new Map();
for (let round = 0; round < runs; round += 1) {
  for (const group of scenarioRounds) {
    const order = round % 2 === 0 ? group : [...group].reverse();
    for (const scenario of order) {
      const result = lintOnce(scenario);
      measurements.set(scenario, [...(measurements.get(scenario) ?? []), result]);
      lastResult.set(scenario, result);
      console.log(
        `  round ${round + 1}  ${scenario.padEnd(52)} cpu ${(result.cpuMs / 1000).toFixed(2).padStart(7)} s  wall ${(result.ms / 1000).toFixed(2).padStart(7)} s  rss ${result.rssMb} MB`,
      );
    }
  }
}

const medianOf = (scenario, key) => median(measurements.get(scenario).map((result) => result[key]));
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

console.log('\nmedians; ratio = ours / baseline (CPU time of the linting process, the figure the aims are judged on; wall time beside it)\n');
console.log('| comparison | ours cpu | baseline cpu | ratio (cpu) | ours wall | baseline wall | ratio (wall) | aim |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const rows = [...selected, ...(measurements.has(reference.baseline) ? [reference] : []), ...experimentRows];
for (const { title, ours, baseline, aim } of rows) {
  const cpuRatio = medianOf(ours, 'cpuMs') / medianOf(baseline, 'cpuMs');
  const wallRatio = medianOf(ours, 'ms') / medianOf(baseline, 'ms');
  const verdict =
    aim !== undefined ? `<= ${aim.toFixed(2)}x ${cpuRatio <= aim ? 'met' : 'MISSED'}` : ours.endsWith(copiedContexts) ? 'experiment' : 'reference';
  console.log(
    `| ${title}: ${ours} vs ${baseline} | ${seconds(medianOf(ours, 'cpuMs'))} | ${seconds(medianOf(baseline, 'cpuMs'))} | ${cpuRatio.toFixed(3)}x | ${seconds(medianOf(ours, 'ms'))} | ${seconds(medianOf(baseline, 'ms'))} | ${wallRatio.toFixed(3)}x | ${verdict} |`,
  );
}

console.log('\nfindings on the corpus (last run):');
for (const [scenario, result] of lastResult) console.log(`  ${scenario}: ${JSON.stringify(result.problems)}`);

// Per-rule times: one extra run of each of our configs with ESLint's TIMING (not part of the medians above).
for (const { ours } of selected) {
  const { extra, ms } = lintOnce(ours, { TIMING: 'all' });
  console.log(`\nper-rule times, ${ours} (TIMING=all, run total ${seconds(ms)} wall):\n${extra}`);
}
