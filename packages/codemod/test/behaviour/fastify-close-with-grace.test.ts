import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, killAll, prepareCase, runProcess, type ProcessRun } from './harness.js';

// Fastify on close-with-grace (fixture fastify-close-with-grace), under keep-alive load that goes on after SIGTERM,
// before and after the codemod: the original turns clients away uncleanly (Fastify's 503 while it closes, resets);
// the rewrite drains the app through the shim first, so every request gets its answer or a clean refusal.

const clients = 8;
/** Requests a client sends at most: a bound on the load whatever happens to the server. */
const maxRequestsPerClient = 400;

interface Outcome {
  readonly afterSignal: boolean;
  readonly status?: number;
  readonly errorCode?: string;
}

function get(port: number, agent: http.Agent): Promise<{ status?: number; errorCode?: string }> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', agent, timeout: 5_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode }));
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ errorCode: error.code ?? 'ERESPONSE' }));
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ errorCode: error.code ?? 'EREQUEST' }));
  });
}

/** Runs `file`, loads it with keep-alive clients from its `port` line on, and sends SIGTERM at `ready` (mid-load). */
async function runUnderLoad(file: string): Promise<{ run: ProcessRun; outcomes: Outcome[] }> {
  const outcomes: Outcome[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  let signalled = false;
  let stopped = false;
  const loops: Promise<void>[] = [];
  const startLoad = (port: number): void => {
    for (let client = 0; client < clients; client++) {
      loops.push(
        (async () => {
          for (let sent = 0; sent < maxRequestsPerClient && !stopped; sent++) {
            const afterSignal = signalled;
            const outcome = await get(port, agent);
            outcomes.push({ afterSignal, ...outcome });
            // The server is gone: its listener refuses, and there is nothing more to learn.
            if (outcome.errorCode === 'ECONNREFUSED') return;
          }
        })(),
      );
    }
  };
  const run = await runProcess(file, {
    signal: 'SIGTERM',
    when: (line) => {
      const port = /^port (\d+)$/.exec(line)?.[1];
      if (port !== undefined) startLoad(Number(port));
      if (line !== 'ready') return false;
      signalled = true;
      return true;
    },
  });
  stopped = true;
  await Promise.all(loops);
  agent.destroy();
  return { run, outcomes };
}

const clean = (outcome: Outcome): boolean => (outcome.status !== undefined && outcome.status < 500) || outcome.errorCode === 'ECONNREFUSED';
const summary = (outcomes: readonly Outcome[]): string =>
  JSON.stringify(outcomes.reduce<Record<string, number>>((counts, outcome) => {
    const key = `${outcome.afterSignal ? 'after' : 'before'} ${outcome.status ?? outcome.errorCode}`;
    counts[key] = (counts[key] ?? 0) + 1;
    return counts;
  }, {}));

afterEach(killAll);

describe('Fastify on close-with-grace (the real packages), under keep-alive load that continues after SIGTERM', () => {
  it('turns clients away uncleanly before; after, the shim drains it first: every request answered or cleanly refused, exit as before', async () => {
    const prepared = await prepareCase('fastify-close-with-grace');
    expect(prepared.rewrittenText).toContain('await shutdown(signal);');
    expect(prepared.rewrittenText).toContain('await trackServer(app).listen(');

    const original = await runUnderLoad(prepared.original);
    const rewritten = await runUnderLoad(prepared.rewritten);

    expect(original.run.killedByHarness, describeRun(original.run)).toBe(false);
    expect(original.run.code, describeRun(original.run)).toBe(0);
    expect(original.outcomes.filter((outcome) => !clean(outcome)).length, summary(original.outcomes)).toBeGreaterThan(0);

    expect(rewritten.run.killedByHarness, describeRun(rewritten.run)).toBe(false);
    expect(rewritten.run.code, describeRun(rewritten.run)).toBe(original.run.code);
    expect(rewritten.outcomes.filter((outcome) => outcome.afterSignal && outcome.status === 200).length, summary(rewritten.outcomes)).toBeGreaterThan(0);
    expect(rewritten.outcomes.filter((outcome) => !clean(outcome)), summary(rewritten.outcomes)).toEqual([]);
  }, 60_000);
});
