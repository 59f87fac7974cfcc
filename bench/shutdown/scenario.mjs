// One shutdown scenario: start a contender, load it, send SIGTERM mid-load, watch it exit
// (killing it at a hard limit), and sum up what happened to each request. The process, the load and
// the outcomes are @quiesce/verify's (through child.mjs and load.mjs); this file only counts them
// the way the benchmark's tables show them.
import { setTimeout as sleep } from 'node:timers/promises';
import { exitCodeOf, now, signalUntilExit, startServer } from './child.mjs';
import { startLoad } from './load.mjs';

const FAILURES = ['refused', 'reset', 'hangup', 'timeout', 'status', 'other'];

/**
 * The load modes, by number in `--modes`. Unless a mode says otherwise: 100 workers, requests of
 * 50–500 ms. The fifth is a few keep-alive clients with fast answers: answered with
 * `Connection: close` from the signal on, each reconnects at once, a flood of handshakes that can
 * keep the accept queue from ever being empty (a real Koa service's: runtime-shim's docs/design.md).
 */
export const MODES = [
  { name: 'keep-alive, load continues', keepAlive: true, loadAfterSignal: true },
  { name: 'keep-alive, load stops', keepAlive: true, loadAfterSignal: false },
  { name: 'no keep-alive, load continues', keepAlive: false, loadAfterSignal: true },
  { name: 'no keep-alive, load stops', keepAlive: false, loadAfterSignal: false },
  { name: 'keep-alive, fast answers, load continues', keepAlive: true, loadAfterSignal: true, concurrency: 20, minDurationMs: 0, maxDurationMs: 5 },
];

/**
 * @param {{ script: string, keepAlive: boolean, loadAfterSignal: boolean, warmupMs: number,
 *   hardLimitMs: number, concurrency: number, seed: number, minDurationMs?: number,
 *   maxDurationMs?: number }} options
 */
export async function runScenario({ script, keepAlive, loadAfterSignal, warmupMs, hardLimitMs, concurrency, seed, minDurationMs, maxDurationMs }) {
  const server = startServer(script);
  const port = await server.ready;
  let signalAt = Number.POSITIVE_INFINITY;
  let serverGone = false;
  const load = startLoad({
    port,
    keepAlive,
    concurrency,
    seed,
    minDurationMs,
    maxDurationMs,
    shouldContinue: () => !serverGone && (loadAfterSignal || now() < signalAt),
  });
  await sleep(warmupMs);
  const { exit, killed } = await signalUntilExit(server, { hardLimitMs, onSignal: (at) => (signalAt = at) });
  serverGone = true;
  const records = await load.done;
  load.close();
  return summarize(records, signalAt, exit, killed);
}

function countOutcomes(records) {
  const counts = Object.fromEntries(['ok', ...FAILURES].map((outcome) => [outcome, 0]));
  for (const record of records) counts[record.outcome] += 1;
  return counts;
}

export function summarize(records, signalAt, exit, killed) {
  const inFlight = records.filter((record) => record.startedAt < signalAt && record.endedAt > signalAt);
  const afterSignal = records.filter((record) => record.startedAt >= signalAt);
  const answeredAfterSignal = [...inFlight, ...afterSignal].filter((record) => record.outcome === 'ok');
  const lastResponseAt = Math.max(...answeredAfterSignal.map((record) => record.endedAt));
  return {
    inFlight: inFlight.length,
    inFlightOutcomes: countOutcomes(inFlight),
    afterSignal: afterSignal.length,
    afterSignalOutcomes: countOutcomes(afterSignal),
    // The server's own measure when it gave one; else the harness's (late on both ends under load).
    lastResponseToExitMs: answeredAfterSignal.length === 0 ? null : (exit.lastResponseToExitMs ?? exit.at - lastResponseAt),
    signalToExitMs: exit.at - signalAt,
    exitCode: exitCodeOf(exit),
    killed,
  };
}

/** Failures that lose a request: everything except a clean refusal of a new connection. */
export function uncleanFailures(outcomes) {
  return FAILURES.filter((outcome) => outcome !== 'refused').reduce((sum, outcome) => sum + outcomes[outcome], 0);
}
