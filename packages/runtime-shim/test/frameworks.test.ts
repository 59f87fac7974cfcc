// Servers of popular frameworks under trackServer, with the real packages, real sockets on
// 127.0.0.1 and real signals: the guarantees of plain http (0 in-flight requests lost, 0 unclean
// failures after the signal, exit within 50 ms of the last response, under keep-alive load that
// continues after SIGTERM), each framework's own close run inside our phases, and ws clients
// closed with 1001 after their in-flight messages.

import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { io as connectSocketIo, type Socket as SocketIoClient } from 'socket.io-client';
import WebSocket from 'ws';
// @ts-expect-error -- a plain ESM helper of the test children, without type declarations
import { demoService } from './children/grpc-service.mjs';
import { spawnNode, type NodeChild } from './support/child.js';
import { RawConnection, tryConnect } from './server-helpers.js';

interface ScenarioResult {
  inFlight: number;
  inFlightOutcomes: Record<string, number>;
  afterSignal: number;
  afterSignalOutcomes: Record<string, number>;
  lastResponseToExitMs: number | null;
  exitCode: number | null;
  killed: boolean;
}
interface Harness {
  runScenario(options: Record<string, unknown>): Promise<ScenarioResult>;
  uncleanFailures(outcomes: Record<string, number>): number;
}

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '../../../bench/shutdown');
const harness = async (): Promise<Harness & { killAllChildren(): void }> => {
  const scenario = (await import(pathToFileURL(join(benchDir, 'scenario.mjs')).href)) as Harness;
  const child = (await import(pathToFileURL(join(benchDir, 'child.mjs')).href)) as { killAllChildren(): void };
  return { ...scenario, killAllChildren: child.killAllChildren };
};

afterAll(async () => (await harness()).killAllChildren());

describe.each([
  ['Fastify (its close() inside the drain)', 'quiesce-fastify', 0],
  ['Hono (@hono/node-server serve())', 'quiesce-hono', 0],
  ['Hapi (its stop() inside the drain)', 'quiesce-hapi', 0],
  ['NestJS (its app.close() inside the drain)', 'quiesce-nest', 0],
  // The codemod's rewrite of Nest's enableShutdownHooks(): Nest's signals, and the signal re-raised at the end.
  ["NestJS handed from enableShutdownHooks() (Nest's signals, re-raised)", 'quiesce-nest-shutdown-hooks', 143],
])('%s under keep-alive load that continues after SIGTERM', (_label, contender, expectedExit) => {
  it(`loses no request in flight, fails none uncleanly, and exits ${expectedExit} within 50 ms of the last response`, async () => {
    const { runScenario, uncleanFailures } = await harness();
    const result = await runScenario({
      script: join(benchDir, 'contenders', `${contender}.mjs`),
      keepAlive: true,
      loadAfterSignal: true,
      warmupMs: 700,
      hardLimitMs: 8_000,
      concurrency: 50,
      seed: 1,
    });
    expect(result.inFlight).toBeGreaterThan(0);
    expect(result.inFlightOutcomes['ok']).toBe(result.inFlight);
    expect(result.afterSignal).toBeGreaterThan(0);
    expect(uncleanFailures(result.afterSignalOutcomes)).toBe(0);
    expect(result.killed).toBe(false);
    expect(result.exitCode).toBe(expectedExit);
    expect(result.lastResponseToExitMs).not.toBeNull();
    expect(result.lastResponseToExitMs as number).toBeLessThanOrEqual(50);
  }, 20_000);
});

async function portOf(child: NodeChild): Promise<number> {
  return (JSON.parse(await child.waitForLine(/^\{"port":/)) as { port: number }).port;
}

/**
 * Starts a framework app, sends SIGTERM while a slow request is in flight, and checks that the request is answered
 * with `Connection: close` and the process exits 0; returns the events the app printed at shutdown.
 */
async function slowRequestAcrossSigterm(script: string): Promise<unknown> {
  const child = spawnNode([script]);
  const port = await portOf(child);
  const connection = await RawConnection.open(port);
  const answer = connection.request('/slow');
  await new Promise((resolve) => setTimeout(resolve, 100));
  child.signal('SIGTERM');
  const response = await answer;
  expect(response.status).toBe(200);
  expect(response.headers['connection']).toBe('close');
  const result = await child.exited();
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout.split('\n').find((line) => line.startsWith('{"events"')) ?? '{}') as unknown;
}

describe('Fastify', () => {
  it('answers the request in flight with Connection: close, then runs its own close() once, onClose hooks after the last answer', async () => {
    const printed = await slowRequestAcrossSigterm('fastify-app.mjs');
    expect(printed).toEqual({ events: ['slow answered', 'onClose (pool closed)'], closeCalls: 1 });
  });
});

describe('NestJS', () => {
  it('answers the request in flight with Connection: close, then runs its own app.close() once, lifecycle hooks after the last answer', async () => {
    const printed = await slowRequestAcrossSigterm('nest-app.mjs');
    expect(printed).toEqual({ events: ['slow answered', 'onApplicationShutdown(SIGTERM) (pool closed)'] });
  });
});

describe('Hapi', () => {
  it('answers the request in flight with Connection: close, then runs its own stop() once, onPostStop after the last answer', async () => {
    const printed = await slowRequestAcrossSigterm('hapi-app.mjs');
    expect(printed).toEqual({ events: ['slow answered', 'onPostStop (cleanup)'], stopCalls: 1 });
  });
});

type GrpcCallback = (error: (Error & { code?: number }) | null, response?: { waited: number }) => void;
type DemoClient = grpc.Client & { wait(request: { ms: number }, callback: GrpcCallback): void };

function grpcClient(port: number): DemoClient {
  const Client = grpc.makeGenericClientConstructor(demoService as unknown as grpc.ServiceDefinition, 'Demo');
  return new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as DemoClient;
}

function callWait(client: DemoClient, ms: number): Promise<{ ok: true; waited: number } | { ok: false; code: number | undefined }> {
  return new Promise((resolve) =>
    client.wait({ ms }, (error, response) => resolve(error ? { ok: false, code: error.code } : { ok: true, waited: response!.waited })),
  );
}

describe('@grpc/grpc-js', () => {
  it('tryShutdown at intake: the call in flight completes, a new call is refused (UNAVAILABLE), exit 0', async () => {
    const child = spawnNode(['grpc-app.mjs']);
    const port = await portOf(child);
    const client = grpcClient(port);
    expect(await callWait(client, 0)).toEqual({ ok: true, waited: 0 });
    const inFlight = callWait(client, 500);
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.signal('SIGTERM');
    await child.waitForLine(/intake/);
    const late = await callWait(grpcClient(port), 0);
    expect(await inFlight).toEqual({ ok: true, waited: 500 });
    expect(late).toEqual({ ok: false, code: grpc.status.UNAVAILABLE });
    client.close();
    expect((await child.exited()).code).toBe(0);
  });

  it('forceShutdown at the deadline: the hung call is cancelled and named, exit 1', async () => {
    const child = spawnNode(['grpc-app.mjs'], { env: { TIMEOUT_MS: '600' } });
    const port = await portOf(child);
    const client = grpcClient(port);
    const hung = callWait(client, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.signal('SIGTERM');
    // The client stays open until the server has exited: its closing would end the server's sessions.
    const result = await child.exited();
    const outcome = await hung;
    client.close();
    expect(outcome.ok).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/pending: grpc 'grpc server: calls in flight \(tryShutdown\)'/);
  });
});

function openClient(port: number): Promise<WebSocket> {
  const client = new WebSocket(`ws://127.0.0.1:${port}/`);
  return new Promise((resolve, reject) => {
    client.once('open', () => resolve(client));
    client.once('error', reject);
  });
}

describe.each(['attached', 'port'])('a ws WebSocketServer (%s)', (mode) => {
  it('answers the in-flight message, then closes every client with 1001 "going away", refuses new connections, exits 0', async () => {
    const child = spawnNode(['ws-app.mjs'], { env: { MODE: mode } });
    const port = await portOf(child);
    const busy = await openClient(port);
    const idle = await openClient(port);
    const received: string[] = [];
    busy.on('message', (data) => received.push(String(data)));
    const closes = Promise.all([once(busy, 'close'), once(idle, 'close')]) as Promise<[[number, Buffer], [number, Buffer]]>;
    busy.send('slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.signal('SIGTERM');
    const [[busyCode, busyReason], [idleCode]] = await closes;
    expect(received).toEqual(['answer to slow']);
    expect(busyCode).toBe(1001);
    expect(String(busyReason)).toBe('server shutting down');
    expect(idleCode).toBe(1001);
    const result = await child.exited();
    expect(result.code).toBe(0);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });
});

describe.each(['attached', 'port'])('a ws WebSocketServer (%s) under messages that continue after SIGTERM', (mode) => {
  it('answers the message in flight, processes none sent after the signal, closes with 1001 and exits 0', async () => {
    const child = spawnNode(['ws-app.mjs'], { env: { MODE: mode } });
    const port = await portOf(child);
    const client = await openClient(port);
    const received: string[] = [];
    client.on('message', (data) => received.push(String(data)));
    const closed = once(client, 'close') as Promise<[number, Buffer]>;
    let isClosed = false;
    void closed.then(() => (isClosed = true));
    client.send('slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.signal('SIGTERM');
    await child.waitForLine(/intake/);
    // Once intake has stopped, a client that keeps sending (each "slow" keeps a tracked handler
    // busy for 300 ms) until the server closes it: the drain must not wait for those messages.
    for (let sent = 0; !isClosed && sent < 200; sent++) {
      client.send('slow');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [code] = await closed;
    expect(code).toBe(1001);
    expect(received).toEqual(['answer to slow']);
    expect((await child.exited()).code).toBe(0);
  });
});

describe('Socket.IO', () => {
  it('acknowledges the in-flight event, then disconnects WebSocket and polling clients, refuses new connections, exits 0 at once', async () => {
    const child = spawnNode(['socketio-app.mjs']);
    const port = await portOf(child);
    const connectClient = (transports: string[]): Promise<SocketIoClient> => {
      const client = connectSocketIo(`http://127.0.0.1:${port}`, { transports, reconnection: false });
      return new Promise((resolve, reject) => {
        client.once('connect', () => resolve(client));
        client.once('connect_error', reject);
      });
    };
    const websocket = await connectClient(['websocket']);
    const polling = await connectClient(['polling']);
    const disconnects = [websocket, polling].map((client) => new Promise<string>((resolve) => client.once('disconnect', resolve)));
    const ack = websocket.timeout(5_000).emitWithAck('slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const signalledAt = performance.now();
    child.signal('SIGTERM');
    expect(await ack).toBe('slow answered');
    expect(await Promise.all(disconnects)).toEqual(['io server disconnect', 'io server disconnect']);
    const result = await child.exited();
    expect(result.code).toBe(0);
    // The long poll did not hold the drain up until engine.io's next ping (25 s).
    expect(performance.now() - signalledAt).toBeLessThan(5_000);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('acknowledges the event in flight, handles none emitted after the signal, disconnects and exits 0', async () => {
    const child = spawnNode(['socketio-app.mjs']);
    const port = await portOf(child);
    const client = connectSocketIo(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
    const acks: string[] = [];
    const disconnected = new Promise<string>((resolve) => client.once('disconnect', resolve));
    let isDisconnected = false;
    void disconnected.then(() => (isDisconnected = true));
    client.emit('slow', (answer: string) => acks.push(answer));
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.signal('SIGTERM');
    await child.waitForLine(/intake/);
    // Once intake has stopped: each "slow" keeps a tracked handler busy for 300 ms, and the drain
    // must not wait for those.
    for (let sent = 0; !isDisconnected && sent < 200; sent++) {
      client.emit('slow', (answer: string) => acks.push(`after signal: ${answer}`));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await disconnected).toBe('io server disconnect');
    expect(acks).toEqual(['slow answered']);
    client.close();
    expect((await child.exited()).code).toBe(0);
  });
});
