// trackServer in a real process with real signals: SIGTERM mid-request lets the request finish
// and exits 0; a request that outlives the deadline is named and the exit is non-zero; the
// signal can be re-raised for supervisors that expect "killed by signal".

import { afterEach, describe, expect, it } from 'vitest';
import { destroyOpenConnections, RawConnection, requestThenSignal, tryConnect } from './server-helpers.js';
import { spawnNode } from './support/child.js';
import { sleep } from './support/time.js';

afterEach(destroyOpenConnections);

async function startApp(env: Record<string, string> = {}) {
  const child = spawnNode(['server-app.mjs'], { env });
  const line = await child.waitForLine(/^listening \d+$/);
  return { child, port: Number(line.split(' ')[1]) };
}

describe('trackServer in a process receiving SIGTERM', () => {
  it('finishes the in-flight requests with Connection: close, refuses new connections, exits 0', async () => {
    const { child, port } = await startApp();
    const connections = await Promise.all([RawConnection.open(port), RawConnection.open(port)]);
    connections[0]?.send('/wait?ms=400');
    connections[1]?.send('/wait?ms=600');
    await sleep(150); // let both requests reach the server
    child.signal('SIGTERM');
    const responses = await Promise.all(connections.map((connection) => connection.readResponse()));
    expect(responses.map((response) => [response.status, response.body, response.headers['connection']])).toEqual([
      [200, 'done ?ms=400', 'close'],
      [200, 'done ?ms=600', 'close'],
    ]);
    const exit = await child.exited(10_000);
    expect(exit.code).toBe(0);
    expect(exit.stderr).toMatch(/drain — 2 pieces of work finished/);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('serves the first request of a connection whose client writes it after the idle grace (a busy client), with Connection: close', async () => {
    const { child, port } = await startApp({ IDLE_GRACE_MS: '50', FIRST_REQUEST_GRACE_MS: '5000' });
    const connection = await RawConnection.open(port);
    await sleep(100); // accepted before the signal, nothing sent yet
    child.signal('SIGTERM');
    await child.waitForLine(/intake/);
    await sleep(300); // six idle graces: a keep-alive connection that had served a request would be closed by now
    const response = await connection.request('/wait?ms=0');
    expect([response.status, response.headers['connection']]).toEqual([200, 'close']);
    expect((await child.exited(10_000)).code).toBe(0);
  });

  it('names a request that outlives the deadline, destroys it, and exits non-zero', async () => {
    const { child, port } = await startApp({ TIMEOUT_MS: '400' });
    const connection = await requestThenSignal(child, port, '/hang?upload=42');
    const exit = await child.exited(10_000);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain("request 'GET /hang?upload=42'");
    await connection.closed;
  });

  it('re-raises the signal after a full drain when asked (exit status 128+15)', async () => {
    const { child, port } = await startApp({ RERAISE: '1' });
    const connection = await requestThenSignal(child, port, '/wait?ms=300');
    expect((await connection.readResponse()).body).toBe('done ?ms=300');
    const exit = await child.exited(10_000);
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  it('with a readiness delay, answers the readiness probe 503 and keeps serving until the delay ends', async () => {
    const { child, port } = await startApp({ READINESS_DELAY_MS: '1500' });
    const before = await RawConnection.open(port);
    expect((await before.request('/ready')).status).toBe(200);
    child.signal('SIGTERM');
    await child.waitForLine(/received SIGTERM/);
    const probe = await RawConnection.open(port);
    const work = await RawConnection.open(port);
    expect((await probe.request('/ready')).status).toBe(503);
    expect(await work.request('/wait?ms=10')).toMatchObject({ status: 200, body: 'done ?ms=10' });
    expect((await child.exited(10_000)).code).toBe(0);
  });
});
