// trackServer observes and never replaces what user code or its tests may stub: a test that
// replaces `listen` on the app or the server (sinon.stub(app, 'listen') style), before or after
// trackServer, sees its own stub called, and the server is still drained.

import express from 'express';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createQuiescer } from '../src/index.js';
import { RawConnection, tryConnect, waitFor } from './server-helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A sinon-style stub: replaces `object[key]` with a recorder (calling through when asked). */
function stub<T extends object, K extends keyof T>(object: T, key: K, callThrough: boolean) {
  const original = object[key] as (...args: unknown[]) => unknown;
  const calls: unknown[][] = [];
  const replacement = function (this: unknown, ...args: unknown[]): unknown {
    calls.push(args);
    return callThrough ? Reflect.apply(original, this, args) : undefined;
  };
  object[key] = replacement as T[K];
  return { calls, replacement, restore: () => (object[key] = original as T[K]) };
}

function ownKeys(value: object): string[] {
  return Reflect.ownKeys(value).map(String).sort();
}

async function keepAliveThenShutdown(q: ReturnType<typeof createQuiescer>, server: Server): Promise<void> {
  await waitFor(() => server.listening, 'the server to listen');
  const port = (server.address() as { port: number }).port;
  const connection = await RawConnection.open(port);
  cleanups.push(() => connection.destroy());
  expect((await connection.request('/')).headers['connection']).toBe('keep-alive');
  const report = await q.shutdown('test');
  expect(report).toMatchObject({ deadlineHit: false, hooksRun: { intake: 1 } });
  // Tracked: the listener closed and the idle keep-alive connection was let go.
  expect(await tryConnect(port)).toBe('ECONNREFUSED');
  await connection.closed;
}

function closeAfterTest(server: Server): Server {
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return server;
}

describe('trackServer leaves methods alone', () => {
  it('an Express app: a stub of app.listen put in after trackServer is what is called, and the server is tracked', async () => {
    const q = createQuiescer({ logger: false });
    const app = express();
    app.get('/', (_req, res) => res.send('ok'));
    const keysBefore = ownKeys(app);
    const listenBefore = app.listen;
    expect(q.trackServer(app)).toBe(app);
    expect(app.listen).toBe(listenBefore);
    expect(ownKeys(app)).toEqual(keysBefore);
    const listen = stub(app, 'listen', true);
    const server = closeAfterTest(app.listen(0, '127.0.0.1') as Server);
    expect(app.listen).toBe(listen.replacement);
    expect(listen.calls).toEqual([[0, '127.0.0.1']]);
    await keepAliveThenShutdown(q, server);
    listen.restore();
  });

  it('an Express app: a stub put in before trackServer stays in place and records the call', () => {
    const q = createQuiescer({ logger: false });
    const app = express();
    const listen = stub(app, 'listen', false);
    q.trackServer(app).listen(8080);
    expect(app.listen).toBe(listen.replacement);
    expect(listen.calls).toEqual([[8080]]);
  });

  it('a node:http server: trackServer adds no method, and a stub of server.listen after it is called', async () => {
    const q = createQuiescer({ logger: false });
    const server = closeAfterTest(createServer((_req, res) => res.end('ok')));
    const stringKeysBefore = ownKeys(server).filter((key) => !key.startsWith('Symbol('));
    const listenBefore = server.listen;
    q.trackServer(server);
    expect(server.listen).toBe(listenBefore);
    expect(ownKeys(server).filter((key) => !key.startsWith('Symbol('))).toEqual(stringKeysBefore);
    const listen = stub(server, 'listen', true);
    server.listen(0, '127.0.0.1');
    expect(listen.calls).toEqual([[0, '127.0.0.1']]);
    await keepAliveThenShutdown(q, server);
    listen.restore();
  });
});
