// The listener closes after a loop turn that could not leave a connection in the kernel's accept
// queue. Closing a listening socket resets the connections queued there (handshake done, not yet
// accepted, request already sent): the Nest post-signal reset of the benchmark, where a poll phase
// busy with request handlers let a client's reconnection complete its handshake just before the
// close. Real process, real signal, real sockets on 127.0.0.1.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { destroyOpenConnections, RawConnection } from './server-helpers.js';
import { spawnNode } from './support/child.js';
import { sleep } from './support/time.js';

const directories: string[] = [];
afterEach(() => {
  destroyOpenConnections();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('the listener closing during shutdown, after a long poll phase', () => {
  it('answers a connection that reached the accept queue during that phase instead of letting the close reset it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'quiesce-accept-queue-'));
    directories.push(directory);
    const flag = join(directory, 'request-sent');
    const child = spawnNode(['busy-poll-app.mjs'], { env: { FLAG_FILE: flag } });
    const port = Number((await child.waitForLine(/^listening \d+$/)).split(' ')[1]);
    child.signal('SIGTERM');
    await child.waitForLine(/^blocking$/);
    // The kernel completes the handshake while the server's loop is blocked: the connection is queued.
    const late = await RawConnection.open(port);
    late.send('/late');
    await sleep(10); // let loopback deliver it before the loop goes on
    writeFileSync(flag, '');

    const response = await late.readResponse(10_000);
    expect([response.status, response.body, response.headers['connection']]).toEqual([200, 'answer to /late', 'close']);
    expect((await child.exited()).code).toBe(0);
  });
});
