// Waiting until the service is ready: an HTTP answer from --ready-url, a TCP connection to --port,
// or an output line matching --ready-line (whose named group `port`, when it has one, is the port
// the service chose). Bounded by --ready-timeout; the service exiting first ends the wait at once.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { now } from './clock.js';
import type { ServiceProcess } from './service.js';

export type ReadyProbe =
  | { kind: 'url'; url: URL }
  | { kind: 'port'; host: string; port: number }
  | { kind: 'line'; pattern: RegExp };

export interface Ready {
  at: number;
  /** The port a --ready-line's `port` group named. */
  port?: number;
}

export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

const POLL_MS = 25;

export function describeProbe(probe: ReadyProbe): string {
  if (probe.kind === 'url') return `an answer below 500 from --ready-url ${probe.url.href}`;
  if (probe.kind === 'port') return `a connection to --port ${probe.port} on ${probe.host}`;
  return `an output line matching --ready-line ${probe.pattern}`;
}

function httpAnswers(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const outgoing = httpRequest(url, { method: 'GET', timeout: 1000, agent: false }, (response) => {
      response.resume();
      resolve((response.statusCode ?? 500) < 500);
    });
    outgoing.on('timeout', () => outgoing.destroy());
    outgoing.on('error', () => resolve(false));
    outgoing.end();
  });
}

function portAccepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

/** Resolves when the probe succeeds; rejects with a NotReadyError after `timeoutMs` or at the exit. */
export async function waitUntilReady(service: ServiceProcess, probe: ReadyProbe, timeoutMs: number): Promise<Ready> {
  const deadline = now() + timeoutMs;
  const notReady = (why: string) =>
    new NotReadyError(`the service was not ready: ${why} (waited for ${describeProbe(probe)}).`);
  const exitedFirst = () => {
    const exit = service.exit!;
    const how = service.spawnError ? `could not be started: ${service.spawnError.message}` : exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return notReady(`it ${how} before it was ready`);
  };

  if (probe.kind === 'line') {
    return new Promise((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        stop();
        settle();
      };
      const stop = service.onLine((line) => {
        const match = probe.pattern.exec(line);
        if (match === null) return;
        const port = match.groups?.['port'];
        finish(() => resolve(port === undefined ? { at: now() } : { at: now(), port: Number(port) }));
      });
      const timer = setTimeout(
        () => finish(() => reject(notReady(`no line matched within ${timeoutMs} ms (--ready-timeout)`))),
        timeoutMs,
      );
      void service.exited.then(() => finish(() => reject(exitedFirst())));
    });
  }

  while (now() < deadline) {
    if (service.exit !== undefined) throw exitedFirst();
    const ok = probe.kind === 'url' ? await httpAnswers(probe.url) : await portAccepts(probe.host, probe.port);
    if (ok) return { at: now() };
    await sleep(POLL_MS);
  }
  if (service.exit !== undefined) throw exitedFirst();
  throw notReady(`no success within ${timeoutMs} ms (--ready-timeout)`);
}
