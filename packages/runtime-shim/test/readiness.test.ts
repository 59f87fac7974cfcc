// Readiness for orchestrators: the handler answers 200 while serving and 503 from the signal on;
// with readinessDelayMs the server keeps accepting for that long after the signal (so a load
// balancer that still routes here loses nothing), then stops listening.

import express from 'express';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createQuiescer, type Logger } from '../src/index.js';
import { listen, RawConnection, tryConnect, waitFor, waitForRefusal } from './server-helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function closeAfterTest(server: Server): Server {
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return server;
}

async function get(port: number, path: string) {
  const connection = await RawConnection.open(port);
  cleanups.push(() => connection.destroy());
  return connection.request(path);
}

describe('readinessHandler', () => {
  it('answers 200 while serving and 503 once shutdown started', async () => {
    const q = createQuiescer({ logger: false });
    const ready = q.readinessHandler();
    const server = closeAfterTest(createServer((req, res) => (req.url === '/ready' ? ready(req, res) : res.end('ok'))));
    const port = await listen(server);
    expect(await get(port, '/ready')).toMatchObject({ status: 200, body: 'ready\n' });
    void q.shutdown('test');
    expect(await get(port, '/ready')).toMatchObject({ status: 503, body: 'shutting down\n' });
  });

  it('also answers 503 when isReady says no', async () => {
    const q = createQuiescer({ logger: false });
    let databaseUp = false;
    const ready = q.readinessHandler({ isReady: () => databaseUp });
    const server = closeAfterTest(createServer((req, res) => ready(req, res)));
    const port = await listen(server);
    expect((await get(port, '/ready')).status).toBe(503);
    databaseUp = true;
    expect((await get(port, '/ready')).status).toBe(200);
  });

  it('works as an Express route', async () => {
    const q = createQuiescer({ logger: false });
    const app = express();
    app.get('/ready', q.readinessHandler());
    const server = closeAfterTest(q.trackServer(app.listen(0, '127.0.0.1')));
    await waitFor(() => server.listening, 'express to listen');
    const port = (server.address() as { port: number }).port;
    expect((await get(port, '/ready')).status).toBe(200);
    const report = q.shutdown('test');
    await waitForRefusal(port);
    expect(await report).toMatchObject({ deadlineHit: false });
  });

  it('tracks the server an Express app creates when the app is wrapped before listen (as the codemod writes it)', async () => {
    const q = createQuiescer({ logger: false });
    const app = express();
    app.get('/ready', q.readinessHandler());
    expect(q.trackServer(app)).toBe(app);
    const server = closeAfterTest(q.trackServer(app).listen(0, '127.0.0.1'));
    await waitFor(() => server.listening, 'express to listen');
    const port = (server.address() as { port: number }).port;
    const connection = await RawConnection.open(port);
    cleanups.push(() => connection.destroy());
    expect((await connection.request('/ready')).headers['connection']).toBe('keep-alive');
    const report = await q.shutdown('test');
    expect(report).toMatchObject({ deadlineHit: false, hooksRun: { intake: 1 } });
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    await connection.closed; // its idle keep-alive connection was closed too
  });

  it('rejects a bad isReady', () => {
    const q = createQuiescer({ logger: false });
    expect(() => q.readinessHandler({ isReady: true as never })).toThrow(/readinessHandler: options\.isReady must be a function/);
  });
});

describe('readinessDelayMs', () => {
  it('keeps accepting and serving (with Connection: close) during the delay, then refuses', async () => {
    const q = createQuiescer({ logger: false, timeoutMs: 10_000 });
    const ready = q.readinessHandler();
    const server = closeAfterTest(createServer((req, res) => (req.url === '/ready' ? ready(req, res) : res.end('ok'))));
    q.trackServer(server, { readinessDelayMs: 1_000 });
    const port = await listen(server);

    const started = performance.now();
    const report = q.shutdown('test');
    expect(q.isShuttingDown()).toBe(true);
    const probe = await get(port, '/ready');
    expect(probe.status).toBe(503);
    const work = await get(port, '/work');
    expect(work).toMatchObject({ status: 200, body: 'ok' });
    expect(work.headers['connection']).toBe('close');

    await waitForRefusal(port);
    // A lower bound only: the listener stayed open for the whole delay.
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(await report).toMatchObject({ deadlineHit: false, hookErrors: [] });
  });

  it('never takes more than half of the time left before the deadline, and says so', async () => {
    const warnings: string[] = [];
    const logger: Logger = { info() {}, warn: (line) => warnings.push(line), error() {} };
    const q = createQuiescer({ logger, timeoutMs: 400 });
    const server = closeAfterTest(createServer((_req, res) => res.end('ok')));
    q.trackServer(server, { readinessDelayMs: 60_000, name: 'api' });
    await listen(server);
    const report = await q.shutdown('test');
    expect(report).toMatchObject({ deadlineHit: false, hookErrors: [] });
    expect(report.durationMs).toBeLessThan(400);
    expect(warnings).toEqual([expect.stringMatching(/^api: readinessDelayMs 60000 ms leaves no time to drain/)]);
  });
});
