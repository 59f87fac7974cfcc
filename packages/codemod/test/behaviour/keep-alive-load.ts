/**
 * Keep-alive HTTP load on a behaviour case's server, going on after the signal: what each request got, and whether it
 * was sent after the signal. The case prints `port N` when it listens and `ready` when the signal may come.
 */
import http from 'node:http';
import { runProcess, type ProcessRun, type RunPlan } from './harness.js';

export interface Outcome {
  readonly afterSignal: boolean;
  readonly status?: number;
  readonly errorCode?: string;
}

export interface LoadOptions {
  /** Concurrent keep-alive clients (default 8). */
  readonly clients?: number;
  /** Requests a client sends at most: a bound on the load whatever happens to the server (default 400). */
  readonly maxRequestsPerClient?: number;
  readonly boundMs?: RunPlan['boundMs'];
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
export async function runUnderLoad(file: string, options: LoadOptions = {}): Promise<{ run: ProcessRun; outcomes: Outcome[] }> {
  const clients = options.clients ?? 8;
  const maxRequestsPerClient = options.maxRequestsPerClient ?? 400;
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
    ...(options.boundMs !== undefined ? { boundMs: options.boundMs } : {}),
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

/** Answered below 500, or refused at connect (the listener is closed): what a client can retry elsewhere. */
export const clean = (outcome: Outcome): boolean => (outcome.status !== undefined && outcome.status < 500) || outcome.errorCode === 'ECONNREFUSED';

export const summary = (outcomes: readonly Outcome[]): string =>
  JSON.stringify(
    outcomes.reduce<Record<string, number>>((counts, outcome) => {
      const key = `${outcome.afterSignal ? 'after' : 'before'} ${outcome.status ?? outcome.errorCode}`;
      counts[key] = (counts[key] ?? 0) + 1;
      return counts;
    }, {}),
  );
