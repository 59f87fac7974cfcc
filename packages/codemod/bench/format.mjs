#!/usr/bin/env node
// Formatting cost: the codemod on a Prettier-formatted copy of the plugin's bench corpus, with and without
// --no-format, interleaved, fresh copies and processes. `node bench/format.mjs [files=300] [runs=3]` after a build.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { generateCorpus } = await import(path.join(root, 'packages/eslint-plugin/bench/generate-corpus.mjs'));
const files = Number(process.argv[2] ?? 300), runs = Number(process.argv[3] ?? 3);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'quiesce-codemod-format-bench-'));
const corpus = path.join(scratch, 'corpus');
generateCorpus(corpus, { files });
writeFileSync(path.join(corpus, '.prettierrc'), '{ "singleQuote": true, "printWidth": 120 }\n');
symlinkSync(path.join(root, 'node_modules'), path.join(corpus, 'node_modules'));
let r = spawnSync(process.execPath, [path.join(root, 'node_modules/prettier/bin/prettier.cjs'), '--write', 'src', '--log-level', 'warn'], { cwd: corpus, encoding: 'utf8' });
if (r.status !== 0) throw new Error(r.stderr);
const cli = path.join(root, 'packages/codemod/bin/quiesce-codemod.js');
const times = { format: [], noFormat: [] };
for (let run = 0; run < runs; run++) {
  for (const [mode, extra] of [['format', []], ['noFormat', ['--no-format']]]) {
    const copy = path.join(scratch, `w-${mode}-${run}`);
    cpSync(corpus, copy, { recursive: true, verbatimSymlinks: true });
    const start = process.hrtime.bigint();
    r = spawnSync(process.execPath, [cli, '--format', 'json', '--allow-dirty', '--jobs', '1', ...extra], { cwd: copy, encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(r.stderr);
    const report = JSON.parse(r.stdout);
    times[mode].push(ms);
    console.log(`run ${run + 1} ${mode}: ${ms.toFixed(0)} ms, changed ${report.summary.changed}, formatted ${report.summary.formatted}`);
    rmSync(copy, { recursive: true, force: true });
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`median with formatting ${median(times.format).toFixed(0)} ms, --no-format ${median(times.noFormat).toFixed(0)} ms, ratio ${(median(times.format) / median(times.noFormat)).toFixed(2)}x`);
rmSync(scratch, { recursive: true, force: true });
