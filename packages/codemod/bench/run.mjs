#!/usr/bin/env node
// Benchmark: the codemod against `tsc --noEmit` on the plugin's generated corpus, side by side in one run.
// Every measurement is a fresh process on a fresh copy of the corpus (in the OS temp dir), runs interleaved;
// prints medians, ratios, files per second and peak memory. Env: BENCH_FILES (default 2000), BENCH_RUNS (default 3).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '..');
const repoRoot = path.resolve(packageDir, '../..');
const cli = path.join(packageDir, 'dist/cli/cli.js');
const tscBin = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
const peakMemoryHook = pathToFileURL(path.join(here, 'report-peak-memory.mjs')).href;
const generatorPath = path.join(repoRoot, 'packages/eslint-plugin/bench/generate-corpus.mjs');
// The plugin's detection alone (tsc's program, then detect() on every file; no rewrite): what finding the work costs.
const detectOnlyPath = path.join(here, 'detect-only.mjs');
/** The aim: the codemod's wall time at most this many times tsc's. */
const aim = 1.5;

const files = positiveInteger('BENCH_FILES', 2000);
const runs = positiveInteger('BENCH_RUNS', 3);

function positiveInteger(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name}=${raw}: expected a positive integer`);
    process.exit(2);
  }
  return value;
}

if (!existsSync(cli)) {
  console.error(`missing ${path.relative(process.cwd(), cli)}: run \`npm run build -w @quiesce/codemod\` first`);
  process.exit(2);
}
if (!existsSync(generatorPath)) {
  console.error('missing packages/eslint-plugin/bench/generate-corpus.mjs (the plugin’s corpus generator)');
  process.exit(2);
}
const { generateCorpus } = await import(pathToFileURL(generatorPath).href);

/** Runs a command, returns wall time, peak RSS and stdout. */
function measure(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', peakMemoryHook, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const usage = /@@peak-rss-kb (\d+) cpu-us (\d+)/.exec(stderr);
      resolve({
        code,
        ms,
        cpuMs: usage ? Number(usage[2]) / 1000 : NaN,
        peakMb: usage ? Number(usage[1]) / 1024 : NaN,
        stdout,
        stderr: stderr.replace(/\n?@@peak-rss-kb \d+ cpu-us \d+\n/, ''),
      });
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const scratch = mkdtempSync(path.join(os.tmpdir(), 'quiesce-codemod-bench-'));
try {
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
  const corpus = path.join(scratch, 'corpus');
  const generated = generateCorpus(corpus, { files });
  console.log(`corpus: ${generated.files} TypeScript files (plugin generator), ${runs} run(s) each, fresh process and fresh copy per run`);

  // One thread (the default on 2 CPUs) and, where there are more CPUs, one thread per CPU.
  const cpus = os.availableParallelism();
  const modes = [
    ['typed', ['--jobs', '1']],
    ...(cpus > 1 ? [['threads', ['--jobs', String(cpus)]]] : []),
    ['syntax', ['--no-type-check', '--jobs', '1']],
  ];
  const results = { tsc: [], typed: [], threads: [], syntax: [], detectOnly: [] };
  const changed = {};
  for (let run = 0; run < runs; run += 1) {
    const tsc = await measure([tscBin, '--noEmit', '-p', path.join(corpus, 'tsconfig.json')], corpus);
    if (tsc.code !== 0) throw new Error(`tsc --noEmit failed on the corpus:\n${tsc.stdout}${tsc.stderr}`);
    results.tsc.push(tsc);

    const detectOnly = await measure([detectOnlyPath, corpus], corpus);
    if (detectOnly.code !== 0) throw new Error(`detect-only failed on the corpus:\n${detectOnly.stderr}`);
    results.detectOnly.push(detectOnly);

    for (const [mode, flags] of modes) {
      const copy = path.join(scratch, `work-${mode}-${run}`);
      cpSync(corpus, copy, { recursive: true });
      // A fresh copy outside git: --allow-dirty lets it write (the codemod refuses where nothing can undo a rewrite).
      const result = await measure([cli, '--format', 'json', '--allow-dirty', ...flags], copy);
      if (result.code !== 0) throw new Error(`quiesce-codemod ${flags.join(' ')} exited ${result.code}:\n${result.stderr}`);
      const report = JSON.parse(result.stdout);
      changed[mode] = report.summary.changed;
      results[mode].push({ ...result, files: report.files.length });
      rmSync(copy, { recursive: true, force: true });
    }
    const wallAndCpu = (r) => `${r.ms.toFixed(0)} ms (cpu ${r.cpuMs.toFixed(0)} ms)`;
    console.log(
      `run ${run + 1}: tsc ${wallAndCpu(results.tsc[run])}, detect() alone ${wallAndCpu(results.detectOnly[run])}, ` +
        `codemod ${wallAndCpu(results.typed[run])}, ` +
        (cpus > 1 ? `codemod --jobs ${cpus} ${wallAndCpu(results.threads[run])}, ` : '') +
        `codemod --no-type-check ${wallAndCpu(results.syntax[run])}`,
    );
  }

  const tscMs = median(results.tsc.map((r) => r.ms));
  const tscCpuMs = median(results.tsc.map((r) => r.cpuMs));
  const row = (label, measurements, changed) => {
    const ms = median(measurements.map((r) => r.ms));
    const cpuMs = median(measurements.map((r) => r.cpuMs));
    const peak = median(measurements.map((r) => r.peakMb));
    const fileCount = measurements[0].files ?? generated.files;
    return [
      label,
      `${ms.toFixed(0)} ms`,
      `${(ms / tscMs).toFixed(2)}×`,
      `${cpuMs.toFixed(0)} ms`,
      `${(cpuMs / tscCpuMs).toFixed(2)}×`,
      `${((fileCount / ms) * 1000).toFixed(0)}`,
      `${peak.toFixed(0)} MB`,
      changed ?? '-',
    ];
  };
  const table = [
    ['', 'median wall', 'wall vs tsc', 'median CPU', 'CPU vs tsc', 'files/s', 'peak RSS', 'files changed'],
    row('tsc --noEmit', results.tsc),
    row('quiesce-codemod (typed, --jobs 1)', results.typed, changed.typed),
    ...(cpus > 1 ? [row(`quiesce-codemod (typed, --jobs ${cpus})`, results.threads, changed.threads)] : []),
    row('quiesce-codemod --no-type-check --jobs 1', results.syntax, changed.syntax),
    row('(detect() alone on tsc\'s program, no rewrite: detect-only.mjs)', results.detectOnly),
  ];
  const widths = table[0].map((_, column) => Math.max(...table.map((line) => String(line[column]).length)));
  console.log('');
  for (const line of table) console.log(line.map((cell, column) => String(cell).padEnd(widths[column])).join('  '));
  const typedRatio = median(results.typed.map((r) => r.ms)) / tscMs;
  console.log(`\naim: quiesce-codemod (typed, the default) at most ${aim}× tsc's wall time: ${typedRatio.toFixed(2)}× ${typedRatio <= aim ? 'met' : 'MISSED'}`);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
