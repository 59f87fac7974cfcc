// trackServer on HTTP/1 servers, in process: real sockets on 127.0.0.1, a quiescer of the test's
// own, and shutdown() (which does not exit) so each behaviour can be observed from the client.

import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createQuiescer, type Quiescer, type TrackServerOptions } from '../src/index.js';
import { listen, RawConnection, tryConnect, waitFor, waitForRefusal } from './server-helpers.js';
import { sleep } from './support/time.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** `/wait?ms=N` answers after N ms; `/hang` never answers; `/stream` sends headers now, the body on `/finish`. */
function appServer(): { server: Server; finishStream: () => void } {
  let finish: (() => void) | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/wait') {
      globalThis.setTimeout(() => res.end('done'), Number(url.searchParams.get('ms') ?? '0'));
    } else if (url.pathname === '/stream') {
      res.writeHead(200, { 'content-length': '4' });
      res.write('ab');
      finish = () => res.end('cd');
    } else if (url.pathname !== '/hang') {
      res.end('ok');
    }
  });
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { server, finishStream: () => finish?.() };
}

async function tracked(options?: TrackServerOptions & { timeoutMs?: number }) {
  const q = createQuiescer({ logger: false, timeoutMs: options?.timeoutMs ?? 5_000 });
  const app = appServer();
  q.trackServer(app.server, options);
  const port = await listen(app.server);
  return { q, port, ...app };
}

async function openConnection(port: number, options?: { allowHalfOpen?: boolean }): Promise<RawConnection> {
  const connection = await RawConnection.open(port, options);
  cleanups.push(() => connection.destroy());
  return connection;
}

/**
 * Starts shutdown while the head of a request (not its end) is on its way over `connection`; well
 * past the grace period the connection must still be open, and the request, once complete,
 * answered with Connection: close.
 */
async function expectArrivingRequestServed(q: Quiescer, port: number, connection: RawConnection, pastGraceMs: number): Promise<void> {
  connection.write('GET /wait?ms=10 HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  await sleep(20);
  const report = q.shutdown('test');
  await waitForRefusal(port);
  await sleep(pastGraceMs); // only the arriving request keeps the connection open
  expect(connection.isOpen).toBe(true);
  connection.write('\r\n');
  const response = await connection.readResponse();
  expect(response).toMatchObject({ status: 200, body: 'done' });
  expect(response.headers['connection']).toBe('close');
  expect(await report).toMatchObject({ deadlineHit: false });
}

describe('trackServer on http', () => {
  it('lets an in-flight request finish with Connection: close, then refuses new connections', async () => {
    const { q, port } = await tracked();
    const connection = await openConnection(port);
    connection.send('/wait?ms=300');
    await waitFor(() => q.inFlightCount === 1, 'the request to be in flight');

    const report = q.shutdown('test');
    const response = await connection.readResponse();
    expect(response).toMatchObject({ status: 200, body: 'done' });
    expect(response.headers['connection']).toBe('close');
    await connection.closed;
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    expect(await report).toMatchObject({ deadlineHit: false, pending: [] });
    expect((await report).tasksCompleted).toBeGreaterThanOrEqual(1);
  });

  it('serves a request sent on an idle keep-alive connection after the listener closed, with Connection: close', async () => {
    const { q, port } = await tracked({ idleSocketGraceMs: 2_000 });
    const connection = await openConnection(port);
    const first = await connection.request('/');
    expect(first.headers['connection']).toBe('keep-alive');

    const report = q.shutdown('test');
    // The client reuses its pooled connection just as the server stops intake.
    await waitForRefusal(port);
    expect(connection.isOpen).toBe(true);
    const second = await connection.request('/');
    expect(second).toMatchObject({ status: 200, body: 'ok' });
    expect(second.headers['connection']).toBe('close');
    await connection.closed;
    expect(await report).toMatchObject({ deadlineHit: false });
  });

  it('under a flood of reconnections, keeps clients that reconnect while the listener waits to close on their new connections, until it closes', async () => {
    // Answered with Connection: close, a reconnected client would reconnect after every answer: a
    // flood of handshakes that never leaves the accept queue empty for the listener to close on.
    // Four clients that reconnect at once make one on 127.0.0.1.
    const { q, port } = await tracked({ readinessDelayMs: 100, idleSocketGraceMs: 1_000 });
    let shutdownStarted = false;
    const seen: string[] = [];
    const client = async (): Promise<void> => {
      const until = performance.now() + 3_000;
      while (performance.now() < until) {
        let connection: RawConnection;
        try {
          connection = await openConnection(port);
        } catch (error) {
          seen.push((error as NodeJS.ErrnoException).code ?? 'error');
          if (shutdownStarted) return;
          continue;
        }
        // Requests on this connection until an answer says close (at most 200 of them); before the
        // signal, one request per connection (a client pool that reconnects often).
        let closing = false;
        for (let i = 0; i < 200 && !closing; i++) {
          const sentAfterSignal = shutdownStarted;
          const response = await connection.request('/');
          if (sentAfterSignal) seen.push(`${response.status} ${response.headers['connection']}`);
          closing = response.headers['connection'] === 'close';
          if (!shutdownStarted && !closing) break;
        }
        if (closing) await connection.closed;
        else connection.destroy();
      }
    };
    const clients = Array.from({ length: 4 }, client);
    await sleep(50);
    shutdownStarted = true;
    const report = q.shutdown('test');
    await Promise.all(clients);
    // Every attempt was answered or refused at connect: nothing reset.
    expect(seen.filter((outcome) => outcome !== '200 close' && outcome !== '200 keep-alive' && outcome !== 'ECONNREFUSED')).toEqual([]);
    // During the readiness delay answers ask clients to close; reconnected after it, they are kept alive.
    expect(seen).toContain('200 close');
    expect(seen).toContain('200 keep-alive');
    expect(seen.at(-1)).toBe('ECONNREFUSED');
    expect(await report).toMatchObject({ deadlineHit: false });
  });

  it('serves connections made in the instant shutdown starts instead of letting the kernel reset them', async () => {
    const { q, port } = await tracked();
    const outcomes = await new Promise<string[]>((resolve) => {
      void q.shutdown('test');
      // In the same tick: these handshakes complete in the kernel's accept queue before Node accepts them.
      const attempts = Array.from({ length: 30 }, async () => {
        try {
          const connection = await openConnection(port);
          const response = await connection.request('/');
          return `${response.status} ${response.headers['connection']}`;
        } catch (error) {
          return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        }
      });
      void Promise.all(attempts).then(resolve);
    });
    expect(outcomes.filter((outcome) => outcome !== '200 close' && outcome !== 'ECONNREFUSED')).toEqual([]);
    expect(outcomes).toContain('200 close');
  });

  it('closes an idle keep-alive connection once its grace period is over, and the drain ends', async () => {
    const { q, port } = await tracked({ idleSocketGraceMs: 100 });
    const connection = await openConnection(port);
    await connection.request('/');

    const report = await q.shutdown('test');
    expect(report).toMatchObject({ deadlineHit: false, pending: [] });
    await connection.closed;
    expect(report.durationMs).toBeLessThan(4_000);
  });

  it('does not close an idle connection once request bytes arrive on it, and answers that request with Connection: close', async () => {
    const { q, port } = await tracked({ idleSocketGraceMs: 150 });
    const connection = await openConnection(port);
    await connection.request('/');
    await expectArrivingRequestServed(q, port, connection, 300); // twice the grace period
  });

  it('closes a connection that never sent a byte once its grace period is over', async () => {
    const { q, port } = await tracked({ idleSocketGraceMs: 100, timeoutMs: 3_000 });
    const connection = await openConnection(port);

    const report = await q.shutdown('test');
    expect(report).toMatchObject({ deadlineHit: false, pending: [] });
    await connection.closed;
  });

  it('does not close a new connection on which a first request is arriving, and answers it with Connection: close', async () => {
    const { q, port } = await tracked({ idleSocketGraceMs: 100 });
    const connection = await openConnection(port);
    await expectArrivingRequestServed(q, port, connection, 250);
  });

  it('tells an arriving request by the bytes read where the parser does not tell it', async () => {
    const { server } = appServer();
    // Hides the parser's duration() from trackServer on this server's connections only (parsers
    // are pooled, so it is restored when the connection closes).
    server.on('connection', (socket: Socket & { parser?: object }) => {
      const parser = socket.parser;
      if (parser === undefined) return;
      Object.defineProperty(parser, 'duration', { value: undefined, configurable: true });
      socket.once('close', () => delete (parser as { duration?: unknown }).duration);
    });
    const q = createQuiescer({ logger: false, timeoutMs: 5_000 });
    q.trackServer(server, { idleSocketGraceMs: 100 });
    const port = await listen(server);
    const arriving = await openConnection(port);
    await arriving.request('/');
    const idle = await openConnection(port);
    await idle.request('/');
    await expectArrivingRequestServed(q, port, arriving, 250);
    await idle.closed; // the bytes tell an idle connection apart too
  });

  it('closes a connection whose response went out as keep-alive before the signal, after that response', async () => {
    const { q, port, finishStream } = await tracked({ idleSocketGraceMs: 50 });
    const connection = await openConnection(port);
    connection.send('/stream');
    await waitFor(() => q.inFlightCount === 1, 'the streaming response to start');

    const report = q.shutdown('test');
    await waitForRefusal(port);
    finishStream();
    const response = await connection.readResponse();
    expect(response).toMatchObject({ status: 200, body: 'abcd' });
    expect(response.headers['connection']).toBe('keep-alive');
    await connection.closed;
    expect(await report).toMatchObject({ deadlineHit: false, pending: [] });
  });

  it('destroys a request that outlives the deadline and names it in the report', async () => {
    const { q, port } = await tracked({ timeoutMs: 300 });
    const connection = await openConnection(port);
    connection.send('/hang');
    await waitFor(() => q.inFlightCount === 1, 'the request to be in flight');

    const report = await q.shutdown('test');
    expect(report.deadlineHit).toBe(true);
    expect(report.pending).toEqual([expect.objectContaining({ kind: 'request', name: 'GET /hang' })]);
    await connection.closed;
  });

  it('counts a request before shutdown, and names it at the deadline with its age since it arrived', async () => {
    const { q, port } = await tracked({ timeoutMs: 300 });
    const connection = await openConnection(port);
    connection.send('/hang');
    await waitFor(() => q.inFlightCount === 1, 'the request to be in flight');
    await sleep(400);

    const report = await q.shutdown('test');
    const [pending] = report.pending;
    expect(report.pending).toHaveLength(1);
    expect(pending).toMatchObject({ kind: 'request', name: 'GET /hang' });
    // Registered at the signal, but aged from its arrival: 400 ms before it, plus the 300 ms deadline.
    expect(pending?.ageMs).toBeGreaterThanOrEqual(650);
    await connection.closed;
  });

  it('counts and names each of several pipelined requests on one connection', async () => {
    const { q, port } = await tracked({ timeoutMs: 300 });
    const connection = await openConnection(port);
    connection.write('GET /hang?first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /hang?second HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await waitFor(() => q.inFlightCount === 2, 'both requests to be in flight');

    const report = await q.shutdown('test');
    expect(report.pending.map((work) => work.name)).toEqual(['GET /hang?first', 'GET /hang?second']);
    await connection.closed;
  });

  it('still counts a request in flight when a request pipelined behind it upgrades the connection', async () => {
    const { q, port, server } = await tracked({ timeoutMs: 300, closeUpgraded: () => {} });
    server.on('upgrade', () => {});
    const connection = await openConnection(port);
    connection.write(
      'GET /hang HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n',
    );
    await waitFor(() => q.inFlightCount === 2, 'the request and the upgraded connection to count as work');

    const report = await q.shutdown('test');
    expect(report.pending.map((work) => `${work.kind} ${work.name}`).sort()).toEqual([
      'request GET /hang',
      'upgraded-connection upgraded connection GET /ws',
    ]);
    await connection.closed;
  });

  it('registers each request as it arrives on a quiescer made by a copy of the package without a work registry', async () => {
    const q = createQuiescer({ logger: false, timeoutMs: 300 });
    // What an older copy of the package, sharing the default quiescer, would have made.
    delete (q as unknown as Record<symbol, unknown>)[Symbol.for('@quiesce/runtime-shim/work-registry@1')];
    const { server } = appServer();
    q.trackServer(server);
    const port = await listen(server);
    const connection = await openConnection(port);
    connection.send('/hang');
    await waitFor(() => q.inFlightCount === 1, 'the request to be in flight');

    const report = await q.shutdown('test');
    expect(report.pending).toEqual([expect.objectContaining({ kind: 'request', name: 'GET /hang' })]);
    await connection.closed;
  });

  it('loses no request a node:http keep-alive client sent before or at the signal, and refuses it afterwards', async () => {
    const { q, port } = await tracked();
    const agent = new Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    const outcomes: string[] = [];
    // Ten clients reuse pooled connections back to back until shutdown starts (at most 200 requests each).
    const client = async () => {
      for (let i = 0; i < 200 && !q.isShuttingDown(); i++) {
        outcomes.push(
          await new Promise<string>((resolve) => {
            const req = request({ host: '127.0.0.1', port, path: '/wait?ms=20', agent }, (res) => {
              res.resume();
              res.on('end', () => resolve(`${res.statusCode} ${res.headers.connection}`));
            });
            req.on('error', (error: NodeJS.ErrnoException) => resolve(`failed: ${error.code ?? error.message}`));
            req.end();
          }),
        );
      }
    };
    const clients = Array.from({ length: 10 }, client);
    await waitFor(() => outcomes.length >= 30, 'some requests to complete');
    const report = await q.shutdown('test');
    await Promise.all(clients);
    expect(outcomes.filter((outcome) => !outcome.startsWith('200 '))).toEqual([]);
    // The requests in flight at the signal were told to close their connection.
    expect(outcomes).toContain('200 close');
    expect(report.deadlineHit).toBe(false);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('closes upgraded sockets through closeUpgraded, and counts them as work until they close', async () => {
    const seen: Duplex[] = [];
    const { q, port, server } = await tracked({
      closeUpgraded: (sockets) => {
        for (const socket of sockets) {
          seen.push(socket);
          socket.end('bye\n');
        }
      },
    });
    server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n');
    });
    const connection = await openConnection(port);
    connection.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n');
    await waitFor(() => q.inFlightCount === 1, 'the upgraded connection to count as work');

    const report = q.shutdown('test');
    await waitFor(() => seen.length === 1, 'closeUpgraded to be called');
    await connection.closed;
    expect(await report).toMatchObject({ deadlineHit: false, pending: [] });
  });

  it('ends upgraded sockets by default, and names one that stays open at the deadline', async () => {
    const { q, port, server } = await tracked({ timeoutMs: 400 });
    const upgraded: Duplex[] = [];
    server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
      upgraded.push(socket);
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n');
    });
    // A client that ignores our FIN keeps the connection half open: the deadline must end it.
    const connection = await openConnection(port, { allowHalfOpen: true });
    connection.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n');
    await waitFor(() => q.inFlightCount === 1, 'the upgraded connection to count as work');

    const ended = once(connection.socket, 'end');
    const report = await q.shutdown('test');
    await ended; // the default closeUpgraded ended our side at intake
    expect(report.pending).toEqual([expect.objectContaining({ kind: 'upgraded-connection', name: 'upgraded connection GET /ws' })]);
    expect(upgraded[0]?.destroyed).toBe(true);
  });

  it('is idempotent and returns the same server', async () => {
    const q = createQuiescer({ logger: false });
    const { server } = appServer();
    expect(q.trackServer(server)).toBe(server);
    expect(q.trackServer(server)).toBe(server);
    await listen(server);
    const report = await q.shutdown('test');
    expect(report.hooksRun.intake).toBe(1);
    expect(server.listening).toBe(false);
  });

  it('stops intake at once for a server tracked after shutdown began', async () => {
    const q = createQuiescer({ logger: false });
    const stillRunning = q.beginWork({ kind: 'task', name: 'keeps the drain open' });
    const report = q.shutdown('test');
    const { server } = appServer();
    const port = await listen(server);
    q.trackServer(server);
    await waitForRefusal(port);
    stillRunning.end();
    expect(await report).toMatchObject({ deadlineHit: false });
  });

  it('rejects what is not a server, and bad options, naming them', () => {
    const q = createQuiescer({ logger: false });
    expect(() => q.trackServer({} as Server)).toThrow(/trackServer: server must be an http, https, http2 or net server, or an app/);
    const { server } = appServer();
    expect(() => q.trackServer(server, { readinessDelayMs: -1 })).toThrow(/options\.readinessDelayMs must be a finite number/);
    expect(() => q.trackServer(server, { closeUpgraded: 'yes' as never })).toThrow(/options\.closeUpgraded must be a function/);
  });
});

describe('trackServer on a net.Server', () => {
  it('counts each connection as work, refuses new ones, and ends them through closeConnections', async () => {
    const q = createQuiescer({ logger: false });
    const server = createNetServer((socket: Socket) => socket.on('data', (data) => socket.write(data)));
    cleanups.push(() => server.close());
    const ended: Socket[] = [];
    q.trackServer(server, {
      closeConnections: (sockets) => {
        for (const socket of sockets) {
          ended.push(socket);
          socket.end();
        }
      },
    });
    const port = await listen(server);
    const connection = await openConnection(port);
    await waitFor(() => q.inFlightCount === 1, 'the connection to count as work');

    const report = await q.shutdown('test');
    expect(ended).toHaveLength(1);
    expect(report).toMatchObject({ deadlineHit: false, pending: [] });
    await connection.closed;
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('names a connection still open at the deadline and destroys it', async () => {
    const q = createQuiescer({ logger: false, timeoutMs: 300 });
    const server = createNetServer(() => {});
    cleanups.push(() => server.close());
    q.trackServer(server);
    const port = await listen(server);
    const connection = await openConnection(port);
    await waitFor(() => q.inFlightCount === 1, 'the connection to count as work');

    const report = await q.shutdown('test');
    expect(report.pending).toEqual([
      expect.objectContaining({ kind: 'connection', name: `connection from 127.0.0.1:${connection.socket.localPort}` }),
    ]);
    await once(connection.socket, 'close');
  });
});
