// The shutdown scenario for message protocols (ws, Socket.IO, gRPC): clients on long-lived
// connections each send one message (or call) at a time, asking for its own duration (50–500 ms),
// SIGTERM comes mid-load, and the load continues after it (a client whose connection closed
// reconnects after 50 ms) or stops. Every message ends as one of:
//   ok        answered;
//   refused   never sent: the connection was refused (or, gRPC, the call was refused with
//             UNAVAILABLE after the server's GOAWAY): clean, the client can retry elsewhere;
//   closed    sent, then the server closed the connection properly (ws 1000/1001, Socket.IO's
//             "io server disconnect") without answering: the client is told the server went away
//             but not whether the message was processed;
//   dropped   the connection ended abnormally (ws 1006, a reset, Socket.IO "transport close");
//   error     an error answer (gRPC: any status but UNAVAILABLE);
//   timeout   no answer within the client's limit.
// In flight at the signal: sent before it, ended after it; anything but ok is lost.
import { setTimeout as sleep } from 'node:timers/promises';
import { now, signalUntilExit, startServer } from './child.mjs';
import { durationSequence } from './load.mjs';
import { summarize } from './scenario.mjs';
import { waitService } from './contenders/messages-app.mjs';

export const MESSAGE_OUTCOMES = ['ok', 'refused', 'closed', 'dropped', 'error', 'timeout'];
const MESSAGE_TIMEOUT_MS = 20_000;

/** One ws connection: `send(message)` resolves with the outcome of that message. */
async function wsConnection(port) {
  const { default: WebSocket } = await import('ws');
  const client = new WebSocket(`ws://127.0.0.1:${port}/`);
  const opened = await new Promise((resolve) => {
    client.once('open', () => resolve(true));
    client.once('error', () => resolve(false));
  });
  if (!opened) {
    client.terminate();
    return undefined;
  }
  const pending = new Map();
  let closed = false;
  client.on('error', () => {});
  client.on('message', (data) => {
    const { id } = JSON.parse(String(data));
    pending.get(id)?.('ok');
    pending.delete(id);
  });
  client.once('close', (code) => {
    closed = true;
    const outcome = code === 1000 || code === 1001 ? 'closed' : 'dropped';
    for (const finish of pending.values()) finish(outcome);
    pending.clear();
  });
  return {
    get open() {
      return !closed && client.readyState === WebSocket.OPEN;
    },
    send(message) {
      return new Promise((resolve) => {
        pending.set(message.id, resolve);
        client.send(JSON.stringify(message));
      });
    },
    close: () => client.terminate(),
  };
}

async function socketIoConnection(port) {
  const { io } = await import('socket.io-client');
  const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, timeout: 5_000 });
  const connected = await new Promise((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('connect_error', () => resolve(false));
  });
  if (!connected) {
    socket.close();
    return undefined;
  }
  const pending = new Set();
  let disconnected = false;
  socket.once('disconnect', (reason) => {
    disconnected = true;
    const outcome = reason === 'io server disconnect' ? 'closed' : 'dropped';
    for (const finish of pending) finish(outcome);
    pending.clear();
  });
  return {
    get open() {
      return !disconnected && socket.connected;
    },
    send(message) {
      return new Promise((resolve) => {
        const finish = (outcome) => {
          if (!pending.delete(finish)) return;
          resolve(outcome);
        };
        pending.add(finish);
        socket.emit('wait', message, () => finish('ok'));
      });
    },
    close: () => socket.close(),
  };
}

async function grpcConnection(port) {
  const grpc = await import('@grpc/grpc-js');
  const Client = grpc.makeGenericClientConstructor(waitService, 'Demo');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    // A channel reconnects by itself: each call is sent, and a refusal comes back as UNAVAILABLE.
    open: true,
    send(message) {
      return new Promise((resolve) =>
        client.wait(message, { deadline: Date.now() + MESSAGE_TIMEOUT_MS }, (error) => {
          if (!error) resolve('ok');
          else if (error.code === grpc.status.UNAVAILABLE) resolve('refused');
          else if (error.code === grpc.status.DEADLINE_EXCEEDED) resolve('timeout');
          else resolve('error');
        }),
      );
    },
    close: () => client.close(),
  };
}

const CONNECT = { ws: wsConnection, 'socket.io': socketIoConnection, grpc: grpcConnection };

/**
 * @param {{ script: string, protocol: 'ws' | 'socket.io' | 'grpc', loadAfterSignal: boolean,
 *   warmupMs: number, hardLimitMs: number, clients: number, seed: number }} options
 */
export async function runMessageScenario({ script, protocol, loadAfterSignal, warmupMs, hardLimitMs, clients, seed }) {
  const connect = CONNECT[protocol];
  if (connect === undefined) throw new TypeError(`unknown protocol "${protocol}"; known: ${Object.keys(CONNECT).join(', ')}`);
  const server = startServer(script);
  const port = await server.ready;
  let signalAt = Number.POSITIVE_INFINITY;
  let serverGone = false;
  const shouldContinue = () => !serverGone && (loadAfterSignal || now() < signalAt);
  const nextDuration = durationSequence(seed, 50, 500);
  const records = [];
  const connections = new Set();
  let nextId = 0;
  // Every client connects before the warm-up is timed (a Socket.IO handshake takes a while on a
  // loaded machine), so that the signal finds messages in flight on every connection.
  let connected = 0;
  let allConnected;
  const everyoneConnected = new Promise((resolve) => (allConnected = resolve));
  const worker = async () => {
    let connection = await connect(port);
    if (connection !== undefined) connections.add(connection);
    if (++connected === clients) allConnected();
    await everyoneConnected;
    while (shouldContinue() && records.length < 200_000) {
      if (connection === undefined || !connection.open) {
        connection?.close();
        connections.delete(connection);
        const startedAt = now();
        connection = await connect(port);
        if (connection === undefined) {
          records.push({ startedAt, endedAt: now(), outcome: 'refused' });
          await sleep(50);
          continue;
        }
        connections.add(connection);
      }
      const startedAt = now();
      const timer = new Promise((resolve) => setTimeout(resolve, MESSAGE_TIMEOUT_MS, 'timeout').unref());
      const outcome = await Promise.race([connection.send({ id: nextId++, ms: nextDuration() }), timer]);
      records.push({ startedAt, endedAt: now(), outcome });
      if (outcome !== 'ok') await sleep(50);
    }
    connection?.close();
  };
  const load = Promise.all(Array.from({ length: clients }, worker));
  await Promise.race([everyoneConnected, sleep(10_000)]);
  allConnected();
  await sleep(warmupMs);
  const { exit, killed } = await signalUntilExit(server, { hardLimitMs, onSignal: (at) => (signalAt = at) });
  serverGone = true;
  // Clients still waiting for an answer from the exited server learn it from their connection.
  await Promise.race([load, sleep(MESSAGE_TIMEOUT_MS)]);
  for (const connection of connections) connection.close();
  return summarizeMessages(records, signalAt, exit, killed);
}

function countOutcomes(records) {
  const counts = Object.fromEntries(MESSAGE_OUTCOMES.map((outcome) => [outcome, 0]));
  for (const record of records) counts[record.outcome] += 1;
  return counts;
}

export function summarizeMessages(records, signalAt, exit, killed) {
  // The times and the exit as for requests; the outcomes are the protocols' own (summarize counts
  // only the HTTP ones, so its outcome counts are replaced).
  const summary = summarize(records, signalAt, exit, killed);
  const inFlight = records.filter((record) => record.startedAt < signalAt && record.endedAt > signalAt);
  const afterSignal = records.filter((record) => record.startedAt >= signalAt);
  return { ...summary, inFlightOutcomes: countOutcomes(inFlight), afterSignalOutcomes: countOutcomes(afterSignal) };
}

/** Failures after the signal that are neither a clean refusal nor a proper close: the connection broke. */
export function droppedMessages(outcomes) {
  return outcomes.dropped + outcomes.error + outcomes.timeout;
}
