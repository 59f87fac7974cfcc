// `npm run bench -w @quiesce/verify`: the package's own overhead, side by side in one run.
//  1. Load driver: requests per second (and the driver's CPU per request) of @quiesce/verify's
//     startHttpLoad against the driver bench/shutdown used before it moved here (a frozen copy,
//     baseline-bench-shutdown-load.mjs), both at once in processes of their own, keep-alive and not.
//  2. Exit lag: verify()'s exitLagMs against the shutdown benchmark's own figure for the same run
//     (bench/shutdown/contenders/quiesce.mjs reports its last response and its exit by its own clock).
// The machine is shared and noisy: medians and ratios, never single runs.
//
// Options: --rounds N (default 9), --slice-ms N (default 2000), --concurrency N (default 50),
//          --exit-rounds N (default 9), --no-load, --no-exit-lag
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killAllServices, startService, verify } from '../dist/index.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    'slice-ms': { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '50' },
    'exit-rounds': { type: 'string', default: '9' },
    'no-load': { type: 'boolean', default: false },
    'no-exit-lag': { type: 'boolean', default: false },
  },
});
function positive(name) {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`--${name} must be a positive integer, got "${args[name]}"`);
  return value;
}
const rounds = positive('rounds');
const sliceMs = positive('slice-ms');
const concurrency = positive('concurrency');
const exitRounds = positive('exit-rounds');

process.once('exit', killAllServices);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAllServices();
    process.exit(130);
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const table = (header, rows) => {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => String(row[column]).length)));
  const line = (cells) => `| ${cells.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
};

async function startServer(script, env = {}) {
  let announce;
  const port = new Promise((resolve) => (announce = resolve));
  const service = startService({
    command: process.execPath,
    args: [script],
    env,
    onLine: (line, stream) => {
      if (stream === 'stdout' && line.startsWith('{"port"')) announce(JSON.parse(line).port);
    },
  });
  return { service, port: await port };
}

/** Runs one driver in a child process for one slice; resolves with what it measured. */
function driverSlice(driver, port, keepAlive) {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = startService({
      command: process.execPath,
      args: [fileURLToPath(new URL('./driver-child.mjs', import.meta.url)), driver, String(port), keepAlive ? '1' : '0', String(concurrency), String(sliceMs)],
      onLine: (line) => {
        output += `${line}\n`;
      },
    });
    void child.exited.then((exit) => {
      const last = output.trim().split('\n').at(-1) ?? '';
      if (exit.code === 0 && last.startsWith('{')) resolve(JSON.parse(last));
      else reject(new Error(`the ${driver} driver exited ${exit.code ?? exit.signal}:\n${output}`));
    });
  });
}

// Both drivers run at the same time, each in its own process against its own server, so that
// whatever else loads the machine loads both alike; the servers swap drivers every round.
async function loadDriverBenchmark() {
  const script = fileURLToPath(new URL('./server.mjs', import.meta.url));
  const servers = [await startServer(script), await startServer(script)];
  const rows = [];
  const summaries = [];
  try {
    for (const keepAlive of [true, false]) {
      const results = { baseline: [], verify: [] };
      for (let round = 0; round < rounds; round += 1) {
        const [first, second] = round % 2 === 0 ? servers : [servers[1], servers[0]];
        const [baseline, verify] = await Promise.all([driverSlice('baseline', first.port, keepAlive), driverSlice('verify', second.port, keepAlive)]);
        results.baseline.push(baseline);
        results.verify.push(verify);
        process.stderr.write('.');
      }
      const ratios = results.verify.map((result, round) => result.perSecond / results.baseline[round].perSecond);
      const cpuRatios = results.verify.map((result, round) => results.baseline[round].cpuMicrosPerRequest / result.cpuMicrosPerRequest);
      const mode = keepAlive ? 'keep-alive' : 'no keep-alive';
      for (const driver of ['baseline', 'verify']) {
        rows.push([
          mode,
          driver === 'baseline' ? 'bench/shutdown driver before #18 (baseline copy)' : '@quiesce/verify startHttpLoad',
          median(results[driver].map((result) => result.perSecond)).toFixed(0),
          median(results[driver].map((result) => result.cpuMicrosPerRequest)).toFixed(1),
        ]);
      }
      summaries.push(
        `${mode}: req/s ratio verify / baseline, median of ${rounds} paired rounds: ${median(ratios).toFixed(3)} ` +
          `(rounds ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}); CPU ratio (baseline's CPU per request / verify's): ${median(cpuRatios).toFixed(3)}`,
      );
    }
  } finally {
    await Promise.all(servers.map((server) => server.service.kill()));
  }
  process.stderr.write('\n');
  console.log(
    `\n## Load driver: ${concurrency} workers against a server answering at once; both drivers at the same time, each in its own process ` +
      `with its own server, ${rounds} rounds of ${sliceMs} ms\n`,
  );
  console.log(table(['mode', 'driver', 'median req/s', 'median driver CPU µs/request'], rows));
  console.log(`\n${summaries.join('\n')}\naim: req/s ratio >= 1 (the package's driver sustains at least the old driver's rate)`);
}

/** Durations spread over 50–500 ms, as bench:shutdown's scenarios send. */
const PATHS = Array.from({ length: 20 }, (_, index) => `/?ms=${Math.round(50 + ((index * 0.6180339887498949) % 1) * 450)}`);

async function exitLagBenchmark() {
  const contender = fileURLToPath(new URL('../../../bench/shutdown/contenders/quiesce.mjs', import.meta.url));
  const rows = [];
  const differences = [];
  for (let round = 0; round < exitRounds; round += 1) {
    const report = await verify({
      command: [process.execPath, contender],
      readyLine: /^\{"port":(?<port>\d+)\}$/,
      paths: PATHS,
      concurrency: 100,
      afterMs: 700,
      hardLimitMs: 8000,
    });
    const run = report.runs[0];
    // The contender's own account, its last stdout line (see bench/shutdown/contenders/app.mjs).
    const own = run.outputTail.map((line) => (line.startsWith('{"exitAt"') ? JSON.parse(line) : undefined)).find(Boolean);
    const benchmarkMs = own?.lastResponseAt === undefined ? null : own.exitAt - own.lastResponseAt;
    if (run.exitLagMs !== null && benchmarkMs !== null) differences.push(run.exitLagMs - benchmarkMs);
    rows.push([
      round + 1,
      run.verdict === 'pass' ? 'pass' : `fail: ${run.checks.filter((check) => !check.passed).map((check) => check.message).join('; ')}`,
      run.exitLagMs === null ? '—' : run.exitLagMs.toFixed(2),
      benchmarkMs === null ? '—' : benchmarkMs.toFixed(2),
      run.exitLagMs === null || benchmarkMs === null ? '—' : (run.exitLagMs - benchmarkMs).toFixed(2),
    ]);
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  console.log('\n## Exit lag: verify()\'s figure against the shutdown benchmark\'s own (the server\'s clock) for the same run\n');
  console.log(table(['round', 'verdict', 'verify exitLagMs', 'benchmark last response → exit (ms)', 'difference (ms)'], rows));
  const absolute = differences.map(Math.abs);
  console.log(
    `\nmedian difference ${median(differences).toFixed(2)} ms, median |difference| ${median(absolute).toFixed(2)} ms, ` +
      `largest |difference| ${Math.max(...absolute).toFixed(2)} ms over ${differences.length} runs; aim: within 2 ms`,
  );
}

try {
  if (!args['no-load']) await loadDriverBenchmark();
  if (!args['no-exit-lag']) await exitLagBenchmark();
} finally {
  killAllServices();
}
