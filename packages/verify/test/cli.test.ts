// The quiesce-verify command: its exit codes (0 pass, 1 fail, 2 usage), its JSON report, bad input
// named by flag, --runs, --load, the signal's timing options. Real processes, sockets on 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../src/index.js';
import { prepare } from './loads/directory-queue.mjs';
import { READY_LINE, binPath, cleansUpChildren, service, servicesDir } from './support.js';

cleansUpChildren();

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [binPath, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const ready = ['--ready-line', READY_LINE.source];
const loadsDir = fileURLToPath(new URL('./loads/', import.meta.url));
const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A port free on 127.0.0.1 a moment ago, for a service told which port to listen on. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('quiesce-verify', () => {
  it('exits 0 and prints PASS for a service that drains', async () => {
    const result = await cli([...ready, '--after', '500', '--', ...service('drains')]);

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/✓ in-flight-lost: all \d+ requests in flight at SIGTERM completed/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('PASS: the service drained');
    expect(result.code).toBe(0);
  });

  it('exits 1 with --format json: the report in the contract shape, the failed check named', async () => {
    const result = await cli([...ready, '--after', '500', '--format', 'json', '--', ...service('exits-early')]);

    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as VerifyReport;
    expect(report.version).toBe(1);
    expect(report.verdict).toBe('fail');
    expect(report.command).toEqual(service('exits-early'));
    const run = report.runs[0]!;
    // (A request sent in the few ms between the signal and the exit is reset too: unclean-after-signal may fail as well.)
    expect(run.checks.filter((check) => !check.passed).map((check) => check.id)).toContain('in-flight-lost');
    expect(run.requests.length).toBeGreaterThan(0);
    for (const request of run.requests) {
      expect(request.end).toBeGreaterThanOrEqual(request.start);
      expect(['completed', 'status', 'refused', 'reset', 'hung', 'error']).toContain(request.outcome);
    }
    expect(run.outputTail.some((line) => READY_LINE.test(line))).toBe(true);
  });

  it('--runs 2 reports each run, each with a fresh process', async () => {
    const result = await cli([...ready, '--after', '400', '--runs', '2', '--format', 'json', '--', ...service('drains')]);

    const report = JSON.parse(result.stdout) as VerifyReport;
    expect(report.runs.map((run) => run.run)).toEqual([1, 2]);
    const ports = report.runs.map((run) => run.outputTail.find((line) => READY_LINE.test(line)));
    expect(ports[0]).not.toBe(ports[1]);
    expect(result.code).toBe(0);
  });

  it('--stop-load-at-signal sends nothing after the signal; --after-requests signals once that many finished', async () => {
    const result = await cli([...ready, '--after-requests', '25', '--stop-load-at-signal', '--format', 'json', '--', ...service('drains')]);

    const run = (JSON.parse(result.stdout) as VerifyReport).runs[0]!;
    expect(run.requests.filter((request) => request.afterSignal)).toEqual([]);
    expect(run.requests.filter((request) => request.end <= run.signalAt!).length).toBeGreaterThanOrEqual(25);
    expect(result.code).toBe(0);
  });

  it('--port: ready when the port accepts connections, and the load goes there', async () => {
    const port = await freePort();
    const result = await cli(['--port', String(port), '--path', '/?ms=100', '--after', '500', '--env', `PORT=${port}`, '--format', 'json', '--', ...service('drains')]);

    const report = JSON.parse(result.stdout) as VerifyReport;
    expect(report.options['ready']).toEqual({ host: '127.0.0.1', port });
    expect(report.runs[0]!.requests.filter((request) => request.outcome === 'completed').length).toBeGreaterThan(0);
    expect(result.code).toBe(0);
  });

  it('--ready-url with --url: ready on an HTTP answer; the URL\'s path is the default path', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/?ms=100`;
    const result = await cli(['--ready-url', `http://127.0.0.1:${port}/?ms=0`, '--url', url, '--after', '500', '--env', `PORT=${port}`, '--format', 'json', '--', ...service('drains')]);

    const run = (JSON.parse(result.stdout) as VerifyReport).runs[0]!;
    expect(new Set(run.requests.map((request) => request.path))).toEqual(new Set(['/?ms=100']));
    expect(result.code).toBe(0);
  });

  it('--rate paces the load: never more requests before the signal than the rate allows', async () => {
    const result = await cli([...ready, '--rate', '20', '--concurrency', '10', '--path', '/?ms=10', '--after', '1000', '--format', 'json', '--', ...service('drains')]);

    const run = (JSON.parse(result.stdout) as VerifyReport).runs[0]!;
    const sentBefore = run.requests.filter((request) => request.start < run.signalAt!).length;
    const firstStart = Math.min(...run.requests.map((request) => request.start));
    expect(sentBefore).toBeGreaterThan(0);
    // One slot every 50 ms from the first request on (plus that first one).
    expect(sentBefore).toBeLessThanOrEqual(Math.floor(((run.signalAt! - firstStart) * 20) / 1000) + 1);
  });

  it('--html writes the timeline page and prints its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quiesce-verify-html-'));
    scratch.push(dir);
    const file = join(dir, 'timeline.html');
    const result = await cli([...ready, '--after', '500', '--html', file, '--', ...service('drains')]);

    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(`timeline: ${file}`);
    expect(await readFile(file, 'utf8')).toMatch(/^<!doctype html>/i);
    expect(result.code).toBe(0);
  });

  it('a service that never becomes ready fails the ready check, naming --ready-timeout, and is killed', async () => {
    const result = await cli([...ready, '--ready-timeout', '1500', '--', ...service('never-ready')]);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ ready: the service was not ready: no line matched within 1500 ms (--ready-timeout)');
    expect(result.stdout).toContain('| warming caches');
  });

  it('a command that cannot start fails the ready check with the reason', async () => {
    const result = await cli(['--port', '1', '--', join(servicesDir, 'no-such-command')]);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ ready: the service was not ready: it could not be started: spawn .*no-such-command ENOENT/);
  });

  it.each([
    [['--port', '3000'], /^quiesce-verify: -- <command…>: no command to run/],
    [['--', 'node', 'x.js'], /^quiesce-verify: --ready-url, --port or --ready-line: quiesce-verify must know when the service is ready/],
    [['--port', 'abc', '--', 'node'], /^quiesce-verify: --port: expected a number, got "abc"/],
    [['--port', '3000', '--concurrency', '0', '--', 'node'], /^quiesce-verify: --concurrency: expected a whole number >= 1, got 0/],
    [['--port', '3000', '--signal', 'SIGFOO', '--', 'node'], /^quiesce-verify: --signal: "SIGFOO" is not a signal name/],
    [['--port', '3000', '--signal', 'SIGKILL', '--', 'node'], /^quiesce-verify: --signal: SIGKILL cannot be handled/],
    [['--port', '3000', '--after', '5', '--after-requests', '5', '--', 'node'], /^quiesce-verify: --after, --after-requests: give one of them/],
    [['--port', '3000', '--format', 'yaml', '--', 'node'], /^quiesce-verify: --format: expected text or json, got "yaml"/],
    [['--url', 'ftp://127.0.0.1/', '--', 'node'], /^quiesce-verify: --url: only http: URLs are supported/],
    [['--ready-line', '(', '--', 'node'], /^quiesce-verify: --ready-line: not a regular expression/],
    [['--ready-line', 'ready', '--', 'node'], /^quiesce-verify: --url or --port: the HTTP load needs a target/],
    [['--port', '3000', '--path', 'orders', '--', 'node'], /^quiesce-verify: --path: "orders" is not a path/],
    [['--port', '3000', '--env', 'NOEQUALS', '--', 'node'], /^quiesce-verify: --env: expected KEY=VALUE/],
    [['--port', '3000', '--bogus', '--', 'node'], /^quiesce-verify: --bogus: Unknown option '--bogus'.*see quiesce-verify --help/],
    [['--port', '3000', 'node', 'server.js'], /^quiesce-verify: node: unexpected argument: put the service's command after "--"/],
    [['--port', '3000', '--load', './no-such-load.mjs', '--', 'node'], /^quiesce-verify: --load: could not import \.\/no-such-load\.mjs/],
  ])('bad input %j exits 2 naming the flag', async (args, message) => {
    const result = await cli(args);

    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });

  it('--help prints the usage and exits 0', async () => {
    const result = await cli(['--help']);

    expect(result.stdout).toMatch(/^Usage: quiesce-verify \[options\] -- <command…>/);
    expect(result.code).toBe(0);
  });
});

describe('quiesce-verify --load (non-HTTP work: a directory queue)', () => {
  const runQueue = async (drain: boolean) => {
    const queue = await mkdtemp(join(tmpdir(), 'quiesce-verify-queue-'));
    scratch.push(queue);
    await prepare(queue);
    const result = await cli([
      '--ready-line', '^worker started$',
      '--load', join(loadsDir, 'directory-queue.mjs'),
      '--after', '1000',
      '--env', `QUEUE_DIR=${queue}`,
      '--env', `QUEUE_DRAIN=${drain ? '1' : '0'}`,
      '--format', 'json',
      '--', ...service('file-queue'),
    ]);
    return { result, run: (JSON.parse(result.stdout) as VerifyReport).runs[0]!, queue };
  };

  it('fails a worker that SIGTERM kills mid-job, naming the jobs left in processing/', async () => {
    const { result, run } = await runQueue(false);

    expect(result.code).toBe(1);
    expect(run.requests).toEqual([]);
    expect(run.work.length).toBeGreaterThan(0);
    const lost = run.checks.find((check) => check.id === 'in-flight-lost')!;
    expect(lost.passed).toBe(false);
    expect(lost.message).toMatch(/^\d+ of \d+ work units in flight at SIGTERM lost: \d+ reset \(left in processing\/\) — job-\d{4}/);
  });

  it('passes a worker that stops claiming and finishes its jobs', async () => {
    const { result, run, queue } = await runQueue(true);

    expect(run.checks.filter((check) => !check.passed)).toEqual([]);
    expect(run.work.filter((unit) => unit.outcome === 'completed').length).toBeGreaterThan(0);
    expect(await readFile(join(queue, 'done', run.work.find((unit) => unit.outcome === 'completed')!.path + '.json'), 'utf8')).toBe('{"result":"ok"}');
    expect(result.code).toBe(0);
  });
});
