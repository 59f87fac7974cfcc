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
          data: { server: 'http' },
          line: 3,
          column: 1,
          endColumn: 20,
          suggestions: wrap(`import http from 'node:http';\n${importLine}const server = http.createServer((req, res) => res.end());\ntrackServer(server).listen(8080);`),
        },
      ],
    },
    {
      code: "import { createServer } from 'https';\ncreateServer({}).listen(443);",
      errors: [{ messageId: 'untrackedServer', data: { server: 'https' }, suggestions: [] }],
    },
    {
      code: "import * as http2 from 'node:http2';\nconst s = http2.createSecureServer({});\ns.listen(8443);",
      errors: [{ messageId: 'untrackedServer', data: { server: 'http2' }, suggestions: wrap(`import * as http2 from 'node:http2';\n${importLine}const s = http2.createSecureServer({});\ntrackServer(s).listen(8443);`) }],
    },
    {
      code: "import { Server } from 'node:net';\nconst s = new Server();\ns.listen(1);",
      errors: [{ messageId: 'untrackedServer', data: { server: 'net' }, suggestions: wrap(`import { Server } from 'node:net';\n${importLine}const s = new Server();\ntrackServer(s).listen(1);`) }],
    },
    {
      code: "import express from 'express';\nconst app = express();\napp.listen(3000, () => console.log('up'));",
      errors: [{ messageId: 'untrackedServer', data: { server: 'express' }, suggestions: wrap(`import express from 'express';\n${importLine}const app = express();\ntrackServer(app).listen(3000, () => console.log('up'));`) }],
    },
    {
      code: "import Koa from 'koa';\nnew Koa().listen(3000);",
      errors: [{ messageId: 'untrackedServer', data: { server: 'koa' }, suggestions: [] }],
    },
    {
      code: "import connect from 'connect';\nconst app = connect();\nconst server = app.listen(3000);\nserver.close();",
      errors: [{ messageId: 'untrackedServer', data: { server: 'connect' }, line: 3, suggestions: wrap(`import connect from 'connect';\n${importLine}const app = connect();\nconst server = trackServer(app).listen(3000);\nserver.close();`) }],
    },
  ],
});

typedTester.run('no-untracked-server (TypeScript with types)', noUntrackedServer, {
  valid: ["import type { Server } from 'node:http';\nimport { trackServer } from '@quiesce/runtime-shim';\nexport function start(server: Server) { trackServer(server).listen(1); }"],
  invalid: [
    {
      // A server made in another module: only its type says it is one.
      code: "import type { Server } from 'node:http';\nexport function start(server: Server) { server.listen(1); }",
      errors: [{ messageId: 'untrackedServer', data: { server: 'server' }, suggestions: wrap(`import type { Server } from 'node:http';\n${importLine}export function start(server: Server) { trackServer(server).listen(1); }`) }],
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
