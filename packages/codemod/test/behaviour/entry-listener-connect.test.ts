import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsOf, killAll, prepareCase, runProcess, type ProcessRun } from './harness.js';

// An entry that owns SIGTERM with its own listener gets no register import; the work the codemod tracks in another
// file of its package is drained only because the listener is connected to the shim's shutdown(). Each case runs
// the original and the rewritten service as real processes (a real HTTP server on 127.0.0.1, a real SIGTERM).

const clients: net.Socket[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  killAll();
});

const sigterm = { signal: 'SIGTERM' as const };
const count = (run: ProcessRun, event: string): number => eventsOf(run).filter((line) => line === event).length;

/** The process ended by itself, as the original did (no exit forced, none hung until the harness's bound). */
function endsAsBefore(rewritten: ProcessRun, original: ProcessRun): void {
  expect(original.killedByHarness, describeRun(original)).toBe(false);
  expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
  expect(rewritten.code, describeRun(rewritten)).toBe(original.code);
  expect(rewritten.signal, describeRun(rewritten)).toBe(original.signal);
}

describe('a synchronous SIGTERM listener of a CommonJS entry, with tracked work in another file', () => {
  it('loses the work before; drains it after, running the listener once, and ends by itself as before', async () => {
    const prepared = await prepareCase('entry-sync-listener-cjs');
    expect(prepared.rewrittenText).toContain("    server.close();\n  }\n  void shutdown(signal);\n});");
    const original = await runProcess(prepared.original, sigterm);
    const rewritten = await runProcess(prepared.rewritten, sigterm);

    expect(original.code, describeRun(original)).toBe(0);
    expect(eventsOf(original), describeRun(original)).toContain('relay check started');
    expect(eventsOf(original), describeRun(original)).not.toContain('relay check done');

    endsAsBefore(rewritten, original);
    const events = eventsOf(rewritten);
    expect(count(rewritten, 'SIGTERM received'), describeRun(rewritten)).toBe(1);
    expect(events, describeRun(rewritten)).toContain('relay check done');
    expect(events, describeRun(rewritten)).toContain('relay ok');
    expect(events.indexOf('relay check done')).toBeGreaterThan(events.indexOf('SIGTERM received'));
  }, 60_000);

  it('is not forced to exit: the original waits for a connected client; the tracked server gives it its first-request grace, then the process ends by itself', async () => {
    const prepared = await prepareCase('entry-sync-listener-cjs');
    expect(prepared.rewrittenText).toContain('trackServer(server).listen(');
    const holdMs = 3000;
    // The shim's default firstRequestGraceMs: a connection that has sent nothing is closed once it is this old.
    const firstRequestGraceMs = 1000;
    // Connects when the port is printed, and sends the signal once the server has the connection; the client sends
    // nothing and leaves `holdMs` later.
    const closedByServer = new Map<string, boolean>();
    const planFor = (label: string) => ({
      signal: 'SIGTERM' as const,
      when: (line: string): boolean => {
        const port = /^port (\d+)$/.exec(line)?.[1];
        if (port !== undefined) {
          const client = net.connect(Number(port), '127.0.0.1');
          client.on('error', () => {});
          let leaving = false;
          // Ended by the server before the client itself leaves.
          client.on('end', () => closedByServer.set(label, !leaving));
          clients.push(client);
          setTimeout(() => {
            leaving = true;
            client.end();
          }, holdMs);
        }
        return line === 'event: client connected';
      },
    });
    const original = await runProcess(prepared.original, planFor('original'));
    const rewritten = await runProcess(prepared.rewritten, planFor('rewritten'));

    endsAsBefore(rewritten, original);
    expect(original.code, describeRun(original)).toBe(0);
    for (const run of [original, rewritten]) expect(count(run, 'SIGTERM received'), describeRun(run)).toBe(1);
    // The original's server.close() waits for the client to leave.
    expect(original.msAfterSignal, describeRun(original)).toBeGreaterThanOrEqual(holdMs - 300);
    expect(closedByServer.get('original')).not.toBe(true);
    // The tracked server closes the silent connection after its grace (counted from the connection, made just before
    // the signal), not at once and not by exiting: the client sees the server end it, then the process ends.
    expect(rewritten.msAfterSignal, describeRun(rewritten)).toBeGreaterThanOrEqual(firstRequestGraceMs - 300);
    expect(rewritten.msAfterSignal, describeRun(rewritten)).toBeLessThan(holdMs - 300);
    expect(closedByServer.get('rewritten')).toBe(true);
  }, 60_000);
});

describe('a synchronous SIGTERM listener of an ES-module TypeScript entry, with tracked work in another module', () => {
  it('loses the work before; drains it after, running the listener once, and ends by itself as before', async () => {
    const prepared = await prepareCase('entry-sync-listener-esm-ts');
    expect(prepared.rewrittenText).toContain("process.on('SIGTERM', (signal) => {");
    const original = await runProcess(prepared.original, sigterm);
    const rewritten = await runProcess(prepared.rewritten, sigterm);

    expect(original.code, describeRun(original)).toBe(0);
    expect(eventsOf(original), describeRun(original)).toContain('audit write started');
    expect(eventsOf(original).some((event) => event.startsWith('audit write done')), describeRun(original)).toBe(false);

    endsAsBefore(rewritten, original);
    const events = eventsOf(rewritten);
    expect(count(rewritten, 'SIGTERM received'), describeRun(rewritten)).toBe(1);
    const done = events.findIndex((event) => event.startsWith('audit write done'));
    expect(done, describeRun(rewritten)).toBeGreaterThan(events.indexOf('SIGTERM received'));
  }, 60_000);
});

describe('a synchronous SIGTERM listener that ends the pool in-flight work needs', () => {
  it('ends the pool under the work before; after, ends it once the drain is done', async () => {
    const prepared = await prepareCase('entry-sync-listener-pool');
    const original = await runProcess(prepared.original, sigterm);
    const rewritten = await runProcess(prepared.rewritten, sigterm);

    expect(original.code, describeRun(original)).toBe(0);
    expect(eventsOf(original), describeRun(original)).toContain('totals failed: pool ended before "select count(*) as total from orders" finished');

    endsAsBefore(rewritten, original);
    const events = eventsOf(rewritten);
    expect(count(rewritten, 'stopping'), describeRun(rewritten)).toBe(1);
    expect(count(rewritten, 'pool ended'), describeRun(rewritten)).toBe(1);
    expect(events, describeRun(rewritten)).toContain('totals done (3)');
    // Timer-first: intake at the signal, the drain, then what closes resources.
    expect(events.indexOf('stopping')).toBeLessThan(events.indexOf('totals done (3)'));
    expect(events.indexOf('pool ended')).toBeGreaterThan(events.indexOf('totals done (3)'));
  }, 60_000);
});

describe("an entry's async teardown listener on SIGINT and SIGTERM, with tracked work in another file", () => {
  it('loses the work before; after, drains it first and runs the teardown once', async () => {
    const prepared = await prepareCase('entry-async-listener');
    expect(prepared.rewrittenText).toContain('async function stopService(signal) {\n  await shutdown(signal);');
    const original = await runProcess(prepared.original, sigterm);
    const rewritten = await runProcess(prepared.rewritten, sigterm);

    expect(original.code, describeRun(original)).toBe(0);
    expect(count(original, 'teardown done'), describeRun(original)).toBe(1);
    expect(eventsOf(original), describeRun(original)).not.toContain('sync done');

    endsAsBefore(rewritten, original);
    const events = eventsOf(rewritten);
    expect(count(rewritten, 'teardown started'), describeRun(rewritten)).toBe(1);
    expect(count(rewritten, 'teardown done'), describeRun(rewritten)).toBe(1);
    expect(events, describeRun(rewritten)).toContain('sync done');
    expect(events.indexOf('teardown started')).toBeGreaterThan(events.indexOf('sync done'));
  }, 60_000);
});
