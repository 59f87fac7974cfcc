// The HTTP load driver: a fixed number of workers, each sending one request at a time with
// node:http through one agent (keep-alive or not), optionally paced to a total rate, recording how
// every request ended. A worker that saw a failure waits `retryDelayMs` before its next request, as
// a client retrying would, so a refused port is not hammered in a busy loop.
import { Agent, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { now } from '../clock.js';
import { classifyError, classifyStatus } from '../outcome.js';
import type { RequestOutcome, RequestRecord } from '../report-types.js';

export interface HttpRequestSpec {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface HttpLoadOptions {
  host?: string;
  port: number;
  /** The next request to send; called once per request, in order. */
  nextRequest: () => HttpRequestSpec;
  keepAlive: boolean;
  concurrency: number;
  /** Requests per second across all workers; unpaced when undefined. */
  ratePerSecond?: number;
  /** Checked before each request: false stops the worker. */
  shouldContinue: () => boolean;
  /** A request with no response by then is `hung` (and its socket destroyed). */
  requestTimeoutMs?: number;
  retryDelayMs?: number;
  /** A bound on the run's memory: no worker sends more once this many were recorded. */
  maxRequests?: number;
  /** Called with each record as its outcome becomes known. */
  onRecord?: (record: RequestRecord) => void;
}

export interface HttpLoad {
  /** Every finished request so far, in the order their outcomes were known. */
  readonly records: RequestRecord[];
  /** Requests sent and not finished. */
  inFlight(): number;
  /** Resolves once every worker stopped (shouldContinue() false) and its last request finished. */
  readonly done: Promise<RequestRecord[]>;
  /** Destroys the agent's pooled sockets; call once the run is over. */
  close(): void;
}

function sendRequest(
  host: string,
  port: number,
  agent: Agent,
  spec: HttpRequestSpec,
  id: number,
  timeoutMs: number,
): Promise<RequestRecord> {
  return new Promise((resolve) => {
    const start = now();
    let settled = false;
    // Positional and one object literal of a fixed shape: this runs for every request.
    const finish = (outcome: RequestOutcome, status: number | undefined, error: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ id, method: spec.method, path: spec.path, start, end: now(), outcome, status, error, inFlightAtSignal: false, afterSignal: false });
    };
    const fail = (failure: Error) => {
      const classified = classifyError(failure);
      finish(classified.outcome, undefined, classified.error);
    };
    const headers = spec.body === undefined ? spec.headers : { 'content-length': String(Buffer.byteLength(spec.body)), ...spec.headers };
    // GET is node:http's default: not passing it spares the method's validation on every request.
    const options = spec.method === 'GET' ? { host, port, path: spec.path, agent, headers } : { host, port, path: spec.path, method: spec.method, agent, headers };
    const outgoing = httpRequest(options, (response) => {
      const status = response.statusCode ?? 0;
      response.on('error', (error) => finish(classifyError(error).outcome, status, classifyError(error).error));
      response.on('aborted', () => finish('reset', status, 'aborted'));
      response.on('end', () => finish(classifyStatus(status), status, undefined));
      response.resume();
    });
    const timer = setTimeout(() => {
      finish('hung', undefined, `no response within ${timeoutMs} ms`);
      outgoing.destroy();
    }, timeoutMs);
    outgoing.on('error', fail);
    outgoing.end(spec.body);
  });
}

/** Starts the workers at once; see {@link HttpLoadOptions}. */
export function startHttpLoad(options: HttpLoadOptions): HttpLoad {
  const {
    host = '127.0.0.1',
    port,
    nextRequest,
    keepAlive,
    concurrency,
    ratePerSecond,
    shouldContinue,
    requestTimeoutMs = 10_000,
    retryDelayMs = 50,
    maxRequests = 200_000,
    onRecord,
  } = options;
  const agent = new Agent({ keepAlive, maxSockets: Infinity });
  const records: RequestRecord[] = [];
  let sent = 0;
  let nextSlotAt = now();
  const intervalMs = ratePerSecond === undefined ? 0 : 1000 / ratePerSecond;
  const worker = async () => {
    while (shouldContinue() && sent < maxRequests) {
      if (intervalMs > 0) {
        // Pacing: each request takes the next free slot of the shared schedule.
        const at = Math.max(nextSlotAt, now());
        nextSlotAt = at + intervalMs;
        const wait = at - now();
        if (wait > 0) await sleep(wait);
        if (!shouldContinue()) break;
      }
      sent += 1;
      const record = await sendRequest(host, port, agent, nextRequest(), sent, requestTimeoutMs);
      records.push(record);
      onRecord?.(record);
      if (record.outcome !== 'completed') await sleep(retryDelayMs);
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, worker)).then(() => records);
  return {
    records,
    inFlight: () => sent - records.length,
    done,
    // Idle keep-alive sockets stay pooled until then, as in a real client, and a server must deal with them.
    close: () => agent.destroy(),
  };
}
