// The register entry at start-up: a bad QUIESCE_* value is the message alone and exit 78; an
// unknown QUIESCE_* variable is a warning naming the closest known one; a launch that keeps
// signals from the process (a package manager, a shell wrapper as PID 1, node --watch, PID 1) is
// one warning naming the fix; the readiness delay and the Kubernetes preset apply to tracked servers.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unknownVariableWarnings } from '../src/env.js';
import { createQuiescer, type Logger } from '../src/index.js';
import { launchWarning, type LaunchFacts } from '../src/launch.js';
import { listen, RawConnection, tryConnect } from './server-helpers.js';
import { childrenDir, spawnNode } from './support/child.js';
import { sleep } from './support/time.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const register = ['-r', '@quiesce/runtime-shim/register', 'register-app.cjs'];

describe('a bad QUIESCE_* value', () => {
  it('prints the message alone, no stack trace, and exits 78 before the application starts', async () => {
    for (const flag of ['-r', '--import']) {
      const result = await spawnNode([flag, '@quiesce/runtime-shim/register', 'register-app.cjs'], {
        env: { QUIESCE_TIMEOUT_MS: '30s' },
      }).exited();
      expect(result.code).toBe(78);
      expect(result.stdout).not.toContain('ready');
      expect(result.stderr).toBe(
        'quiesce: QUIESCE_TIMEOUT_MS="30s" is not valid: expected deadline for the whole shutdown, in ms (whole number >= 0; default 25000)\n',
      );
    }
  });
});

describe('unknown QUIESCE_* variables', () => {
  it('each is one warning naming the closest known variable, and the application runs', async () => {
    const child = spawnNode(register, { env: { QUIESCE_TIMEOUT: '5000', QUIESCE_READYNESS_DELAY_MS: '10' } });
    await child.waitForLine(/ready/);
    child.signal('SIGTERM');
    const result = await child.exited();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\[quiesce\] warning: unknown variable QUIESCE_TIMEOUT is ignored; did you mean QUIESCE_TIMEOUT_MS\?/);
    expect(result.stderr).toMatch(/unknown variable QUIESCE_READYNESS_DELAY_MS is ignored; did you mean QUIESCE_READINESS_DELAY_MS\?/);
    expect(result.stderr.match(/warning:/g)).toHaveLength(2);
  });

  it('names the closest known one for common slips', () => {
    expect(unknownVariableWarnings({ QUIESCE_SIGNAL: 'SIGTERM', QUIESCE_LOGS: 'silent', OTHER: '1' })).toEqual([
      expect.stringMatching(/^unknown variable QUIESCE_LOGS is ignored; did you mean QUIESCE_LOG\?/),
      expect.stringMatching(/^unknown variable QUIESCE_SIGNAL is ignored; did you mean QUIESCE_SIGNALS\?/),
    ]);
    expect(unknownVariableWarnings({ QUIESCE_TIMEOUT_MS: '1' })).toEqual([]);
  });
});

describe('how signals reach the process', () => {
  it('started with node directly: no warning', async () => {
    const child = spawnNode(register);
    await child.waitForLine(/ready/);
    child.signal('SIGTERM');
    const result = await child.exited();
    expect(result.stderr).not.toContain('warning');
  });

  it('started by `npm run`: one warning naming npm and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiesce-launch-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const registerPath = join(childrenDir, '..', '..', 'dist', 'cjs', 'register.js');
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'launch-check', private: true, scripts: { start: `node -r ${JSON.stringify(registerPath)} -e "console.log('ready')"` } }),
    );
    const npm = spawn('npm', ['run', 'start', '--silent'], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => npm.kill('SIGKILL'));
    let stderr = '';
    npm.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => npm.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr.match(/\[quiesce\] warning:/g)).toHaveLength(1);
    expect(stderr).toMatch(/warning: started by `npm run start`: npm may not pass SIGTERM on to this process/);
    expect(stderr).toMatch(/Start node directly \(Dockerfile exec form: CMD \["node", "server\.js"\]/);
  }, 30_000);

  it('under node --watch: one warning', async () => {
    const child = spawnNode(['--watch', ...register]);
    await child.waitForLine(/ready/);
    await child.waitForLine(/warning: running under `node --watch`/);
    child.signal('SIGTERM');
    await child.exited();
  });

  it('QUIESCE_LAUNCH_CHECK=0 silences it', async () => {
    const child = spawnNode(['--watch', ...register], { env: { QUIESCE_LAUNCH_CHECK: '0' } });
    await child.waitForLine(/ready/);
    child.signal('SIGTERM');
    const result = await child.exited();
    expect(result.stderr).not.toContain('warning');
  });

  const facts = (overrides: Partial<LaunchFacts> & { commands?: Record<number, string[]>; parents?: Record<number, number> }): LaunchFacts => ({
    pid: 4242,
    ppid: 4000,
    env: {},
    commandOf: (pid) => overrides.commands?.[pid],
    parentOf: (pid) => overrides.parents?.[pid],
    ...overrides,
  });

  it('a shell wrapper that is PID 1 (shell-form CMD, a start script): names exec and an init', () => {
    const warning = launchWarning(facts({ ppid: 1, commands: { 1: ['/bin/sh', '-c', 'node server.js && echo done'] } }));
    expect(warning).toMatch(/shell wrapper \(`\/bin\/sh -c node server\.js && echo done`\) that is PID 1/);
    expect(warning).toMatch(/exec node/);
    expect(warning).toMatch(/docker run --init, tini/);
  });

  it('node as PID 1 with no init: names --init and tini', () => {
    expect(launchWarning(facts({ pid: 1, ppid: 0 }))).toMatch(/running as PID 1 with no init.*docker run --init, tini/);
  });

  it('pnpm and yarn scripts through sh -c are named too', () => {
    const env = { npm_lifecycle_event: 'start' };
    const viaShell = (manager: string[]) =>
      launchWarning(facts({ env, commands: { 4000: ['sh', '-c', 'node server.js'], 3000: manager }, parents: { 4000: 3000 } }));
    expect(viaShell(['node', '/usr/lib/node_modules/pnpm/bin/pnpm.cjs', 'start'])).toMatch(/^started by `pnpm run start`/);
    expect(viaShell(['/usr/local/bin/node', '/usr/local/bin/yarn', 'start'])).toMatch(/^started by `yarn run start`/);
    // An interactive shell in a terminal is not a wrapper.
    expect(launchWarning(facts({ commands: { 4000: ['-bash'] } }))).toBeUndefined();
  });
});

describe('every server under register', () => {
  it('a Fastify app with no shim code: the request in flight is answered (Connection: close), new connections are refused, exit 0', async () => {
    const child = spawnNode(['-r', '@quiesce/runtime-shim/register', 'register-fastify.cjs']);
    const port = (JSON.parse(await child.waitForLine(/^\{"port":/)) as { port: number }).port;
    const connection = await RawConnection.open(port);
    cleanups.push(() => connection.destroy());
    const answer = connection.request('/slow');
    await sleep(100);
    child.signal('SIGTERM');
    const response = await answer;
    expect(response).toMatchObject({ status: 200, body: 'slow ok\n' });
    expect(response.headers['connection']).toBe('close');
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    const result = await child.exited();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/drain — \d+ pieces? of work finished, nothing pending/);
  });

  it('QUIESCE_TRACK_ALL_SERVERS=0: a server nobody tracked is not drained (the request is cut off)', async () => {
    const child = spawnNode(['-r', '@quiesce/runtime-shim/register', 'register-fastify.cjs'], { env: { QUIESCE_TRACK_ALL_SERVERS: '0' } });
    const port = (JSON.parse(await child.waitForLine(/^\{"port":/)) as { port: number }).port;
    const connection = await RawConnection.open(port);
    cleanups.push(() => connection.destroy());
    const answer = connection.request('/slow').then(
      () => 'answered',
      () => 'cut off',
    );
    await sleep(100);
    child.signal('SIGTERM');
    expect(await answer).toBe('cut off');
    expect((await child.exited()).code).toBe(0);
  });
});

describe('readinessDelayMs for every tracked server, and the Kubernetes preset', () => {
  it('installShutdownHandlers({ readinessDelayMs }) keeps a server tracked without its own delay accepting that long', async () => {
    const q = createQuiescer({ logger: false });
    const uninstall = q.installShutdownHandlers({ readinessDelayMs: 400, logger: false });
    cleanups.push(uninstall);
    const server = createServer((_req, res) => res.end('ok'));
    cleanups.push(() => server.close());
    q.trackServer(server);
    const port = await listen(server);
    const report = q.shutdown('test');
    await sleep(100);
    expect(await tryConnect(port)).toBe('connected');
    await report;
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    expect((await report).phases.intakeMs).toBeGreaterThanOrEqual(390);
  });

  it("preset 'kubernetes' sets a 5 s readiness delay (here capped by a short deadline, which names it) and a 25 s deadline", async () => {
    const warnings: string[] = [];
    const logger: Logger = { info() {}, warn: (message) => warnings.push(message), error() {} };
    const q = createQuiescer();
    cleanups.push(q.installShutdownHandlers({ preset: 'kubernetes', logger }));
    expect(q.timeoutMs).toBe(25_000);
    cleanups.push(q.installShutdownHandlers({ timeoutMs: 600 }));
    const server = createServer((_req, res) => res.end('ok'));
    cleanups.push(() => server.close());
    q.trackServer(server);
    await listen(server);
    await q.shutdown('test');
    expect(warnings).toEqual([expect.stringMatching(/readinessDelayMs 5000 ms leaves no time to drain within the deadline; waiting (29\d|300) ms instead/)]);
  });
});
