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
      errors: [{ messageId: 'missingShutdownHandler', data: { why: 'starts a timer when the module loads' }, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nasync function poll() {\n  setTimeout(poll, 1000);\n}\nvoid poll();` }] }],
    },
    {
      // Listed in entries: reported even though it starts nothing.
      code: 'export {};',
      filename: path.join(fixturesDir, 'file.ts'),
      options: [{ entries: ['**/fixtures/file.ts'] }],
      errors: [{ messageId: 'missingShutdownHandler', data: { why: 'is listed in the entries option' }, suggestions: [{ messageId: 'addRegisterImport', output: `${esmRegister}\nexport {};` }] }],
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
          data: { why: 'starts a server at top level' },
          ...firstLine,
          suggestions: [{ messageId: 'addRegisterImport', data: { statement: cjsRegister }, output: `#!/usr/bin/env node\n'use strict';\n${cjsRegister}\nconst http = require('http');\nhttp.createServer().listen(1);` }],
        },
      ],
    },
  ],
});
