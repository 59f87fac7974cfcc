import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsOf, killAll, prepareCase, runProcess } from './harness.js';

afterEach(killAll);

// A CommonJS service that makes its servers inside its block of requires: the rewrite uses the shim's names there
// (a cleanup hook after `require('socket.io')(server)`, trackServer() around `require('node:http').createServer(…)`),
// so the shim's require must come above them. Below them, the service threw a ReferenceError at start-up.
describe.each([
  ['cjs-shim-before-use', 'a cleanup hook after a require that makes the resource'],
  ['cjs-shim-before-use-wrap', 'a server tracked in the statement that makes it'],
])('%s: %s', (fixture) => {
  it('starts as the original does, and then drains the request in flight at SIGTERM', { timeout: 60_000 }, async () => {
    const prepared = await prepareCase(fixture);
    const rewrittenLines = prepared.rewrittenText.split('\n');
    const binding = rewrittenLines.findIndex((line) => line.includes("require('@quiesce/runtime-shim')"));
    const firstUse = rewrittenLines.findIndex((line) => /\b(?:trackServer|onShutdown)\(/.test(line));
    expect(binding).toBeGreaterThan(-1);
    expect(firstUse).toBeGreaterThan(binding);
    const plan = { signal: 'SIGTERM' as const };
    const original = await runProcess(prepared.original, plan);
    const rewritten = await runProcess(prepared.rewritten, plan);

    // Both start and take the request ('ready' is printed when it arrives); the original is then killed by the signal.
    expect(original.linesBeforeSignal, describeRun(original)).toBeDefined();
    expect(original.signal, describeRun(original)).toBe('SIGTERM');
    expect(eventsOf(original)).toEqual([]);

    expect(rewritten.stderr).not.toContain('ReferenceError');
    expect(rewritten.linesBeforeSignal, describeRun(rewritten)).toBeDefined();
    expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
    expect(rewritten.code, describeRun(rewritten)).toBe(0);
    expect(eventsOf(rewritten), describeRun(rewritten)).toEqual(['answered']);
  });
});
