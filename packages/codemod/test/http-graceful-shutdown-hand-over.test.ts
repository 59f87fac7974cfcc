import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCodemod } from '../src/index.js';
import { scratchDirectory, writeJson } from './helpers.js';

// When the codemod hands the signals of a service's gracefulShutdown(server, …) (http-graceful-shutdown) to the shim,
// and when it leaves a review item instead (src/plan/transforms/http-graceful-shutdown.ts). The runtime side is in
// behaviour/http-graceful-shutdown-*.

const scratches: { remove(): void }[] = [];
afterEach(() => {
  for (const scratch of scratches.splice(0)) scratch.remove();
});

const service = (call: string, head = '') => `const http = require('node:http');
const gracefulShutdown = require('http-graceful-shutdown');
${head}
const server = http.createServer((request, response) => response.end('ok'));
server.listen(3000);

async function closeDatabase(signal) {
  console.log('closing', signal);
}
function logDone() {
  console.log('done');
}

${call}
`;

async function rewrite(text: string, role: 'service' | 'library' = 'service') {
  const scratch = scratchDirectory('graceful-hand-over');
  scratches.push(scratch);
  const cwd = scratch.directory;
  writeJson(
    path.join(cwd, 'package.json'),
    role === 'service'
      ? { name: 'api', private: true, scripts: { start: 'node server.js' }, dependencies: { 'http-graceful-shutdown': '^3.1.0' } }
      : { name: 'web-kit', version: '1.0.0', main: 'server.js', dependencies: { 'http-graceful-shutdown': '^3.1.0' } },
  );
  writeFileSync(path.join(cwd, 'server.js'), text);
  const result = await runCodemod({ cwd, typeCheck: false, allowDirty: true });
  expect(result.report.errors).toEqual([]);
  return { text: readFileSync(path.join(cwd, 'server.js'), 'utf8'), reviews: result.report.reviews.map((review) => review.reason), result, cwd };
}

describe("a service's gracefulShutdown(server, …)", () => {
  it('is handed to the shim: the same signals, the drain within its timeout, onShutdown then finally in one hook; the import goes; a second run changes nothing', async () => {
    const first = await rewrite(
      service("gracefulShutdown(server, {\n  signals: 'SIGINT SIGTERM SIGHUP',\n  timeout: 20000,\n  forceExit: true,\n  development: false,\n  onShutdown: closeDatabase,\n  finally: logDone,\n});"),
    );
    expect(first.reviews).toEqual([]);
    expect(first.text).not.toContain("require('http-graceful-shutdown')");
    expect(first.text).toContain("const { trackServer, onShutdown, installShutdownHandlers } = require('@quiesce/runtime-shim');");
    expect(first.text).toContain(
      "// http-graceful-shutdown's signals, now the shim's: it drains, then tears down.\ntrackServer(server);\nonShutdown(async ({ reason }) => {\n  await closeDatabase(reason);\n  logDone();\n}, { name: 'closeDatabase' });\ninstallShutdownHandlers({\n  signals: ['SIGINT', 'SIGTERM', 'SIGHUP'],\n  timeoutMs: 30000,\n  cleanupReserveMs: 10000,\n});\n",
    );
    // The listen is not reported: the server's finding is the library call.
    expect(first.text).toContain('\nserver.listen(3000);');
    const second = await runCodemod({ cwd: first.cwd, typeCheck: false, allowDirty: true });
    expect(second.report.summary.changed).toBe(0);
  });

  it("with no options: the library's defaults (SIGINT and SIGTERM, 30 s), and no hook", async () => {
    const { text, reviews } = await rewrite(service('gracefulShutdown(server);'));
    expect(reviews).toEqual([]);
    // Laid out over lines: on one it would be longer than the file's longest line (80 at least).
    expect(text).toContain("trackServer(server);\ninstallShutdownHandlers({\n  signals: ['SIGINT', 'SIGTERM'],\n  timeoutMs: 40000,\n  cleanupReserveMs: 10000\n});");
    expect(text).not.toContain('onShutdown(');
  });

  it('with only finally: a hook that runs it', async () => {
    const { text } = await rewrite(service('gracefulShutdown(server, { finally: logDone });'));
    expect(text).toContain("onShutdown(() => {\n  logDone();\n}, { name: 'logDone' });");
  });

  it('an inline onShutdown becomes the hook, its signal parameter taken from the context', async () => {
    const { text, reviews } = await rewrite(
      service("gracefulShutdown(server, {\n  onShutdown: async (signal) => {\n    await closeDatabase(signal);\n  },\n});"),
    );
    expect(reviews).toEqual([]);
    expect(text).toContain("trackServer(server);\nonShutdown(async ({ reason: signal }) => {\n  await closeDatabase(signal);\n}, { name: 'onShutdown' });\ninstallShutdownHandlers({");
  });

  it('an inline finally of no parameter becomes the hook too', async () => {
    const { text } = await rewrite(service("gracefulShutdown(server, { finally: () => console.log('bye') });"));
    expect(text).toContain("onShutdown(() => console.log('bye'), { name: 'finally' });");
  });

  it('keeps the import when something else uses it', async () => {
    const { text } = await rewrite(service('gracefulShutdown(server, { onShutdown: closeDatabase });\nmodule.exports = { gracefulShutdown };'));
    expect(text).toContain("const gracefulShutdown = require('http-graceful-shutdown');");
    expect(text).toContain('installShutdownHandlers(');
  });

  const reviewed: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['its returned shutdown is kept', 'const stop = gracefulShutdown(server, { onShutdown: closeDatabase });', /returned shutdown function is used/],
    ['a preShutdown', 'gracefulShutdown(server, { preShutdown: closeDatabase });', /preShutdown runs before the server closes/],
    ['development: true', 'gracefulShutdown(server, { development: true });', /development: true exits at once/],
    ['forceExit: false', 'gracefulShutdown(server, { forceExit: false });', /forceExit: false leaves the process to end by itself/],
    ['an inline onShutdown beside a finally', 'gracefulShutdown(server, { onShutdown: async () => {}, finally: logDone });', /onShutdown and finally are not both functions given by name/],
    ['an onShutdown that uses this', 'gracefulShutdown(server, { onShutdown: async function () { return this.timeout; } });', /uses this/],
    ['an onShutdown of two parameters', 'gracefulShutdown(server, { onShutdown: async (signal, more) => {} });', /takes parameters the codemod cannot give it/],
    ['signals from a variable', "const signals = 'SIGTERM';\ngracefulShutdown(server, { signals });", /signals are not a string the codemod can read/],
    ['a signal no listener can catch', "gracefulShutdown(server, { signals: 'SIGTERM SIGKILL' });", /"SIGKILL" is not a signal a listener can catch/],
    ['an unknown option', 'gracefulShutdown(server, { onShutdown: closeDatabase, retries: 3 });', /option retries is not one the codemod can carry over/],
    ['options from a variable', 'const options = {};\ngracefulShutdown(server, options);', /options are not an object the codemod can read/],
  ];
  for (const [what, call, reason] of reviewed) {
    it(`leaves a review item at the call, and the library in place, with ${what}`, async () => {
      const { text, reviews } = await rewrite(service(call));
      expect(reviews.some((review) => reason.test(review)), JSON.stringify(reviews)).toBe(true);
      expect(text).toContain("require('http-graceful-shutdown')");
      expect(text).not.toMatch(/^installShutdownHandlers\(/m);
      // Nothing else of this file is on the shim: no drain to connect either.
      expect(text).not.toContain('@quiesce/runtime-shim');
    });
  }
});

describe("a library's gracefulShutdown(server, …)", () => {
  it('is its caller’s business: left alone', async () => {
    const original = service('gracefulShutdown(server, { onShutdown: closeDatabase });');
    const { text, reviews } = await rewrite(original, 'library');
    expect(text).toBe(original);
    expect(reviews).toEqual([]);
  });
});
