// @ts-check
import http from 'node:http';
import { delay, wallClockMs } from './clock.mjs';

/**
 * @typedef {{ method: 'GET' | 'POST', path: string, body?: unknown }} RequestSpec
 * @typedef {{
 *   method: string, path: string, startedAt: number, endedAt: number,
 *   status?: number, body?: any, errorCode?: string
 * }} RequestResult  times on the test's wall clock; `errorCode` set when no response came
 */

/** Errors that mean the connection was refused: the clean way to turn a client away. */
const REFUSED = new Set(['ECONNREFUSED']);
const REQUEST_TIMEOUT_MS = 15_000;

/** @param {RequestResult} result */
export const wasRefused = (result) => result.errorCode !== undefined && REFUSED.has(result.errorCode);
/** A request that got no answer for another reason than a refusal: reset, hang-up, timeout. */
export const wasCutOff = (/** @type {RequestResult} */ result) => result.errorCode !== undefined && !REFUSED.has(result.errorCode);
export const succeeded = (/** @type {RequestResult} */ result) => result.status !== undefined && result.status < 400;

/**
 * One HTTP request to 127.0.0.1 with a JSON body; never rejects: failures are in the result.
 * @param {number} port
 * @param {RequestSpec} spec
 * @param {http.Agent} [agent]
 * @returns {Promise<RequestResult>}
 */
export function sendRequest(port, spec, agent) {
  const startedAt = wallClockMs();
  const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
  return new Promise((resolve) => {
    /** @param {Partial<RequestResult>} outcome */
    const done = (outcome) => resolve({ method: spec.method, path: spec.path, startedAt, endedAt: wallClockMs(), ...outcome });
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: spec.method,
        path: spec.path,
        agent,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        const chunks = /** @type {Buffer[]} */ ([]);
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('error', (error) => done({ errorCode: /** @type {NodeJS.ErrnoException} */ (error).code ?? 'ERESPONSE' }));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body;
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
          done({ status: response.statusCode, body });
        });
      },
    );
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    request.on('error', (error) => done({ errorCode: /** @type {NodeJS.ErrnoException} */ (error).code ?? 'EREQUEST' }));
    request.end(payload);
  });
}

/**
 * One client iteration of the usual kind: create a resource with POST `collection`, then read it
 * back with GET `collection/<id>`.
 * @param {(spec: RequestSpec) => Promise<RequestResult>} send
 * @param {string} collection e.g. '/stacks'
 * @param {unknown} body
 * @param {(responseBody: any) => unknown} idOf where the new id is in the 201 response
 * @returns {Promise<string | undefined>} the new id; undefined when the creation was not accepted
 */
export async function createThenRead(send, collection, body, idOf) {
  const created = await send({ method: 'POST', path: collection, body });
  const id = created.status === 201 ? idOf(created.body) : undefined;
  if (typeof id !== 'string') return undefined;
  await send({ method: 'GET', path: `${collection}/${id}` });
  return id;
}

/**
 * Keeps `workers` clients busy until stopped: each repeats `iteration` (which sends one or more
 * requests through `send`), pausing `pauseMs` between iterations. Connections are kept alive, as a
 * load balancer's are.
 * @param {{
 *   port: number, workers: number, pauseMs: number, maxDurationMs: number,
 *   iteration: (send: (spec: RequestSpec) => Promise<RequestResult>) => Promise<void>
 * }} options
 */
export function startLoad({ port, workers, pauseMs, maxDurationMs, iteration }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: workers });
  /** @type {RequestResult[]} */
  const results = [];
  const deadline = wallClockMs() + maxDurationMs;
  let stopped = false;
  let inFlight = 0;
  /** @param {RequestSpec} spec */
  const send = async (spec) => {
    inFlight += 1;
    const result = await sendRequest(port, spec, agent);
    inFlight -= 1;
    results.push(result);
    return result;
  };
  const loops = Array.from({ length: workers }, async () => {
    while (!stopped && wallClockMs() < deadline) {
      await iteration(send);
      await delay(pauseMs);
    }
  });
  return {
    results,
    /** requests sent and not answered yet */
    get inFlight() {
      return inFlight;
    },
    /** Stops every client after its current iteration; resolves with every result. */
    async stop() {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return results;
    },
  };
}
