import { describe, expect, it } from 'vitest';

import { serverLabels } from '../../src/detect/servers.js';
import { noUntrackedServer } from '../../src/rules/no-untracked-server.js';
import { commonJsTester, javaScriptTester, typedTester, typeScriptTester } from '../rule-testers.js';

const importLine = "import { trackServer } from '@quiesce/runtime-shim';\n";
const wrap = (output: string) => [{ messageId: 'wrapInTrackServer' as const, output }];

typeScriptTester.run('no-untracked-server (TypeScript, no types)', noUntrackedServer, {
  valid: [
    // Passed to trackServer: the receiver, the listen result, or the server variable anywhere in the file.
    "import http from 'node:http';\nimport { trackServer } from '@quiesce/runtime-shim';\nconst server = http.createServer();\ntrackServer(server).listen(3000);",
    "import express from 'express';\nimport { trackServer } from '@quiesce/runtime-shim';\nconst app = express();\ntrackServer(app.listen(3000));",
    "import http from 'node:http';\nimport { trackServer } from '@quiesce/runtime-shim';\nconst server = http.createServer();\nserver.listen(3000);\ntrackServer(server);",
    // Closed in an onShutdown hook.
    "import express from 'express';\nimport { onShutdown } from '@quiesce/runtime-shim';\nconst app = express();\nconst server = app.listen(3000);\nonShutdown(() => new Promise<void>((resolve) => server.close(() => resolve())));",
    "import net from 'node:net';\nimport { onShutdown } from '@quiesce/runtime-shim';\nconst server = net.createServer();\nserver.listen(4000);\nonShutdown(async () => { server.close(); });",
    // Not a server we know: a local object with listen.
    'const thing = { listen(port: number) { return port; } };\nthing.listen(1);',
    // A team wrapper listed in settings.quiesce.trackers.
    {
      code: "import http from 'node:http';\nimport { trackServer } from '@acme/lifecycle';\ntrackServer(http.createServer()).listen(1);",
      settings: { quiesce: { trackers: ['@acme/lifecycle'] } },
    },
  ],
  invalid: [
    {
      code: "import http from 'node:http';\nconst server = http.createServer((req, res) => res.end());\nserver.listen(8080);",
      errors: [
        {
          messageId: 'untrackedServer',
          data: { server: 'http', what: 'http server' },
          line: 3,
          column: 1,
          endColumn: 20,
          suggestions: wrap(`import http from 'node:http';\n${importLine}const server = http.createServer((req, res) => res.end());\ntrackServer(server).listen(8080);`),
        },
      ],
    },
    {
      code: "import { createServer } from 'https';\ncreateServer({}).listen(443);",
      errors: [{ messageId: 'untrackedServer', data: { server: 'https', what: 'https server' }, suggestions: [] }],
    },
    {
      code: "import * as http2 from 'node:http2';\nconst s = http2.createSecureServer({});\ns.listen(8443);",
      errors: [{ messageId: 'untrackedServer', data: { server: 'http2', what: 'HTTP/2 server' }, suggestions: wrap(`import * as http2 from 'node:http2';\n${importLine}const s = http2.createSecureServer({});\ntrackServer(s).listen(8443);`) }],
    },
    {
      code: "import { Server } from 'node:net';\nconst s = new Server();\ns.listen(1);",
      errors: [{ messageId: 'untrackedServer', data: { server: 'net', what: 'net server' }, suggestions: wrap(`import { Server } from 'node:net';\n${importLine}const s = new Server();\ntrackServer(s).listen(1);`) }],
    },
    {
      code: "import express from 'express';\nconst app = express();\napp.listen(3000, () => console.log('up'));",
      errors: [{ messageId: 'untrackedServer', data: { server: 'express', what: 'Express server' }, suggestions: wrap(`import express from 'express';\n${importLine}const app = express();\ntrackServer(app).listen(3000, () => console.log('up'));`) }],
    },
    {
      code: "import Koa from 'koa';\nnew Koa().listen(3000);",
      errors: [{ messageId: 'untrackedServer', data: { server: 'koa', what: 'Koa server' }, suggestions: [] }],
    },
    {
      code: "import connect from 'connect';\nconst app = connect();\nconst server = app.listen(3000);\nserver.close();",
      errors: [{ messageId: 'untrackedServer', data: { server: 'connect', what: 'Connect server' }, line: 3, suggestions: wrap(`import connect from 'connect';\n${importLine}const app = connect();\nconst server = trackServer(app).listen(3000);\nserver.close();`) }],
    },
  ],
});

typedTester.run('no-untracked-server (TypeScript with types)', noUntrackedServer, {
  valid: ["import type { Server } from 'node:http';\nimport { trackServer } from '@quiesce/runtime-shim';\nexport function start(server: Server) { trackServer(server).listen(1); }"],
  invalid: [
    {
      // A server made in another module: only its type says it is one.
      code: "import type { Server } from 'node:http';\nexport function start(server: Server) { server.listen(1); }",
      errors: [{ messageId: 'untrackedServer', data: { server: 'server', what: 'server' }, suggestions: wrap(`import type { Server } from 'node:http';\n${importLine}export function start(server: Server) { trackServer(server).listen(1); }`) }],
    },
  ],
});

javaScriptTester.run('no-untracked-server (JavaScript, ESM)', noUntrackedServer, {
  valid: ["import express from 'express';\nimport { trackServer } from '@quiesce/runtime-shim';\ntrackServer(express()).listen(1);"],
  invalid: [
    {
      code: "import http from 'node:http';\nhttp.createServer().listen(1);",
      errors: [{ messageId: 'untrackedServer', suggestions: [] }],
    },
  ],
});

commonJsTester.run('no-untracked-server (JavaScript, CommonJS)', noUntrackedServer, {
  valid: ["const express = require('express');\nconst { trackServer } = require('@quiesce/runtime-shim');\nconst server = trackServer(express().listen(3000));"],
  invalid: [
    {
      code: "const express = require('express');\nconst app = express();\nconst server = app.listen(3000);",
      errors: [{ messageId: 'untrackedServer', suggestions: wrap("const { trackServer } = require('@quiesce/runtime-shim');\nconst express = require('express');\nconst app = express();\nconst server = trackServer(app).listen(3000);") }],
    },
  ],
});

const msg = (server: string, what: string) => ({ messageId: 'untrackedServer' as const, data: { server, what } });

typeScriptTester.run('no-untracked-server: frameworks, advice followed, servers closed at SIGTERM (no types)', noUntrackedServer, {
  valid: [
    // The rule's own advice, followed: the variable holds trackServer(…)'s result (false-positive class 9a).
    "import http from 'node:http';\nimport { trackServer } from '@quiesce/runtime-shim';\nconst server = trackServer(http.createServer((req, res) => res.end()));\nserver.listen(8080);",
    "import Fastify from 'fastify';\nimport { trackServer } from '@quiesce/runtime-shim';\nconst app = trackServer(Fastify());\nawait app.listen({ port: 3000 });",
    // An HTTP/1 server closed by the SIGTERM handler of a library's module: a library's process is its caller's, and
    // the close is its own business.
    {
      code: "import http from 'node:http';\nconst server = http.createServer();\nserver.listen(8080);\nprocess.on('SIGTERM', () => { server.close(); });",
      settings: { quiesce: { role: 'library' } },
    },
    // Closed in an onShutdown hook (inside the shim's phases), or by the shim first and then by the app's own close.
    "import Fastify from 'fastify';\nimport { onShutdown } from '@quiesce/runtime-shim';\nconst app = Fastify();\nawait app.listen({ port: 3000 });\nonShutdown(() => app.close());",
    "import Fastify from 'fastify';\nimport closeWithGrace from 'close-with-grace';\nimport { shutdown, trackServer } from '@quiesce/runtime-shim';\nconst app = Fastify();\ncloseWithGrace({ delay: 500 }, async ({ signal }) => { await shutdown(signal); await app.close(); });\nawait trackServer(app).listen({ port: 3000 });",
    // Closed by an owner's stop method (the ownership contract), whoever calls it.
    "import http from 'node:http';\nexport class Api {\n  private server = http.createServer();\n  start() { this.server.listen(8080); }\n  stop() { this.server.close(); }\n}",
    // Closed by the service's own SIGTERM handler, by name or as a method reached from it: Hapi's stop({ timeout })
    // ends its connections itself, and ws keeps no HTTP keep-alive connections.
    "import Hapi from '@hapi/hapi';\nconst server = Hapi.server({ port: 3000 });\nawait server.start();\nconst handlers = { async term() { await server.stop({ timeout: 10_000 }); } };\nprocess.on('SIGTERM', handlers.term);",
    "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nfor (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => wss.close());",
    // A ws server riding on another server, or with none: it does not listen itself.
    "import { WebSocketServer } from 'ws';\nimport { trackServer } from '@quiesce/runtime-shim';\nimport http from 'node:http';\nconst server = trackServer(http.createServer());\nnew WebSocketServer({ server });\nnew WebSocketServer({ noServer: true });\nserver.listen(1);",
    // Hono's serve(…) passed to trackServer.
    "import { serve } from '@hono/node-server';\nimport { trackServer } from '@quiesce/runtime-shim';\ntrackServer(serve({ fetch: () => new Response('ok'), port: 3000 }));",
    // A Hapi-like start() on something that is not a Hapi server.
    'const job = { start() {} };\njob.start();',
  ],
  invalid: [
    {
      code: "import Fastify from 'fastify';\nconst app = Fastify({ logger: true });\nawait app.listen({ port: 3000 });",
      errors: [{ ...msg('fastify', 'Fastify server'), line: 3, column: 7, suggestions: wrap(`import Fastify from 'fastify';\n${importLine}const app = Fastify({ logger: true });\nawait trackServer(app).listen({ port: 3000 });`) }],
    },
    {
      // The server starts inside an async start(): where it starts does not matter.
      code: "import { fastify } from 'fastify';\nexport async function start() {\n  const app = fastify();\n  await app.listen({ port: 3000 });\n}",
      errors: [{ ...msg('fastify', 'Fastify server'), line: 4, suggestions: wrap(`import { fastify } from 'fastify';\n${importLine}export async function start() {\n  const app = fastify();\n  await trackServer(app).listen({ port: 3000 });\n}`) }],
    },
    {
      code: "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();",
      errors: [{ ...msg('nestjs', 'NestJS server'), line: 5, suggestions: wrap(`import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n${importLine}async function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await trackServer(app).listen(3000);\n}\nbootstrap();`) }],
    },
    {
      code: "import Hapi from '@hapi/hapi';\nconst server = Hapi.server({ port: 3000 });\nawait server.start();",
      errors: [{ ...msg('hapi', 'Hapi server'), line: 3, column: 7, suggestions: wrap(`import Hapi from '@hapi/hapi';\n${importLine}const server = Hapi.server({ port: 3000 });\nawait trackServer(server).start();`) }],
    },
    {
      code: "import { serve } from '@hono/node-server';\nimport { Hono } from 'hono';\nconst app = new Hono();\nserve({ fetch: app.fetch, port: 3000 });",
      errors: [{ ...msg('hono', 'Hono server'), line: 4, column: 1, suggestions: wrap(`import { serve } from '@hono/node-server';\nimport { Hono } from 'hono';\n${importLine}const app = new Hono();\ntrackServer(serve({ fetch: app.fetch, port: 3000 }));`) }],
    },
    {
      code: "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });",
      errors: [{ ...msg('ws', 'WebSocket server'), line: 2, column: 13, suggestions: wrap(`import { WebSocketServer } from 'ws';\n${importLine}const wss = trackServer(new WebSocketServer({ port: 8080 }));`) }],
    },
    {
      // An HTTP/1 server closed only by its own close() at SIGTERM, without the shim, in a service: that close does not
      // drain keep-alive connections (measured: bench/shutdown, fastify-close-with-grace).
      code: "import http from 'node:http';\nconst server = http.createServer();\nserver.listen(8080);\nprocess.on('SIGTERM', () => { server.close(); });",
      errors: [{ messageId: 'closedOnlyAtSignal', data: { server: 'http', what: 'http server' }, line: 3, suggestions: wrap(`import http from 'node:http';\n${importLine}const server = http.createServer();\ntrackServer(server).listen(8080);\nprocess.on('SIGTERM', () => { server.close(); });`) }],
    },
    {
      // The SIGTERM handler named like a stop method is still the signal's.
      code: "import Fastify from 'fastify';\nconst app = Fastify();\nawait app.listen({ port: 3000 });\nasync function stop() { await app.close(); }\nprocess.once('SIGTERM', stop);",
      errors: [{ messageId: 'closedOnlyAtSignal', data: { server: 'fastify', what: 'Fastify server' }, line: 3, suggestions: wrap(`import Fastify from 'fastify';\n${importLine}const app = Fastify();\nawait trackServer(app).listen({ port: 3000 });\nasync function stop() { await app.close(); }\nprocess.once('SIGTERM', stop);`) }],
    },
    {
      // Fastify's demo app: close-with-grace owns the signals and its callback closes the app.
      code: "import Fastify from 'fastify';\nimport closeWithGrace from 'close-with-grace';\nconst app = Fastify();\nasync function init() {\n  closeWithGrace({ delay: 500 }, async ({ err }) => {\n    if (err != null) app.log.error(err);\n    await app.close();\n  });\n  await app.ready();\n  await app.listen({ port: 3000 });\n}\ninit();",
      errors: [{ messageId: 'closedOnlyAtSignal', data: { server: 'fastify', what: 'Fastify server' }, line: 10, suggestions: wrap(`import Fastify from 'fastify';\nimport closeWithGrace from 'close-with-grace';\n${importLine}const app = Fastify();\nasync function init() {\n  closeWithGrace({ delay: 500 }, async ({ err }) => {\n    if (err != null) app.log.error(err);\n    await app.close();\n  });\n  await app.ready();\n  await trackServer(app).listen({ port: 3000 });\n}\ninit();`) }],
    },
    {
      // Express's listen result closed in async-exit-hook's callback.
      code: "import express from 'express';\nimport exitHook from 'async-exit-hook';\nconst app = express();\nconst server = app.listen(3000);\nexitHook((done: () => void) => server.close(done));",
      errors: [{ messageId: 'closedOnlyAtSignal', data: { server: 'express', what: 'Express server' }, line: 4, suggestions: wrap(`import express from 'express';\nimport exitHook from 'async-exit-hook';\n${importLine}const app = express();\nconst server = trackServer(app).listen(3000);\nexitHook((done: () => void) => server.close(done));`) }],
    },
    {
      // A SIGINT-only handler does not run on SIGTERM (what containers send): the server is not closed at shutdown.
      code: "import http from 'node:http';\nconst server = http.createServer();\nserver.listen(8080);\nprocess.on('SIGINT', () => server.close());",
      errors: [{ ...msg('http', 'http server'), line: 3, suggestions: wrap(`import http from 'node:http';\n${importLine}const server = http.createServer();\ntrackServer(server).listen(8080);\nprocess.on('SIGINT', () => server.close());`) }],
    },
    {
      // A variable named `server` holding a server found by type-free origin: the message names the kind once.
      code: "import http from 'node:http';\nconst server = http.createServer();\nserver.listen(1);",
      errors: [{ messageId: 'untrackedServer', data: { server: 'http', what: 'http server' }, suggestions: wrap(`import http from 'node:http';\n${importLine}const server = http.createServer();\ntrackServer(server).listen(1);`) }],
    },
  ],
});

javaScriptTester.run('no-untracked-server: frameworks (JavaScript)', noUntrackedServer, {
  valid: ["import WebSocket from 'ws';\nconst wss = new WebSocket.Server({ port: 1 });\nprocess.on('SIGTERM', () => wss.close());"],
  invalid: [
    {
      code: "import WebSocket from 'ws';\nnew WebSocket.Server({ port: 1 });",
      errors: [{ ...msg('ws', 'WebSocket server'), suggestions: wrap(`import WebSocket from 'ws';\n${importLine}trackServer(new WebSocket.Server({ port: 1 }));`) }],
    },
  ],
});

commonJsTester.run('no-untracked-server: frameworks (CommonJS)', noUntrackedServer, {
  valid: [
    "const fastify = require('fastify')();\nconst { trackServer } = require('@quiesce/runtime-shim');\ntrackServer(fastify).listen({ port: 3000 });",
  ],
  invalid: [
    {
      code: "const fastify = require('fastify')({ logger: true });\nfastify.listen({ port: 3000 }, (err) => { if (err) throw err; });",
      errors: [{ ...msg('fastify', 'Fastify server'), line: 2, suggestions: wrap("const { trackServer } = require('@quiesce/runtime-shim');\nconst fastify = require('fastify')({ logger: true });\ntrackServer(fastify).listen({ port: 3000 }, (err) => { if (err) throw err; });") }],
    },
  ],
});

typedTester.run('no-untracked-server: the advice followed (with types)', noUntrackedServer, {
  valid: [
    // Typed as a Node Server and closed in an onShutdown hook: inside the shim's phases.
    "import type { Server } from 'node:http';\nimport { onShutdown } from '@quiesce/runtime-shim';\nexport function serve(server: Server) {\n  server.listen(8080);\n  onShutdown(() => { server.close(); });\n}",
    // With types, `server` is typed as a Node Server: it is still the one trackServer(…) returned (class 9a).
    "import http from 'node:http';\nimport { trackServer } from '@quiesce/runtime-shim';\nconst server = trackServer(http.createServer());\nserver.listen(8080);",
  ],
  invalid: [
    {
      // Typed as a Node Server, made in another module, closed only by the SIGTERM handler.
      code: "import type { Server } from 'node:http';\nexport function serve(server: Server) {\n  server.listen(8080);\n  process.once('SIGTERM', () => server.close());\n}",
      errors: [{ messageId: 'closedOnlyAtSignal', data: { server: 'server', what: 'server' }, line: 3, suggestions: wrap(`import type { Server } from 'node:http';\n${importLine}export function serve(server: Server) {\n  trackServer(server).listen(8080);\n  process.once('SIGTERM', () => server.close());\n}`) }],
    },
    {
      code: "import http from 'node:http';\nconst make = () => http.createServer();\nconst server = make();\nserver.listen(8080);",
      errors: [{ messageId: 'untrackedServer', data: { server: 'server', what: 'server' }, suggestions: wrap(`import http from 'node:http';\n${importLine}const make = () => http.createServer();\nconst server = make();\ntrackServer(server).listen(8080);`) }],
    },
  ],
});

describe('no-untracked-server messages', () => {
  it('name each kind of server once, whatever the kind', () => {
    const template = noUntrackedServer.meta.messages.untrackedServer;
    for (const [kind, what] of Object.entries(serverLabels)) {
      const message = template.replace('{{what}}', what);
      expect(message, kind).not.toMatch(/\b(\w+) \1\b/);
      expect(message, kind).toMatch(/^This [\w/ ]*server keeps accepting/);
      const atSignal = noUntrackedServer.meta.messages.closedOnlyAtSignal.replace('{{what}}', what);
      expect(atSignal, kind).not.toMatch(/\b(\w+) \1\b/);
      expect(atSignal, kind).toMatch(/^This [\w/ ]*server is closed only by its own close\(\) when the signal comes/);
      const byNest = noUntrackedServer.meta.messages.closedByNestShutdownHooks.replace('{{what}}', what);
      expect(byNest, kind).not.toMatch(/\b(\w+) \1\b/);
    }
  });
});

typeScriptTester.run('no-untracked-server: servers owned by a class (no types)', noUntrackedServer, {
  valid: [
    // Created in start(), closed in stop(): the owner's stop path (false-positive class 5).
    "import http from 'node:http';\nexport class Api {\n  private server?: http.Server;\n  start() { this.server = http.createServer(); this.server.listen(8080); }\n  async stop() { this.server?.close(); }\n}",
    "import express from 'express';\nexport class App {\n  server: any;\n  listen() { this.server = express().listen(3000); }\n  close() { this.server.close(); }\n}",
  ],
  invalid: [
    {
      // Closed only by a SIGINT handler: not on SIGTERM.
      code: "import http from 'node:http';\nconst server = http.createServer();\nserver.listen(1);\nprocess.on('SIGINT', function onInterrupt() { server.close(); });",
      errors: [{ ...msg('http', 'http server'), line: 3, suggestions: wrap(`import http from 'node:http';\n${importLine}const server = http.createServer();\ntrackServer(server).listen(1);\nprocess.on('SIGINT', function onInterrupt() { server.close(); });`) }],
    },
  ],
});

// A library's listen() shorthand returns the server to the app that calls it; NestJS's enableShutdownHooks() closes the
// app (and its HTTP server) on SIGTERM.
const listenShorthand = "import http from 'node:http';\nexport class App {\n  handler() { return (_req: unknown, res: http.ServerResponse) => res.end(); }\n  listen(port: number) {\n    const server = http.createServer(this.handler());\n    return server.listen(port);\n  }\n}";
const afterFirstImport = (code: string) => code.replace('\n', "\nimport { trackServer } from '@quiesce/runtime-shim';\n");
const nestApp = "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create({});\n  app.enableShutdownHooks();\n  await app.listen(3000);\n}\nvoid bootstrap();";
for (const [name, tester] of [['no types', typeScriptTester], ['with types', typedTester]] as const) {
  tester.run(`no-untracked-server: servers handed back to the caller, Nest's shutdown hooks (${name})`, noUntrackedServer, {
    valid: [{ code: listenShorthand, settings: { quiesce: { role: 'library' } } }, { code: nestApp, settings: { quiesce: { role: 'library' } } }],
    invalid: [
      // In a service, Nest's own listener closes the app at the signal, which does not drain it (bench/shutdown's
      // nest-close: killed at 8 s under keep-alive load).
      {
        code: nestApp,
        errors: [{ messageId: 'closedByNestShutdownHooks', data: { server: 'nestjs', what: 'NestJS server' }, line: 5, suggestions: [{ messageId: 'wrapInTrackServer', output: afterFirstImport(nestApp.replace('await app.listen(3000)', 'await trackServer(app).listen(3000)')) }] }],
      },
      // In a service the caller is the same process: the server still needs a drain.
      {
        code: listenShorthand,
        errors: [{ messageId: 'untrackedServer', line: 6, suggestions: [{ messageId: 'wrapInTrackServer', output: afterFirstImport(listenShorthand.replace('return server.listen(port)', 'return trackServer(server).listen(port)')) }] }],
      },
      {
        code: nestApp.replace('  app.enableShutdownHooks();\n', ''),
        errors: [{ messageId: 'untrackedServer', line: 4, suggestions: [{ messageId: 'wrapInTrackServer', output: afterFirstImport(nestApp.replace('  app.enableShutdownHooks();\n', '').replace('await app.listen(3000)', 'await trackServer(app).listen(3000)')) }] }],
      },
    ],
  });
}

// http-graceful-shutdown closes the server it is given at the signal: after its preShutdown it destroys every idle
// keep-alive connection at once (on a real service, 6 to 13 requests sent after SIGTERM reset in each of three runs).
const gracefulShutdownService = "import http from 'node:http';\nimport gracefulShutdown from 'http-graceful-shutdown';\nconst server = http.createServer((req, res) => res.end('ok'));\nserver.listen(3000);\ngracefulShutdown(server, { signals: 'SIGINT SIGTERM', onShutdown: async () => {} });";
const gracefulShutdownMember = "const gracefulShutdown = require('http-graceful-shutdown');\nconst app = require('./app');\ngracefulShutdown(app.httpServer, {\n  timeout: 30000,\n});\napp.httpServer.listen(3000);";
for (const [name, tester] of [['no types', typeScriptTester], ['with types', typedTester]] as const) {
  tester.run(`no-untracked-server: a server handed to http-graceful-shutdown (${name})`, noUntrackedServer, {
    valid: [
      // A library's server, and its caller's process: the library's own business.
      { code: gracefulShutdownService, settings: { quiesce: { role: 'library' } } },
      // Another function of the same name, not the library's.
      "import http from 'node:http';\nimport { trackServer } from '@quiesce/runtime-shim';\nconst gracefulShutdown = (server: http.Server) => server;\nconst server = http.createServer();\ngracefulShutdown(server);\ntrackServer(server).listen(2);",
    ],
    invalid: [
      // One finding, at the library call (where the codemod hands the signals over); the listen is not reported too.
      {
        code: gracefulShutdownService,
        errors: [{ messageId: 'closedByShutdownLibrary', data: { server: 'http', what: 'http server' }, line: 5, column: 1, endColumn: 84, suggestions: [] }],
      },
    ],
  });
}
commonJsTester.run('no-untracked-server: http-graceful-shutdown from require(), a server held by another object', noUntrackedServer, {
  valid: [],
  invalid: [{ code: gracefulShutdownMember, errors: [{ messageId: 'closedByShutdownLibrary', line: 3, endLine: 5 }] }],
});

describe('no-untracked-server: the http-graceful-shutdown message', () => {
  it('names the library, why it loses requests and where the teardown goes', () => {
    const message = noUntrackedServer.meta.messages.closedByShutdownLibrary.replace('{{what}}', serverLabels.http);
    expect(message).toMatch(/^http-graceful-shutdown closes this http server at the signal without draining it/);
    expect(message).toContain('destroys every idle keep-alive connection at once');
    expect(message).toContain('onShutdown(…) hook');
  });
});
