// Helpers for the server tests: listen on 127.0.0.1, HTTP/1 over a raw socket (to control exactly
// when a request is sent on a kept-alive connection), and a bounded wait for a condition.

import { once } from 'node:events';
import { connect, type Server, type Socket } from 'node:net';
import { sleep } from './support/time.js';

export async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return address.port;
}

/** Resolves with the error code of a connection attempt ('connected' if it succeeded). */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Waits until new connections are refused. Polls slowly: each attempt is a connection, and the listener closes only once they stop. */
export async function waitForRefusal(port: number, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while ((await tryConnect(port)) !== 'ECONNREFUSED') {
    if (performance.now() > deadline) throw new Error(`port ${port} still accepted connections after ${timeoutMs} ms`);
    await sleep(40);
  }
}

/** Polls `condition` every 5 ms until it holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

const openConnections = new Set<RawConnection>();

/** Destroys every RawConnection still open (call it in afterEach). */
export function destroyOpenConnections(): void {
  for (const connection of openConnections) connection.destroy();
  openConnections.clear();
}

/** Sends `path` on a new connection, lets the request reach the server, then signals the child process. */
export async function requestThenSignal(
  child: { signal(signal: NodeJS.Signals): void },
  port: number,
  path: string,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<RawConnection> {
  const connection = await RawConnection.open(port);
  connection.send(path);
  await sleep(150);
  child.signal(signal);
  return connection;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 connection driven by hand: requests are written when the test says so. */
export class RawConnection {
  private buffered = '';
  private waiter: (() => void) | undefined;
  readonly closed: Promise<void>;
  private isClosed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      this.waiter?.();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.waiter?.();
        resolve();
      }),
    );
  }

  /** `allowHalfOpen`: keep our side open after the server's FIN, as a client ignoring it would. */
  static async open(port: number, options: { allowHalfOpen?: boolean } = {}): Promise<RawConnection> {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: options.allowHalfOpen ?? false });
    await once(socket, 'connect');
    const connection = new RawConnection(socket);
    openConnections.add(connection);
    socket.once('close', () => openConnections.delete(connection));
    return connection;
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** Writes raw bytes (part of a request, or a whole one). */
  write(text: string): void {
    this.socket.write(text);
  }

  send(path: string): void {
    this.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  }

  /** Reads one response with a Content-Length body; rejects if the connection closes first. */
  async readResponse(timeoutMs = 5_000): Promise<RawResponse> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const parsed = this.parse();
      if (parsed) return parsed;
      if (this.isClosed) throw new Error(`connection closed before a full response; received ${JSON.stringify(this.buffered)}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no full response within ${timeoutMs} ms; received ${JSON.stringify(this.buffered)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  async request(path: string): Promise<RawResponse> {
    this.send(path);
    return this.readResponse();
  }

  private parse(): RawResponse | undefined {
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine = '', ...lines] = this.buffered.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? '0');
    if (this.buffered.length < end + 4 + length) return undefined;
    const body = this.buffered.slice(end + 4, end + 4 + length);
    this.buffered = this.buffered.slice(end + 4 + length);
    return { status: Number(statusLine.split(' ')[1]), headers, body };
  }

  destroy(): void {
    this.socket.destroy();
  }
}
