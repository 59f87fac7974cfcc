// `npm run bench:shutdown`: how each popular shutdown approach treats requests in flight at SIGTERM
// and requests sent after it, side by side in one run; then trackServer's throughput cost; then a
// simulated rolling restart. Everything runs on 127.0.0.1, bounded in time, children always killed.
//
// Options: --rounds N (scenario repetitions, default 2), --only name,name (contenders),
//          --modes 1,3 (which of the five modes, by number; scenario.mjs lists them),
//          --throughput-rounds N (default 6), --no-throughput, --no-pin (throughput without
//          taskset CPU pinning), --no-rolling, --no-scenarios (only throughput and rolling restart),
//          --baseline-shim <dir> (throughput also with another build of the shim: the runtime-shim
//          package directory of another checkout, built; to compare a change with the code before),
//          --throughput-apps http,fastify,hono,hapi,nest (default http: which apps' throughput,
//          bare against trackServer; plain http also with the calibration).
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { killAllChildren } from './child.mjs';
import { runRollingRestart } from './rolling.mjs';
import { MODES, runScenario, uncleanFailures } from './scenario.mjs';
import { droppedMessages, runMessageScenario } from './messages.mjs';
import { formatTable } from './table.mjs';
import { measureHotPath } from './hot-path.mjs';
import { CALIBRATION_EXTRA_NS, compareThroughput } from './throughput.mjs';

const CONTENDERS = [
  'bare',
  'process-exit',
  'server-close',
  'close-with-grace',
  'http-terminator',
  'terminus',
  'stoppable',
  'quiesce',
  // Frameworks: each one's own graceful close beside quiesce on the same framework.
  'fastify-close',
  'quiesce-fastify',
  // Fastify on close-with-grace (its demo app's shutdown), and the codemod's rewrite of it.
  'fastify-close-with-grace',
  'quiesce-fastify-close-with-grace',
  'hono-close',
  'quiesce-hono',
  'hapi-stop',
  'quiesce-hapi',
  'nest-close',
  'quiesce-nest',
  // The codemod's rewrite of nest-close (Nest's signals handed to the shim, re-raised at the end).
  'quiesce-nest-shutdown-hooks',
];
// Message protocols (messages.mjs): each one's own close beside quiesce's trackServer.
const MESSAGE_CONTENDERS = {
  'ws-close': 'ws',
  'quiesce-ws': 'ws',
  'socketio-close': 'socket.io',
  'quiesce-socketio': 'socket.io',
  'grpc-tryshutdown': 'grpc',
  'quiesce-grpc': 'grpc',
};
const MESSAGE_MODES = [
  { name: 'load continues', loadAfterSignal: true },
  { name: 'load stops', loadAfterSignal: false },
];
const HARD_LIMIT_MS = 8_000;
/** The exit status a quiesce contender ends with after a clean drain: 0, or 143 for one that re-raises SIGTERM. */
const EXPECTED_EXIT = { 'quiesce-nest-shutdown-hooks': 143 };
const QUIESCE_EXIT_BUDGET_MS = 50;

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    only: { type: 'string' },
    modes: { type: 'string' },
    'throughput-rounds': { type: 'string', default: '6' },
    'no-throughput': { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    'no-rolling': { type: 'boolean', default: false },
    'no-scenarios': { type: 'boolean', default: false },
    'baseline-shim': { type: 'string' },
    'throughput-apps': { type: 'string', default: 'http' },
  },
});

function positiveInteger(name, text) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`--${name} must be a positive integer, got "${text}"`);
  }
  return value;
}

const contenderDir = join(dirname(fileURLToPath(import.meta.url)), 'contenders');
const scriptOf = (name) => join(contenderDir, `${name}.mjs`);
const rounds = positiveInteger('rounds', args.rounds);
const allContenders = [...CONTENDERS, ...Object.keys(MESSAGE_CONTENDERS)];
const chosen = args.only === undefined ? allContenders : args.only.split(',');
for (const name of chosen) {
  if (!allContenders.includes(name)) throw new TypeError(`--only: unknown contender "${name}"; known: ${allContenders.join(', ')}`);
}
const contenders = chosen.filter((name) => CONTENDERS.includes(name));
const messageContenders = chosen.filter((name) => name in MESSAGE_CONTENDERS);

const modes = args.modes === undefined ? MODES : args.modes.split(',').map((text) => {
  const mode = MODES[Number(text) - 1];
  if (mode === undefined) throw new TypeError(`--modes: "${text}" is not a mode number from 1 to ${MODES.length}`);
  return mode;
});

/** The ESM entry of another build of the shim, as a file URL, from its package directory. */
function baselineShimUrl(directory) {
  if (directory === undefined) return undefined;
  const entry = join(resolve(directory), 'dist', 'esm', 'index.js');
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new TypeError(`--baseline-shim: "${directory}" is not a directory; give the packages/runtime-shim directory of another checkout`);
  }
  if (!existsSync(entry)) {
    throw new TypeError(`--baseline-shim: no build at ${entry}; run \`npm run build -w @quiesce/runtime-shim\` in that checkout first`);
  }
  return pathToFileURL(entry).href;
}
const baselineShim = baselineShimUrl(args['baseline-shim']);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}
process.once('exit', killAllChildren);

function describeFailures(outcomes) {
  const parts = ['reset', 'hangup', 'timeout', 'status', 'other']
    .filter((outcome) => outcomes[outcome] > 0)
    .map((outcome) => `${outcomes[outcome]} ${outcome}`);
  return parts.length === 0 ? '0' : parts.join(', ');
}

const round1 = (value) => (value === null ? '—' : value.toFixed(0));

const joinRounds = (values) => values.join(' / ');

async function shutdownScenarios() {
  const rows = [];
  const quiesceProblems = [];
  for (const mode of modes) {
    for (const contender of contenders) {
      const results = [];
      for (let round = 0; round < rounds; round += 1) {
        const result = await runScenario({
          script: scriptOf(contender),
          keepAlive: mode.keepAlive,
          loadAfterSignal: mode.loadAfterSignal,
          warmupMs: 700,
          hardLimitMs: HARD_LIMIT_MS,
          concurrency: mode.concurrency ?? 100,
          minDurationMs: mode.minDurationMs,
          maxDurationMs: mode.maxDurationMs,
          seed: round + 1,
        });
        results.push(result);
        if (contender.startsWith('quiesce')) {
          const problems = quiesceProblemsOf(result, EXPECTED_EXIT[contender] ?? 0);
          if (problems.length > 0) quiesceProblems.push(`${mode.name}, round ${round + 1}: ${problems.join('; ')}`);
        }
        process.stderr.write('.');
      }
      // One row per mode and contender; a cell holds each round's figure, separated by " / ".
      rows.push([
        mode.name,
        contender,
        joinRounds(results.map((result) => result.inFlight)),
        joinRounds(results.map((result) => describeFailures(result.inFlightOutcomes))),
        joinRounds(results.map((result) => result.afterSignal)),
        joinRounds(results.map((result) => result.afterSignalOutcomes.refused)),
        joinRounds(results.map((result) => describeFailures(result.afterSignalOutcomes))),
        joinRounds(results.map((result) => (result.killed ? '—' : round1(result.lastResponseToExitMs)))),
        joinRounds(results.map((result) => (result.killed ? `killed at ${HARD_LIMIT_MS / 1000} s` : String(result.exitCode)))),
      ]);
    }
  }
  process.stderr.write('\n');
  console.log(
    `\n## Shutdown under load (100 concurrent requests of 50–500 ms; fast answers: 20 of 0–5 ms; SIGTERM after 700 ms; ${rounds} round(s), figures per round)\n`,
  );
  console.log(
    formatTable(
      ['mode', 'contender', 'in flight', 'in flight lost', 'sent after', 'refused', 'failed uncleanly', 'last response → exit (ms)', 'exit'],
      rows,
    ),
  );
  return quiesceProblems;
}

const describeMessageOutcomes = (outcomes, names) => {
  const parts = names.filter((outcome) => outcomes[outcome] > 0).map((outcome) => `${outcomes[outcome]} ${outcome}`);
  return parts.length === 0 ? '0' : parts.join(', ');
};

async function messageScenarios() {
  const rows = [];
  const quiesceProblems = [];
  for (const mode of MESSAGE_MODES) {
    for (const contender of messageContenders) {
      const results = [];
      for (let round = 0; round < rounds; round += 1) {
        const result = await runMessageScenario({
          script: scriptOf(contender),
          protocol: MESSAGE_CONTENDERS[contender],
          loadAfterSignal: mode.loadAfterSignal,
          warmupMs: 700,
          hardLimitMs: HARD_LIMIT_MS,
          clients: 50,
          seed: round + 1,
        });
        results.push(result);
        if (contender.startsWith('quiesce')) {
          const problems = messageProblemsOf(result);
          if (problems.length > 0) quiesceProblems.push(`${contender}, ${mode.name}, round ${round + 1}: ${problems.join('; ')}`);
        }
        process.stderr.write('.');
      }
      rows.push([
        mode.name,
        contender,
        joinRounds(results.map((result) => result.inFlight)),
        joinRounds(results.map((result) => describeMessageOutcomes(result.inFlightOutcomes, ['refused', 'closed', 'dropped', 'error', 'timeout']))),
        joinRounds(results.map((result) => result.afterSignal)),
        joinRounds(results.map((result) => result.afterSignalOutcomes.ok)),
        joinRounds(results.map((result) => describeMessageOutcomes(result.afterSignalOutcomes, ['refused', 'closed']))),
        joinRounds(results.map((result) => describeMessageOutcomes(result.afterSignalOutcomes, ['dropped', 'error', 'timeout']))),
        joinRounds(results.map((result) => (result.killed ? '—' : round1(result.lastResponseToExitMs)))),
        joinRounds(results.map((result) => (result.killed ? `killed at ${HARD_LIMIT_MS / 1000} s` : String(result.exitCode)))),
      ]);
    }
  }
  process.stderr.write('\n');
  console.log(
    `\n## Messages and calls under load (ws, Socket.IO, gRPC: 50 clients, one message of 50–500 ms at a time each, SIGTERM after 700 ms; ${rounds} round(s), figures per round)\n`,
  );
  console.log(
    formatTable(
      ['mode', 'contender', 'in flight', 'in flight lost', 'sent after', 'answered', 'refused or closed (clean)', 'dropped (unclean)', 'last answer or close → exit (ms)', 'exit'],
      rows,
    ),
  );
  return quiesceProblems;
}

function messageProblemsOf(result) {
  const problems = [];
  const lost = result.inFlight - result.inFlightOutcomes.ok;
  if (lost > 0) problems.push(`${lost} in-flight messages lost`);
  const dropped = droppedMessages(result.afterSignalOutcomes);
  if (dropped > 0) problems.push(`${dropped} post-signal messages dropped`);
  if (result.killed || result.exitCode !== 0) problems.push(`exit ${result.killed ? 'killed' : result.exitCode}`);
  if (result.lastResponseToExitMs !== null && result.lastResponseToExitMs > QUIESCE_EXIT_BUDGET_MS) {
    problems.push(`exited ${round1(result.lastResponseToExitMs)} ms after its last answer or close`);
  }
  return problems;
}

function quiesceProblemsOf(result, expectedExit) {
  const problems = [];
  const lost = result.inFlight - result.inFlightOutcomes.ok;
  if (lost > 0) problems.push(`${lost} in-flight requests lost`);
  const unclean = uncleanFailures(result.afterSignalOutcomes);
  if (unclean > 0) problems.push(`${unclean} post-signal requests failed uncleanly`);
  if (result.killed || result.exitCode !== expectedExit) problems.push(`exit ${result.killed ? 'killed' : result.exitCode}`);
  if (result.lastResponseToExitMs !== null && result.lastResponseToExitMs > QUIESCE_EXIT_BUDGET_MS) {
    problems.push(`exited ${round1(result.lastResponseToExitMs)} ms after its last response`);
  }
  return problems;
}

const THROUGHPUT_APPS = ['http', 'fastify', 'hono', 'hapi', 'nest'];
const throughputApps = args['throughput-apps'].split(',');
for (const app of throughputApps) {
  if (!THROUGHPUT_APPS.includes(app)) throw new TypeError(`--throughput-apps: unknown app "${app}"; known: ${THROUGHPUT_APPS.join(', ')}`);
}

/** Each framework's throughput, bare against trackServer in the same slices (no calibration). */
async function frameworkThroughput(rounds) {
  const rows = [];
  for (const app of throughputApps.filter((name) => name !== 'http')) {
    const result = await compareThroughput({ script: scriptOf(`quiesce-${app}`), rounds, pin: !args['no-pin'], withCalibration: false });
    const { bare, tracked } = result.sides;
    const cpu = (side) => (side.medianCpuMicrosPerRequest === undefined ? '—' : side.medianCpuMicrosPerRequest.toFixed(1));
    rows.push([
      app,
      bare.medianRequestsPerSecond.toFixed(0),
      tracked.medianRequestsPerSecond.toFixed(0),
      cpu(bare),
      cpu(tracked),
      result.tracked.ratio.toFixed(3),
      result.tracked.cpuRatio === undefined ? '—' : result.tracked.cpuRatio.toFixed(3),
    ]);
    process.stderr.write('.');
  }
  if (rows.length === 0) return;
  process.stderr.write('\n');
  console.log(
    `\n## Throughput per framework: trackServer against the same app untracked, loaded at the same time (${rounds} rounds; medians of the slices; aim >= 0.97)\n`,
  );
  console.log(
    formatTable(
      ['app', 'bare req/s', 'tracked req/s', 'bare CPU µs/request', 'tracked CPU µs/request', 'tracked / bare, req/s', 'tracked / bare, CPU-bound'],
      rows,
    ),
  );
}

async function throughput() {
  const rounds = positiveInteger('throughput-rounds', args['throughput-rounds']);
  if (!throughputApps.includes('http')) return frameworkThroughput(rounds);
  const result = await compareThroughput({ script: scriptOf('quiesce'), rounds, pin: !args['no-pin'], baselineShimUrl: baselineShim });
  const { bare, tracked, calibration, baseline } = result.sides;
  const row = (name, side) => [
    name,
    side.medianRequestsPerSecond.toFixed(0),
    side.medianCpuMicrosPerRequest === undefined ? '—' : side.medianCpuMicrosPerRequest.toFixed(1),
  ];
  const placement = result.pinned ? 'the servers sharing CPU 1, the load generator on CPU 0' : 'unpinned';
  const { connections, slicesPerRound, durationSeconds, warmUpSeconds } = result.settings;
  console.log(
    `\n## Throughput: trackServer against the same server untracked, loaded at the same time (autocannon, ${connections} connections each; ` +
      `${rounds} rounds of fresh servers, ${warmUpSeconds} s of warm-up, then ${slicesPerRound} slices of ${durationSeconds} s; ${placement})\n`,
  );
  console.log(
    formatTable(
      ['server', 'median req/s', 'median main-thread CPU µs/request'],
      [
        row('bare', bare),
        row('trackServer', tracked),
        row(`calibration: bare + ${CALIBRATION_EXTRA_NS / 1000} µs per request`, calibration),
        ...(baseline === undefined ? [] : [row('trackServer, baseline build (--baseline-shim)', baseline)]),
      ],
    ),
  );
  const ratios = (label, measured) =>
    `${label}, median of the ${result.slices.length} slices: ${measured.ratio.toFixed(3)} req/s` +
    (measured.cpuRatio === undefined ? '' : `, ${measured.cpuRatio.toFixed(3)} CPU-bound (bare's CPU per request / its own)`);
  const bareCpu = bare.medianCpuMicrosPerRequest;
  console.log(
    `\n${ratios('throughput ratio tracked / bare', result.tracked)}; aim >= 0.97` +
      `\n${ratios('calibration / bare', result.calibration)}` +
      (bareCpu === undefined
        ? ''
        : `; its known cost alone would give ${(bareCpu / (bareCpu + CALIBRATION_EXTRA_NS / 1000)).toFixed(3)}, ` +
          'so the distance to that is what this run resolves'),
  );
  if (result.baseline !== undefined) {
    console.log(
      `${ratios('baseline build / bare', result.baseline)}` +
        (result.trackedOverBaselineCpu === undefined
          ? ''
          : `\nthis build against the baseline build, paired in each slice: ${result.trackedOverBaselineCpu.toFixed(3)} ` +
            "(the baseline's CPU per request / this build's; above 1, this build is cheaper)"),
    );
  }
  const hotPath = measureHotPath();
  console.log(
    `\ntrackServer's own request path, in process without sockets (medians of 7 × 200,000): ` +
      `${hotPath.bareNs.toFixed(0)} ns bare, ${hotPath.trackedNs.toFixed(0)} ns tracked: ` +
      `+${hotPath.overheadNs.toFixed(0)} ns per request` +
      (bareCpu === undefined
        ? ''
        : `; against the ${bareCpu.toFixed(1)} µs a request costs the bare server above, a ratio of ` +
          `${(bareCpu / (bareCpu + hotPath.overheadNs / 1000)).toFixed(3)}`),
  );
  await frameworkThroughput(rounds);
}

async function rollingRestarts() {
  const routingLagMs = 300;
  const variants = [
    { name: 'quiesce, readinessDelayMs 1000', script: scriptOf('quiesce'), env: { QUIESCE_READINESS_DELAY_MS: '1000' } },
    { name: 'quiesce, no readiness delay', script: scriptOf('quiesce'), env: {} },
    { name: 'terminus', script: scriptOf('terminus'), env: {} },
    { name: 'http-terminator', script: scriptOf('http-terminator'), env: {} },
  ];
  const rows = [];
  let quiesceFailures = 0;
  for (const variant of variants) {
    const result = await runRollingRestart({
      script: variant.script,
      env: variant.env,
      routingLagMs,
      hardLimitMs: HARD_LIMIT_MS,
      concurrency: 100,
      seed: 7,
    });
    if (variant.name.startsWith('quiesce, readiness')) quiesceFailures = result.failed;
    const errors = Object.entries(result.upstreamErrors).map(([code, count]) => `${count} ${code}`).join(', ');
    rows.push([variant.name, result.requests, result.failed, errors || '—', result.exitCodes.join(', ')]);
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  console.log(`\n## Rolling restart through a proxy that routes to a signalled instance for ${routingLagMs} ms more\n`);
  console.log(formatTable(['instances', 'requests', 'failed', 'proxy saw upstream errors', 'old instances exit'], rows));
  return quiesceFailures;
}

try {
  const problems = args['no-scenarios']
    ? []
    : [
        ...(contenders.length > 0 ? await shutdownScenarios() : []),
        ...(messageContenders.length > 0 ? await messageScenarios() : []),
      ];
  if (!args['no-throughput'] && (contenders.includes('quiesce') || throughputApps.some((app) => app !== 'http'))) await throughput();
  let rollingFailures = 0;
  if (!args['no-rolling'] && contenders.includes('quiesce')) rollingFailures = await rollingRestarts();
  if (chosen.some((name) => name.startsWith('quiesce'))) {
    console.log('\n## quiesce requirements');
    if (args['no-scenarios']) {
      console.log('shutdown scenarios not run (--no-scenarios)');
    } else {
      console.log(
        problems.length === 0
          ? `met: 0 in-flight lost, 0 post-signal requests failed uncleanly, exit 0 (143 for a contender that re-raises SIGTERM) within ${QUIESCE_EXIT_BUDGET_MS} ms of the last response, in every mode and round`
          : `NOT met:\n- ${problems.join('\n- ')}`,
      );
    }
    if (!args['no-rolling']) console.log(`rolling restart with readiness delay: ${rollingFailures} failed requests`);
  }
} finally {
  killAllChildren();
}
