// What each failed request met: runs one contender in the shutdown scenario of scenario.mjs (load
// continuing after SIGTERM), with diagnose-preload.mjs in the server and, in the load, each
// request's local port and error (diagnostics_channel), and prints per round the listener's close
// and the exit (ms after the signal) and, for each request that failed otherwise than refused, the
// server's events on its connection (or that the server never accepted it: it was in the accept
// queue when the listener closed, or its handshake was).
//
// node bench/shutdown/diagnose-resets.mjs --contender quiesce-nest [--rounds 20] [--keep-alive] [--fast-answers]
// --fast-answers: the fifth mode of scenario.mjs (20 keep-alive clients, answers of 0–5 ms) instead of 100 clients.
// QUIESCE_BENCH_EXTRA_WORK_NS=2000000 (with --contender quiesce) makes every request cost 2 ms of
// CPU: a server saturated by the reconnections, the flood of cause 4 in docs/frameworks.md.
import { subscribe } from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killAllChildren, now } from './child.mjs';
import { MODES, runScenario, uncleanFailures } from './scenario.mjs';

const { values: args } = parseArgs({
  options: { contender: { type: 'string', default: 'quiesce-nest' }, rounds: { type: 'string', default: '20' }, 'keep-alive': { type: 'boolean', default: false }, 'fast-answers': { type: 'boolean', default: false } },
});
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new TypeError(`--rounds must be a positive integer, got "${args.rounds}"`);
const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, 'contenders', `${args.contender}.mjs`);
const directory = mkdtempSync(join(tmpdir(), 'quiesce-diagnose-'));
// Children inherit both: the preload logs into the directory.
process.env.QUIESCE_DIAGNOSE_DIR = directory;
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${join(here, 'diagnose-preload.mjs')}`.trim();
process.once('exit', () => {
  killAllChildren();
  rmSync(directory, { recursive: true, force: true });
});

let failures = [];
subscribe('http.client.request.start', ({ request }) => {
  const record = { startedAt: now(), port: undefined };
  request.on('socket', (socket) => {
    const note = () => (record.port = socket.localPort);
    if (socket.localPort !== undefined) note();
    else socket.once('connect', note);
  });
  request.on('error', (error) => {
    if (error.code !== 'ECONNREFUSED') failures.push({ ...record, at: now(), error: error.code ?? error.message });
  });
});

// The fifth mode as scenario.mjs defines it, or 100 clients with load continuing after the signal.
const fastAnswers = MODES.find((mode) => mode.name === 'keep-alive, fast answers, load continues');
const load = args['fast-answers'] ? fastAnswers : { keepAlive: args['keep-alive'], loadAfterSignal: true, concurrency: 100 };

for (let round = 1; round <= rounds; round += 1) {
  failures = [];
  const result = await runScenario({ script, ...load, warmupMs: 700, hardLimitMs: 8_000, seed: round });
  const file = readdirSync(directory).find((name) => name.startsWith('server-'));
  const log = JSON.parse(readFileSync(join(directory, file), 'utf8'));
  rmSync(join(directory, file));
  const signalAt = log.find((entry) => entry.event === 'signal')?.at ?? Number.NaN;
  const at = (time) => (time === undefined ? '—' : (time - signalAt).toFixed(1));
  const listenerClose = log.find((entry) => entry.event === 'listener-close');
  const exit = log.find((entry) => entry.event === 'exit');
  console.log(
    `round ${round}: in flight lost ${result.inFlight - result.inFlightOutcomes.ok}, post-signal unclean ${uncleanFailures(result.afterSignalOutcomes)} of ${result.afterSignal}; ` +
      `listener closed at ${at(listenerClose?.at)} ms, exit at ${at(exit?.at)} ms (last response → exit ${result.lastResponseToExitMs?.toFixed(1) ?? '—'} ms)`,
  );
  for (const failure of failures) {
    const events = failure.port === undefined ? [] : log.filter((entry) => entry.port === failure.port);
    const seen = events.length === 0 ? 'never accepted by the server' : events.map((entry) => `${entry.event} at ${at(entry.at)}${entry.by ? ` by ${entry.by}` : ''}`).join('; ');
    console.log(`  ${failure.error}: sent at ${at(failure.startedAt)}, failed at ${at(failure.at)} ms: ${seen}`);
  }
}
