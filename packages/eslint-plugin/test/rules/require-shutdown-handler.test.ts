import path from 'node:path';

import { requireShutdownHandler } from '../../src/rules/require-shutdown-handler.js';
import { commonJsTester, fixturesDir, javaScriptTester, typedTester, typeScriptTester } from '../rule-testers.js';

const esmRegister = "import '@quiesce/runtime-shim/register';";
const cjsRegister = "require('@quiesce/runtime-shim/register');";
const firstLine = { line: 1, column: 1, endLine: 1, endColumn: 1 };

typeScriptTester.run('require-shutdown-handler (TypeScript, no types)', requireShutdownHandler, {
  valid: [
    // A library module: starts nothing at top level.
    'export function start() { setInterval(() => {}, 1000); }',
    // A delay at top level is not work that needs draining.
    'await new Promise((resolve) => setTimeout(resolve, 10));',
    // Handling installed: the register import, installShutdownHandlers(), or a SIGTERM listener.
    `${esmRegister}\nsetInterval(() => {}, 1000);`,
    "import { installShutdownHandlers, setInterval } from '@quiesce/runtime-shim';\ninstallShutdownHandlers();\nsetInterval(() => {}, 1000);",
    "import http from 'node:http';\nprocess.on('SIGTERM', () => {});\nhttp.createServer().listen(1);",
    // A team module from settings.quiesce.trackers imported for its side effect.
    {
      code: "import '@acme/lifecycle/boot';\nsetInterval(() => {}, 1000);",
      settings: { quiesce: { trackers: ['@acme/lifecycle/boot'] } },
    },
    // Detection off and not listed.
    { code: 'setInterval(() => {}, 1000);', options: [{ detect: false }] },
    // The register module loaded by a dynamic import, or imported inside a `declare module` block.
    "await import('@quiesce/runtime-shim/register');\nsetInterval(() => {}, 1000);",
    "declare module 'app' {\n  import '@quiesce/runtime-shim/register';\n}\nsetInterval(() => {}, 1000);",
  ],
  invalid: [
    {
      code: 'setInterval(() => {}, 1000);',
      errors: [
        {
          messageId: 'missingShutdownHandler',
          ...firstLine,
          suggestions: [{ messageId: 'addRegisterImport', data: { statement: esmRegister }, output: `${esmRegister}\nsetInterval(() => {}, 1000);` }],
        },
      ],
    },
    {
      // A tracked timer alone does not install the handlers that drain it.
      code: "import { setInterval } from '@quiesce/runtime-shim';\nsetInterval(() => {}, 1000);",
      errors: [{ messageId: 'missingShutdownHandler', ...firstLine, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nimport { setInterval } from '@quiesce/runtime-shim';\nsetInterval(() => {}, 1000);` }] }],
    },
    {
      // A server started at top level; a SIGINT listener alone is not SIGTERM handling.
      code: "import express from 'express';\nprocess.on('SIGINT', () => {});\nexpress().listen(3000);",
      errors: [{ messageId: 'missingShutdownHandler', suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nimport express from 'express';\nprocess.on('SIGINT', () => {});\nexpress().listen(3000);` }] }],
    },
    {
      // Work started through a function of the file called at top level.
      code: 'async function poll() {\n  setTimeout(poll, 1000);\n}\nvoid poll();',
      errors: [{ messageId: 'missingShutdownHandler', data: { why: 'starts a timer when the module loads', sigint: '' }, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nasync function poll() {\n  setTimeout(poll, 1000);\n}\nvoid poll();` }] }],
    },
    {
      // Listed in entries: reported even though it starts nothing.
      code: 'export {};',
      filename: path.join(fixturesDir, 'file.ts'),
      options: [{ entries: ['**/fixtures/file.ts'] }],
      errors: [{ messageId: 'missingShutdownHandler', data: { why: 'is listed in the entries option', sigint: '' }, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nexport {};` }] }],
    },
    {
      // After the directive prologue (a shebang is not part of the program's statements).
      code: "#!/usr/bin/env node\n'use strict';\nsetInterval(() => {}, 1000);",
      errors: [{ messageId: 'missingShutdownHandler', suggestions: [{ messageId: 'addRegisterImport', output: `#!/usr/bin/env node\n'use strict';\n${esmRegister}\nsetInterval(() => {}, 1000);` }] }],
    },
  ],
});

typedTester.run('require-shutdown-handler (TypeScript with types)', requireShutdownHandler, {
  valid: [`${esmRegister}\nsetInterval(() => {}, 1000);`],
  invalid: [
    {
      filename: 'file.cts',
      code: "import http = require('node:http');\nhttp.createServer().listen(1);",
      errors: [{ messageId: 'missingShutdownHandler', suggestions: [{ messageId: 'addRegisterImport', output: `${cjsRegister}\nimport http = require('node:http');\nhttp.createServer().listen(1);` }] }],
    },
  ],
});

javaScriptTester.run('require-shutdown-handler (JavaScript, ESM)', requireShutdownHandler, {
  valid: [`${esmRegister}\nsetInterval(() => {}, 1000);`],
  invalid: [
    {
      code: 'setInterval(() => {}, 1000);',
      filename: 'service.mjs',
      errors: [{ messageId: 'missingShutdownHandler', suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nsetInterval(() => {}, 1000);` }] }],
    },
  ],
});

commonJsTester.run('require-shutdown-handler (JavaScript, CommonJS)', requireShutdownHandler, {
  valid: [`${cjsRegister}\nsetInterval(() => {}, 1000);`, "const { installShutdownHandlers } = require('@quiesce/runtime-shim');\ninstallShutdownHandlers();\nsetInterval(() => {}, 1);"],
  invalid: [
    {
      code: "#!/usr/bin/env node\n'use strict';\nconst http = require('http');\nhttp.createServer().listen(1);",
      filename: 'server.cjs',
      errors: [
        {
          messageId: 'missingShutdownHandler',
          data: { why: 'starts a server at top level', sigint: '' },
          ...firstLine,
          suggestions: [{ messageId: 'addRegisterImport', data: { statement: cjsRegister }, output: `#!/usr/bin/env node\n'use strict';\n${cjsRegister}\nconst http = require('http');\nhttp.createServer().listen(1);` }],
        },
      ],
    },
  ],
});

const serviceEntry = path.join(fixturesDir, 'service-entry', 'src', 'main.js');
const serviceModule = path.join(fixturesDir, 'service-entry', 'src', 'jobs.js');
const sigintNote = ' (its SIGINT listener does not run on the SIGTERM that containers and process managers send)';

javaScriptTester.run('require-shutdown-handler: entries, starts inside functions, handling of its own (JavaScript)', requireShutdownHandler, {
  valid: [
    // The service's own SIGTERM handling, registered in a loop over the signal names.
    "import http from 'node:http';\nfor (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exitCode = 0);\nhttp.createServer().listen(1);",
    "import http from 'node:http';\n['SIGTERM', 'SIGINT'].forEach((signal) => process.once(signal, stop));\nfunction stop() {}\nhttp.createServer().listen(1);",
    "import http from 'node:http';\nconst signals = ['SIGTERM'];\nsignals.forEach((signal) => process.on(signal, stop));\nfunction stop() {}\nhttp.createServer().listen(1);",
    // A library that installs SIGTERM handling, or the signal names handed to one.
    "import http from 'node:http';\nimport { createTerminus } from '@godaddy/terminus';\nconst server = http.createServer();\ncreateTerminus(server, {});\nserver.listen(1);",
    "import http from 'node:http';\nimport gracefulShutdown from 'my-graceful';\nconst server = http.createServer();\nserver.listen(1);\ngracefulShutdown(server, { signals: 'SIGINT SIGTERM' });",
    "import closeWithGrace from 'close-with-grace';\nimport Fastify from 'fastify';\nconst app = Fastify();\ncloseWithGrace(async () => { await app.close(); });\nawait app.listen({ port: 1 });",
    "import { NestFactory } from '@nestjs/core';\nconst app = await NestFactory.create({});\napp.enableShutdownHooks();\nawait app.listen(1);",
    // A module of the service that is not an entry and starts nothing when it loads.
    { code: "import Fastify from 'fastify';\nexport async function start() { await Fastify().listen({ port: 1 }); }", filename: serviceModule, settings: {} },
  ],
  invalid: [
    {
      // The package's start script runs this file: an entry, whatever it starts and where.
      code: "import Fastify from 'fastify';\nexport async function run() { await Fastify().listen({ port: 1 }); }",
      filename: serviceEntry,
      settings: {},
      errors: [{ messageId: 'missingShutdownHandler', data: { why: 'is a declared entry of the service (the file package.json "start" runs)', sigint: '' }, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nimport Fastify from 'fastify';\nexport async function run() { await Fastify().listen({ port: 1 }); }` }] }],
    },
    {
      // A SIGINT-only handler is not shutdown handling: containers send SIGTERM.
      code: "import http from 'node:http';\nprocess.on('SIGINT', () => process.exit(0));\nhttp.createServer().listen(1);",
      errors: [{ messageId: 'missingShutdownHandler', data: { why: 'starts a server at top level', sigint: sigintNote }, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nimport http from 'node:http';\nprocess.on('SIGINT', () => process.exit(0));\nhttp.createServer().listen(1);` }] }],
    },
    {
      // A worker that handles only SIGINT, starting nothing this rule knows: SIGTERM takes Node's default exit.
      code: "import Queue from 'bull';\nconst queue = new Queue('email');\nqueue.process(5, sendEmail);\nprocess.on('SIGINT', async () => { await queue.close(); process.exit(0); });\nfunction sendEmail() {}",
      errors: [{ messageId: 'missingShutdownHandler', data: { why: 'listens for SIGINT alone', sigint: sigintNote }, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nimport Queue from 'bull';\nconst queue = new Queue('email');\nqueue.process(5, sendEmail);\nprocess.on('SIGINT', async () => { await queue.close(); process.exit(0); });\nfunction sendEmail() {}` }] }],
    },
    {
      // A Fastify server started inside an async start() called at top level.
      code: "import Fastify from 'fastify';\nasync function start() {\n  const app = Fastify();\n  await app.listen({ port: 3000 });\n}\nstart().catch((error) => { console.error(error); process.exitCode = 1; });",
      errors: [{ messageId: 'missingShutdownHandler', data: { why: 'starts a server when the module loads', sigint: '' }, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nimport Fastify from 'fastify';\nasync function start() {\n  const app = Fastify();\n  await app.listen({ port: 3000 });\n}\nstart().catch((error) => { console.error(error); process.exitCode = 1; });` }] }],
    },
    {
      // Started in a promise chain that runs when the module loads.
      code: "import express from 'express';\nconst app = express();\nconnect().then(() => { app.listen(3000); });\nfunction connect() { return Promise.resolve(); }",
      errors: [{ messageId: 'missingShutdownHandler', data: { why: 'starts a server at top level', sigint: '' }, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nimport express from 'express';\nconst app = express();\nconnect().then(() => { app.listen(3000); });\nfunction connect() { return Promise.resolve(); }` }] }],
    },
    {
      // Started by a method of a class of the file, through an instance made at top level.
      code: "import http from 'node:http';\nclass App {\n  run() { http.createServer().listen(1); }\n}\nconst app = new App();\napp.run();",
      errors: [{ messageId: 'missingShutdownHandler', data: { why: 'starts a server when the module loads', sigint: '' }, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nimport http from 'node:http';\nclass App {\n  run() { http.createServer().listen(1); }\n}\nconst app = new App();\napp.run();` }] }],
    },
  ],
});

typedTester.run('require-shutdown-handler: starts inside functions (with types)', requireShutdownHandler, {
  valid: ["import http from 'node:http';\nconst stop = () => {};\nfor (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);\nhttp.createServer().listen(1);"],
  invalid: [
    {
      code: "import http from 'node:http';\nasync function main(): Promise<void> { http.createServer().listen(1); }\nvoid main();",
      errors: [{ messageId: 'missingShutdownHandler', data: { why: 'starts a server when the module loads', sigint: '' }, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nimport http from 'node:http';\nasync function main(): Promise<void> { http.createServer().listen(1); }\nvoid main();` }] }],
    },
  ],
});
