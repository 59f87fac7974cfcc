// `npm run bench` (packages/runtime-shim): the shim's cost, side by side with the cheapest
// equivalent in the same run. Needs --expose-gc for the memory figures (added below).
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createQuiescer } from '@quiesce/runtime-shim';
import { fmt, median } from './stats.mjs';

if (typeof globalThis.gc !== 'function') {
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  await main();
}

function heapAfterGc() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

async function timeBatch(wrap, batch) {
  const results = new Array(batch);
  const start = performance.now();
  for (let i = 0; i < batch; i++) results[i] = wrap(Promise.resolve(i));
  await Promise.all(results);
  return ((performance.now() - start) * 1e6) / batch; // ns per task
}

async function trackCost() {
  const quiescer = createQuiescer({ logger: false });
  const noop = () => {};
  const contenders = {
    'p.finally(noop)': (p) => p.finally(noop),
    'track(p)': (p) => quiescer.track(p),
  };
  const samples = { 'p.finally(noop)': [], 'track(p)': [] };
  for (let round = 0; round < 25; round++) {
    // Alternate the order so that neither side always runs on a warmer or a dirtier heap.
    const order = round % 2 ? Object.keys(contenders) : Object.keys(contenders).reverse();
    for (const name of order) samples[name].push(await timeBatch(contenders[name], 20_000));
  }
  const base = median(samples['p.finally(noop)'].slice(5));
  const ours = median(samples['track(p)'].slice(5));
  return { base, ours, ratio: ours / base };
}

function heapWith(mode, count) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'children', 'heap.mjs');
  const out = execFileSync(process.execPath, ['--expose-gc', script], {
    env: { ...process.env, MODE: mode, COUNT: String(count) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out);
}

function bytesPerInFlight(count = 100_000, rounds = 3) {
  const perTask = { 'p.finally(noop)': [], 'track(p)': [] };
  for (let round = 0; round < rounds; round++) {
    const base = heapWith('pending only', count).heapUsed;
    for (const mode of Object.keys(perTask)) {
      const measured = heapWith(mode, count);
      if (mode === 'track(p)' && measured.inFlight !== count) throw new Error('bench bug: tasks are not in flight');
      perTask[mode].push((measured.heapUsed - base) / count);
    }
  }
  return { finallyBytes: median(perTask['p.finally(noop)']), trackBytes: median(perTask['track(p)']) };
}

async function flatAfterCycles() {
  const quiescer = createQuiescer({ logger: false });
  const runTrackCycles = async (cycles) => {
    for (let done = 0; done < cycles; done += 10_000) {
      const batch = [];
      for (let i = 0; i < 10_000; i++) batch.push(quiescer.track(Promise.resolve(i)));
      await Promise.all(batch);
    }
  };
  const runIntervalCycles = (cycles) => {
    for (let i = 0; i < cycles; i++) {
      const timer = quiescer.setInterval(() => {}, 60_000);
      if (i % 2) globalThis.clearInterval(timer);
      else quiescer.clearInterval(timer);
    }
  };
  await runTrackCycles(50_000); // warm up so that JIT and heap growth are not counted as a leak
  runIntervalCycles(10_000);
  const before = heapAfterGc();
  await runTrackCycles(1_000_000);
  const afterTracks = heapAfterGc();
  runIntervalCycles(100_000);
  const afterIntervals = heapAfterGc();
  return {
    trackDelta: afterTracks - before,
    intervalDelta: afterIntervals - afterTracks,
    inFlight: quiescer.inFlightCount,
    timersLeft: quiescer.activeTimerCount,
  };
}

function runChild(mode) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'children', 'exit-latency.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, MODE: mode }, stdio: ['ignore', 'pipe', 'inherit'] });
    const limit = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`${mode}: child did not exit in 10 s`))), 10_000);
    let out = '';
    let signalledAt = 0;
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (!signalledAt && out.includes('ready')) {
        signalledAt = performance.timeOrigin + performance.now();
        child.kill('SIGTERM');
      }
    });
    child.on('exit', () => {
      clearTimeout(limit);
      const exitedAt = performance.timeOrigin + performance.now();
      const settled = /settled (\d+(\.\d+)?)/.exec(out);
      resolve({ fromSignal: exitedAt - signalledAt, fromLastTask: settled ? exitedAt - Number(settled[1]) : undefined });
    });
  });
}

async function exitLatency(rounds = 15) {
  const samples = { bare: [], idle: [], lastTask: [] };
  for (let round = 0; round < rounds; round++) {
    samples.bare.push((await runChild('bare-idle')).fromSignal);
    samples.idle.push((await runChild('idle')).fromSignal);
    samples.lastTask.push((await runChild('last-task')).fromLastTask);
  }
  return { bare: median(samples.bare), idle: median(samples.idle), lastTask: median(samples.lastTask) };
}

async function main() {
  console.log(`@quiesce/runtime-shim benchmark — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);

  const cost = await trackCost();
  console.log('track() cost (20,000-task batches, median of 20 rounds, alternating order)');
  console.log(`  p.finally(noop)   ${fmt(cost.base)} ns/task`);
  console.log(`  track(p)          ${fmt(cost.ours)} ns/task`);
  console.log(`  ratio             ${fmt(cost.ratio, 2)}x   (aim <= 1.5x)\n`);

  const bytes = bytesPerInFlight();
  console.log('Memory per in-flight task (100,000 pending at once, heap after GC in fresh processes, median of 3; on top of the pending promise itself)');
  console.log(`  p.finally(noop)   ${fmt(bytes.finallyBytes, 0)} B`);
  console.log(`  track(p)          ${fmt(bytes.trackBytes, 0)} B   (aim <= 300 B)`);
  console.log(`  ratio             ${fmt(bytes.trackBytes / bytes.finallyBytes, 2)}x\n`);

  const flat = await flatAfterCycles();
  console.log('Memory after many cycles (heap after GC, difference from before)');
  console.log(`  1,000,000 track/settle cycles          ${fmt(flat.trackDelta / 1024)} KiB   (in flight after: ${flat.inFlight})`);
  console.log(`  100,000 interval create/clear cycles   ${fmt(flat.intervalDelta / 1024)} KiB   (half with the global clearInterval; tracked timers left: ${flat.timersLeft})\n`);

  const latency = await exitLatency();
  console.log('Exit latency in a real child process (median of 15 runs)');
  console.log(`  SIGTERM → exit, nothing in flight, bare process.exit(0)   ${fmt(latency.bare)} ms`);
  console.log(`  SIGTERM → exit, nothing in flight, quiesce                ${fmt(latency.idle)} ms   (ratio ${fmt(latency.idle / latency.bare, 2)}x; aim <= 20 ms)`);
  console.log(`  last task settles → exit, quiesce                         ${fmt(latency.lastTask)} ms   (aim <= 20 ms)`);
}
