import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCodemod } from '../src/index.js';
import { scratchDirectory, writeJson } from './helpers.js';

// The second look at entry files (src/find/entry-listeners.ts): an entry that owns SIGTERM with its own listener is
// connected when a service file of its package has work on the shim, whoever put it there.

const scratches: { remove(): void }[] = [];
afterEach(() => {
  for (const scratch of scratches.splice(0)) scratch.remove();
});

// A net server: its close at SIGTERM is a stop the rule accepts (an HTTP server closed only there is reported by
// no-untracked-server itself, and its rewrite connects the listener: fixtures entry-sync-listener-*).
const entry = `'use strict';
const net = require('node:net');
require('./worker');

const server = net.createServer((socket) => socket.end('ok'));
server.listen(0, '127.0.0.1');

process.on('SIGTERM', () => {
  server.close();
});
`;

function project(worker: string): string {
  const scratch = scratchDirectory('entry-listeners');
  scratches.push(scratch);
  writeJson(path.join(scratch.directory, 'package.json'), { name: 'service', private: true, scripts: { start: 'node server.js' } });
  writeFileSync(path.join(scratch.directory, 'server.js'), entry);
  writeFileSync(path.join(scratch.directory, 'worker.js'), worker);
  return scratch.directory;
}

describe("an entry's own SIGTERM listener", () => {
  it('is connected when another file already has work on the shim (an earlier run, or by hand), and only once', async () => {
    const cwd = project(`'use strict';
const { track } = require('@quiesce/runtime-shim');

async function warmUp() {}

void track(warmUp(), { name: 'warmUp()' });
`);
    const first = await runCodemod({ cwd, typeCheck: false, allowDirty: true });
    expect(first.report.errors).toEqual([]);
    expect(first.report.files.find((file) => file.file === 'server.js')).toMatchObject({ status: 'changed', fixes: { 'quiesce-codemod/signal-listener': 1 } });
    expect(first.report.files.find((file) => file.file === 'worker.js')?.status).toBe('unchanged');
    const connected = readFileSync(path.join(cwd, 'server.js'), 'utf8');
    expect(connected).toContain("const { shutdown } = require('@quiesce/runtime-shim');");
    expect(connected).toContain("process.on('SIGTERM', (signal) => {\n  server.close();\n  void shutdown(signal);\n});");

    const second = await runCodemod({ cwd, typeCheck: false, allowDirty: true });
    expect(second.report.summary.changed).toBe(0);
    expect(readFileSync(path.join(cwd, 'server.js'), 'utf8')).toBe(connected);
  });

  it('is left as it is when no file of the package has work on the shim', async () => {
    const cwd = project(`'use strict';
function warmUp() {
  return 1;
}

warmUp();
`);
    const result = await runCodemod({ cwd, typeCheck: false, allowDirty: true });
    expect(result.report.errors).toEqual([]);
    expect(result.report.summary.changed).toBe(0);
    expect(readFileSync(path.join(cwd, 'server.js'), 'utf8')).toBe(entry);
  });
});
