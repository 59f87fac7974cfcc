// trackServer on https (a self-signed certificate made by the openssl CLI for this test) and on
// http2 (cleartext h2c and TLS): in-flight work finishes, new connections are refused, HTTP/2
// sessions get a GOAWAY, and a stream that outlives the deadline is named in the report.

import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as connectHttp2, constants, createSecureServer, createServer as createHttp2Server, type ClientHttp2Session } from 'node:http2';
import { Agent, createServer as createHttpsServer, request } from 'node:https';
import { tmpdir } from 'node:os';
import { connect as connectTls } from 'node:tls';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createQuiescer } from '../src/index.js';
import { listen, tryConnect, waitFor, waitForRefusal } from './server-helpers.js';
import { sleep } from './support/time.js';

let certificate: { key: string; cert: string };
let scratch: string;
const cleanups: Array<() => void> = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'quiesce-tls-'));
  const keyPath = join(scratch, 'key.pem');
  const certPath = join(scratch, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath,
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  certificate = { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function httpsGet(port: number, path: string, agent: Agent): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, ca: certificate.cert }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('trackServer on https', () => {
  it('drains an in-flight request with Connection: close, closes the idle TLS connection and refuses new ones', async () => {
    const q = createQuiescer({ logger: false, timeoutMs: 5_000 });
    const server = createHttpsServer(certificate, (req, res) => {
      globalThis.setTimeout(() => res.end(`done ${req.url}`), req.url === '/slow' ? 300 : 0);
    });
    cleanups.push(() => {
      server.closeAllConnections();
      server.close();
    });
    q.trackServer(server, { idleSocketGraceMs: 50 });
    const port = await listen(server);
    const agent = new Agent({ keepAlive: true, ca: certificate.cert });
    cleanups.push(() => agent.destroy());
    // Two kept-alive TLS connections: one stays idle, one carries the slow request.
    const warmups = await Promise.all([httpsGet(port, '/a', agent), httpsGet(port, '/b', agent)]);
    expect(warmups.map((response) => response.connection)).toEqual(['keep-alive', 'keep-alive']);

    const slow = httpsGet(port, '/slow', agent);
    await waitFor(() => q.inFlightCount === 1, 'the slow request to be in flight');
    const report = q.shutdown('test');
    expect(await slow).toEqual({ status: 200, connection: 'close', body: 'done /slow' });
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    expect(await report).toMatchObject({ deadlineHit: false, pending: [] });
    await waitFor(() => Object.keys(agent.freeSockets).length === 0, 'the idle TLS connection to be closed by the server');
  });

  it('keeps an idle TLS connection open while a request is arriving on it, and answers it with Connection: close', async () => {
    const q = createQuiescer({ logger: false, timeoutMs: 5_000 });
    const server = createHttpsServer(certificate, (req, res) => res.end(`done ${req.url}`));
    cleanups.push(() => {
      server.closeAllConnections();
      server.close();
    });
    q.trackServer(server, { idleSocketGraceMs: 100 });
    const port = await listen(server);
    const socket = connectTls({ host: '127.0.0.1', port, ca: certificate.cert });
    cleanups.push(() => socket.destroy());
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    let closed = false;
    socket.on('close', () => (closed = true));
    await once(socket, 'secureConnect');
    socket.write('GET /first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await waitFor(() => received.includes('done /first'), 'the first response');
    socket.write('GET /second HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await sleep(20);

    const report = q.shutdown('test');
    await waitForRefusal(port);
    await sleep(250); // past the grace period: only the arriving request keeps the connection open
    expect(closed).toBe(false);
    socket.write('\r\n');
    await waitFor(() => received.includes('done /second'), 'the second response');
    expect(received.slice(received.indexOf('done /first'))).toMatch(/connection: close/i);
    expect(await report).toMatchObject({ deadlineHit: false });
    await waitFor(() => closed, 'the server to close the connection after its response');
  });
});

async function http2Get(session: ClientHttp2Session, path: string): Promise<{ status: number; body: string }> {
  const stream = session.request({ ':path': path });
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (body += chunk));
  const [headers] = (await once(stream, 'response')) as [Record<string, string | number>];
  await once(stream, 'end');
  return { status: Number(headers[':status']), body };
}

describe('trackServer on http2', () => {
  for (const variant of ['h2c', 'TLS'] as const) {
    it(`(${variant}) lets an open stream finish, sends GOAWAY, and refuses new connections`, async () => {
      const q = createQuiescer({ logger: false, timeoutMs: 5_000 });
      const server = variant === 'h2c' ? createHttp2Server() : createSecureServer(certificate);
      server.on('stream', (stream, headers) => {
        globalThis.setTimeout(() => {
          stream.respond({ ':status': 200 });
          stream.end(`done ${String(headers[':path'])}`);
        }, headers[':path'] === '/slow' ? 300 : 0);
      });
      cleanups.push(() => server.close());
      q.trackServer(server);
      const port = await listen(server);
      const session =
        variant === 'h2c' ? connectHttp2(`http://127.0.0.1:${port}`) : connectHttp2(`https://127.0.0.1:${port}`, { ca: certificate.cert });
      cleanups.push(() => session.destroy());
      session.on('error', () => {});
      expect(await http2Get(session, '/warm')).toEqual({ status: 200, body: 'done /warm' });

      const goaway = once(session, 'goaway');
      const slow = http2Get(session, '/slow');
      await waitFor(() => q.inFlightCount === 1, 'the slow stream to be in flight');
      const report = q.shutdown('test');
      const [errorCode] = (await goaway) as [number];
      expect(errorCode).toBe(constants.NGHTTP2_NO_ERROR);
      expect(await slow).toEqual({ status: 200, body: 'done /slow' });
      expect(await report).toMatchObject({ deadlineHit: false, pending: [] });
      expect(await tryConnect(port)).toBe('ECONNREFUSED');
      await waitFor(() => session.closed || session.destroyed, 'the client session to close');
    });
  }

  it('names a stream that outlives the deadline and cancels it', async () => {
    const q = createQuiescer({ logger: false, timeoutMs: 300 });
    const server = createHttp2Server();
    server.on('stream', () => {}); // never answers
    cleanups.push(() => server.close());
    q.trackServer(server);
    const port = await listen(server);
    const session = connectHttp2(`http://127.0.0.1:${port}`);
    cleanups.push(() => session.destroy());
    session.on('error', () => {});
    const stream = session.request({ ':path': '/hang', ':method': 'POST' });
    stream.on('error', () => {});
    await waitFor(() => q.inFlightCount === 1, 'the stream to be in flight');

    const report = await q.shutdown('test');
    expect(report.deadlineHit).toBe(true);
    expect(report.pending).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'request', name: 'POST /hang' })]));
    await once(stream, 'close');
    expect(stream.rstCode).toBe(constants.NGHTTP2_CANCEL);
  });
});
