// @ts-check
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createThenRead, startLoad } from '../http-load.mjs';
import { classifyRequests, eventsAfter, measureExit } from '../outcome.mjs';
import { startService } from '../service.mjs';
import { sigtermMidWork } from '../sigterm.mjs';

export const API_WORK_END_EVENTS = ['request.end', 'order.placed', 'audit.end', 'metrics.flush.end'];

/** @param {string} file a JSON-lines file; missing = empty */
async function readJsonLines(file) {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/** @param {import('../service.mjs').Service} api */
const auditsInFlight = (api) => api.eventsNamed('audit.start').length - api.eventsNamed('audit.end').length;

/**
 * Runs express-api under load (place an order, read it back), sends SIGTERM while orders and audit
 * writes are in flight, and compares what clients were told with what reached the disk.
 * @param {string} dir a copy of fixtures/express-api
 */
export async function runExpressApiScenario(dir) {
  const dataDir = join(dir, '.data');
  const api = await startService({
    name: 'express-api',
    cwd: dir,
    entry: join(dir, 'src', 'server.js'),
    env: { API_DATA_DIR: dataDir, PORT: '0', METRICS_FLUSH_MS: '300', QUIESCE_TIMEOUT_MS: '20000' },
    readyEvent: 'http.listening',
  });
  const port = Number((await api.waitForEvent('http.listening')).port);
  /** @type {string[]} */
  const acknowledgedOrderIds = [];
  const load = startLoad({
    port,
    workers: 4,
    pauseMs: 100,
    maxDurationMs: 60_000,
    iteration: async (send) => {
      const body = { customer: 'ada', items: [{ sku: 'tea', price: 4, quantity: 2 }] };
      const id = await createThenRead(send, '/orders', body, (response) => response?.order?.id);
      if (id !== undefined) acknowledgedOrderIds.push(id);
    },
  });
  const { signalSentAt, intakeAt } = await sigtermMidWork(api, {
    what: 'an audit write and 2 requests in flight',
    minRunMs: 1200,
    isMidWork: (service) => auditsInFlight(service) >= 1 && load.inFlight >= 2,
    stopLoad: () => load.stop(),
  });
  const audited = new Set((await readJsonLines(join(dataDir, 'audit.jsonl'))).map((entry) => entry.orderId));
  const storedOrders = new Set((await readJsonLines(join(dataDir, 'orders.jsonl'))).map((order) => order.id));
  return {
    api,
    signalSentAt,
    intakeAt,
    ordersAcknowledged: acknowledgedOrderIds.length,
    /** orders a client was told about that are not on disk */
    ordersLost: acknowledgedOrderIds.filter((id) => !storedOrders.has(id)),
    /** acknowledged orders whose audit record never reached the disk */
    auditsLost: acknowledgedOrderIds.filter((id) => !audited.has(id)),
    requests: classifyRequests(load.results, signalSentAt),
    exit: measureExit(api, signalSentAt, API_WORK_END_EVENTS),
    /** metrics flushes that started after the shim's intake (none may) */
    workStartedAfterIntake: intakeAt === undefined ? [] : eventsAfter(api, intakeAt, ['metrics.flush.start']),
  };
}
