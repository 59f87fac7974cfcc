// An idle keep-alive connection is closed during shutdown only once the event loop has read what
// is waiting on it. A process that was busy (or starved of CPU) runs its due timers before it
// reads its sockets, so a request the client sent on an idle connection meanwhile sits unread in
// the kernel; destroying the connection then resets it (the bench's post-signal resets on a
// loaded machine). Real process, real signal, real sockets on 127.0.0.1.

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

describe('an idle keep-alive connection during shutdown, with the event loop blocked', () => {
  it('serves the request that arrived while the loop was blocked (Connection: close) instead of resetting it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'quiesce-blocked-'));
    directories.push(directory);
    const flag = join(directory, 'request-sent');
    const child = spawnNode(['blocked-idle-app.mjs'], { env: { FLAG_FILE: flag } });
    const port = Number((await child.waitForLine(/^listening \d+$/)).split(' ')[1]);
    const connection = await RawConnection.open(port);
    connection.send('/stream');
    const first = connection.readResponse(10_000);
    await sleep(100); // let the headers go out before the signal (keep-alive)
    child.signal('SIGTERM');
    expect((await first).body).toBe('first\nlast\n');

    await child.waitForLine(/^blocking$/);
    await new Promise<void>((resolve) => connection.socket.write('GET /next HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', () => resolve()));
    await sleep(50); // let loopback deliver it into the server's receive queue before the loop goes on
    writeFileSync(flag, '');

    const next = await connection.readResponse(10_000);
    expect([next.status, next.body, next.headers['connection']]).toEqual([200, 'answer to /next', 'close']);
    expect((await child.exited()).code).toBe(0);
  });
});
