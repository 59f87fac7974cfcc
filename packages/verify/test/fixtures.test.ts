// quiesce-verify over the bundled fixtures (fixtures/), the way a user would run it on their own
// service: each original fails, naming what was lost, and each codemod-rewritten copy passes. The
// copies are made, rewritten and built by the end-to-end tests' own helpers (test/support).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verify, type CheckId, type RunReport, type VerifyOptions } from '../src/index.js';
import { rewriteFixtureCopy } from '../../../test/support/codemod.mjs';
import { STACK_TEMPLATE } from '../../../test/support/scenarios/heat-engine.mjs';
import { startWebhookReceiver } from '../../../test/support/webhook.mjs';
import { buildTypeScript, copyFixture, removeCopy } from '../../../test/support/workspace.mjs';
import { prepare } from './loads/directory-queue.mjs';
import { cleansUpChildren } from './support.js';

cleansUpChildren();

const copies: string[] = [];
afterAll(async () => {
  if (process.env['QUIESCE_KEEP_TMP'] !== '1') await Promise.all(copies.map(removeCopy));
});

async function copyOf(name: string, rewritten: boolean): Promise<string> {
  const dir = rewritten ? (await rewriteFixtureCopy(name, 'verify-after')).dir : await copyFixture(name, 'verify-before');
  copies.push(dir);
  return dir;
}

const failedIds = (run: RunReport): CheckId[] => run.checks.filter((check) => !check.passed).map((check) => check.id);
const messageOf = (run: RunReport, id: CheckId): string => run.checks.find((check) => check.id === id)!.message;
/** The fixtures log JSON lines; the listening one carries the port they chose (PORT=0). */
const LISTENING = /"event":"http\.listening".*"port":(?<port>\d+)/;

async function verifyOnce(options: VerifyOptions): Promise<RunReport> {
  const report = await verify({ hardLimitMs: 25_000, ...options });
  return report.runs[0]!;
}

const ORDER = JSON.stringify({ customer: 'ada', items: [{ sku: 'tea', price: 4, quantity: 2 }] });
const ordersApi = (dir: string): VerifyOptions => ({
  command: [process.execPath, join(dir, 'src', 'server.js')],
  cwd: dir,
  env: { API_DATA_DIR: join(dir, '.data'), PORT: '0', METRICS_FLUSH_MS: '300', QUIESCE_TIMEOUT_MS: '20000' },
  readyLine: LISTENING,
  paths: ['POST /orders', 'GET /orders/none'],
  body: ORDER,
  concurrency: 8,
  afterMs: 1200,
});

describe('quiesce-verify on fixtures/express-api', { timeout: 180_000 }, () => {
  it('fails the original: SIGTERM kills it with requests in flight', async () => {
    const run = await verifyOnce(ordersApi(await copyOf('express-api', false)));

    expect(failedIds(run)).toEqual(expect.arrayContaining(['in-flight-lost', 'exit-code']));
    expect(messageOf(run, 'in-flight-lost')).toMatch(/^\d+ of \d+ requests in flight at SIGTERM lost: \d+ reset/);
    expect(messageOf(run, 'exit-code')).toBe('killed by SIGTERM (no handler for it: the default action ended the process at once)');
  });

  it('passes the rewritten copy', async () => {
    const run = await verifyOnce(ordersApi(await copyOf('express-api', true)));

    expect(run.checks.filter((check) => !check.passed)).toEqual([]);
    expect(run.timeline).not.toBeNull();
  });
});

describe('quiesce-verify on fixtures/fastify-api', { timeout: 180_000 }, () => {
  it('fails the original: SIGTERM kills it with requests in flight', async () => {
    const run = await verifyOnce(ordersApi(await copyOf('fastify-api', false)));

    expect(failedIds(run)).toEqual(expect.arrayContaining(['in-flight-lost', 'exit-code']));
    expect(messageOf(run, 'in-flight-lost')).toMatch(/^\d+ of \d+ requests in flight at SIGTERM lost: \d+ reset/);
  });

  it('passes the rewritten copy', async () => {
    const run = await verifyOnce(ordersApi(await copyOf('fastify-api', true)));

    expect(run.checks.filter((check) => !check.passed)).toEqual([]);
    expect(run.timeline).not.toBeNull();
  });
});

describe('quiesce-verify on fixtures/heat-engine', { timeout: 180_000 }, () => {
  const engine = async (dir: string, notifyUrl: string): Promise<VerifyOptions> => {
    await buildTypeScript(dir);
    return {
      command: [process.execPath, join(dir, 'dist', 'main.js')],
      cwd: dir,
      env: { HEAT_DATA_DIR: join(dir, '.data'), HEAT_PORT: '0', HEAT_POLL_INTERVAL_MS: '300', HEAT_NOTIFY_URL: notifyUrl, QUIESCE_TIMEOUT_MS: '20000' },
      readyLine: LISTENING,
      paths: ['POST /stacks', 'GET /stacks'],
      body: JSON.stringify({ stack_name: 'web', template: STACK_TEMPLATE }),
      concurrency: 4,
      afterMs: 1500,
    };
  };
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  afterAll(async () => {
    await webhook?.close();
  });

  it('fails the original: process.exit() in its SIGTERM handler resets requests in flight, though it exits 0', async () => {
    webhook = await startWebhookReceiver(100);
    const run = await verifyOnce(await engine(await copyOf('heat-engine', false), webhook.url));

    expect(failedIds(run)).toContain('in-flight-lost');
    expect(messageOf(run, 'in-flight-lost')).toMatch(/^\d+ of \d+ requests in flight at SIGTERM lost: \d+ reset .*POST \/stacks/);
    expect(run.exitCode).toBe(0);
  });

  it('passes the rewritten copy: its stack creations drain, and the exit comes right after', async () => {
    webhook ??= await startWebhookReceiver(100);
    const run = await verifyOnce(await engine(await copyOf('heat-engine', true), webhook.url));

    expect(run.checks.filter((check) => !check.passed)).toEqual([]);
    // The drain outlasted the last answer (stacks take ~2 s): the exit lag runs from the shim's drain end.
    expect(run.timeline?.some((event) => event.event === 'phase-end' && event.phase === 'drain')).toBe(true);
  });
});

describe('quiesce-verify --load on fixtures/queue-worker', { timeout: 180_000 }, () => {
  const worker = async (dir: string): Promise<VerifyOptions> => {
    await buildTypeScript(dir);
    const queue = join(dir, '.data', 'queue');
    await mkdir(queue, { recursive: true });
    await prepare(queue);
    return {
      command: [process.execPath, join(dir, 'dist', 'main.js')],
      cwd: dir,
      env: { QUEUE_DIR: queue, WORKER_CONCURRENCY: '4', QUEUE_POLL_INTERVAL_MS: '100', QUIESCE_TIMEOUT_MS: '20000' },
      readyLine: /"event":"worker\.started"/,
      load: fileURLToPath(new URL('./loads/directory-queue.mjs', import.meta.url)),
      afterMs: 1500,
    };
  };

  it('fails the original: jobs claimed at SIGTERM are left in processing/', async () => {
    const run = await verifyOnce(await worker(await copyOf('queue-worker', false)));

    expect(failedIds(run)).toContain('in-flight-lost');
    expect(messageOf(run, 'in-flight-lost')).toMatch(/^\d+ of \d+ work units in flight at SIGTERM lost: \d+ reset \(left in processing\/\) — job-\d{4}/);
  });

  it('passes the rewritten copy: it stops claiming and finishes the jobs it holds', async () => {
    const run = await verifyOnce(await worker(await copyOf('queue-worker', true)));

    expect(run.checks.filter((check) => !check.passed)).toEqual([]);
    expect(run.work.filter((unit) => unit.outcome === 'completed').length).toBeGreaterThan(0);
  });
});
