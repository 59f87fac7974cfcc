import { noAbruptExit } from '../../src/rules/no-abrupt-exit.js';
import { commonJsTester, javaScriptTester, typedTester, typeScriptTester } from '../rule-testers.js';

typeScriptTester.run('no-abrupt-exit (TypeScript, no types)', noAbruptExit, {
  valid: [
    // Outside a signal handler (n/no-process-exit's business, not ours).
    'process.exit(1);',
    "process.on('exit', () => process.exit(0));",
    "process.on('uncaughtException', () => { process.exit(1); });",
    // After awaiting the shim's shutdown().
    "import { shutdown } from '@quiesce/runtime-shim';\nprocess.on('SIGTERM', async () => {\n  await shutdown('SIGTERM');\n  process.exit(0);\n});",
    "import { shutdown } from '@quiesce/runtime-shim';\nprocess.on('SIGINT', () => {\n  shutdown().then(() => process.exit(0));\n});",
    "import * as shim from '@quiesce/runtime-shim';\nprocess.on('SIGTERM', async () => {\n  const report = await shim.shutdown();\n  process.exit(report.deadlineHit ? 1 : 0);\n});",
    "import { createQuiescer } from '@quiesce/runtime-shim';\nconst q = createQuiescer();\nprocess.on('SIGTERM', async () => {\n  await q.shutdown();\n  process.exit(0);\n});",
    // A helper that exits, called only after the drain.
    "import { shutdown } from '@quiesce/runtime-shim';\nfunction bye() { process.exit(0); }\nprocess.on('SIGTERM', async () => { await shutdown(); bye(); });",
    // Killing another process is not an exit.
    "declare const child: { pid: number };\nprocess.on('SIGTERM', () => { process.kill(child.pid, 'SIGTERM'); });",
    // A local object called process.
    "const process = { on(_s: string, f: () => void) { f(); }, exit(_c: number) {} };\nprocess.on('SIGTERM', () => process.exit(0));",
    // shutdown() from elsewhere does not drain the shim.
    "async function shutdown() {}\nprocess.on('SIGTERM', async () => { await shutdown(); });",
  ],
  invalid: [
    {
      // The heat-engine bug: "Caught SIGTERM, exiting" mid stack-creation.
      code: "process.on('SIGTERM', () => {\n  console.log('Caught SIGTERM, exiting');\n  process.exit(0);\n});",
      errors: [{ messageId: 'abruptExit', data: { call: 'process.exit', signal: 'SIGTERM' }, line: 3, column: 3, endColumn: 18 }],
    },
    {
      code: "process.once('SIGINT', () => process.abort());\nprocess.on('SIGHUP', () => process.kill(process.pid, 'SIGKILL'));",
      errors: [
        { messageId: 'abruptExit', data: { call: 'process.abort', signal: 'SIGINT' }, line: 1 },
        { messageId: 'abruptExit', data: { call: 'process.kill', signal: 'SIGHUP' }, line: 2 },
      ],
    },
    {
      // Through functions of the same file, and inside a callback (after server.close).
      code: "declare const server: { close(cb: () => void): void };\nfunction stop(code: number) {\n  server.close(() => process.exit(code));\n}\nfunction onSignal() { stop(0); }\nprocess.on('SIGQUIT', onSignal);\nprocess.addListener('SIGTERM', onSignal);",
      errors: [{ messageId: 'abruptExit', data: { call: 'process.exit', signal: 'SIGQUIT' }, line: 3, column: 22, endColumn: 40 }],
    },
    {
      // Exiting before the drain finished: shutdown() not awaited.
      code: "import { shutdown } from '@quiesce/runtime-shim';\nprocess.on('SIGTERM', () => {\n  void shutdown();\n  process.exit(0);\n});",
      errors: [{ messageId: 'abruptExit', line: 4 }],
    },
    {
      // `import process from 'node:process'` and globalThis.process are the same process.
      code: "import proc from 'node:process';\nproc.on('SIGTERM', () => proc.exit());\nglobalThis.process.on('SIGINT', () => globalThis.process.exit());",
      errors: [{ messageId: 'abruptExit', line: 2 }, { messageId: 'abruptExit', line: 3 }],
    },
  ],
});

typedTester.run('no-abrupt-exit (TypeScript with types)', noAbruptExit, {
  valid: ["import { shutdown } from '@quiesce/runtime-shim';\nprocess.on('SIGTERM', async () => { await shutdown(); process.exit(0); });"],
  invalid: [{ code: "process.on('SIGTERM', () => process.exit(143));", errors: [{ messageId: 'abruptExit' }] }],
});

javaScriptTester.run('no-abrupt-exit (JavaScript, ESM)', noAbruptExit, {
  valid: ["import { shutdown } from '@quiesce/runtime-shim';\nprocess.on('SIGTERM', async () => { await shutdown(); process.exit(0); });"],
  invalid: [{ code: "process.on('SIGTERM', () => { process.exit(0); });", errors: [{ messageId: 'abruptExit' }] }],
});

commonJsTester.run('no-abrupt-exit (JavaScript, CommonJS)', noAbruptExit, {
  valid: ["const { shutdown } = require('@quiesce/runtime-shim');\nprocess.on('SIGTERM', () => shutdown().finally(() => process.exit(0)));"],
  invalid: [
    { code: "const proc = require('process');\nproc.on('SIGINT', function () { proc.exit(130); });", errors: [{ messageId: 'abruptExit', line: 2 }] },
  ],
});

const exitAt = (line: number, signal = 'SIGTERM') => ({ messageId: 'abruptExit' as const, data: { call: 'process.exit', signal }, line });

javaScriptTester.run('no-abrupt-exit: handlers passed by reference (JavaScript)', noAbruptExit, {
  valid: [
    // A method passed by reference that exits only after the shim's drain.
    "import { shutdown } from '@quiesce/runtime-shim';\nclass Service {\n  start() { process.on('SIGTERM', this.stop.bind(this)); }\n  async stop() { await shutdown(); process.exit(0); }\n}\nnew Service().start();",
    // A property of another object with the same name does not count.
    "const other = { stop() { process.exit(0); } };\nconst handlers = { stop() {} };\nprocess.on('SIGTERM', handlers.stop);",
  ],
  invalid: [
    {
      // A method bound to its instance.
      code: "class Service {\n  start() { process.on('SIGTERM', this.stop.bind(this)); }\n  stop() {\n    this.server.close();\n    process.exit(0);\n  }\n}",
      errors: [exitAt(5)],
    },
    {
      // A class field holding an arrow function, and a method it calls on `this`.
      code: "class Worker {\n  onSignal = () => this.quit(1);\n  listen() { process.once('SIGTERM', this.onSignal); }\n  quit(code) { process.exit(code); }\n}",
      errors: [exitAt(4)],
    },
    {
      // A property of an object literal holding a function.
      code: "const handlers = {\n  term: () => { process.exit(0); },\n};\nprocess.on('SIGTERM', handlers.term);",
      errors: [exitAt(2)],
    },
    {
      // Registered for every name of a list: reported once, for SIGTERM.
      code: "function stop() { process.exit(0); }\nfor (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, stop);",
      errors: [exitAt(1)],
    },
    {
      // A method of an instance of a class of the file, bound in the constructor.
      code: "class App {\n  constructor() { this.close = this.close.bind(this); }\n  close() { process.exit(0); }\n}\nconst app = new App();\n['SIGTERM', 'SIGINT'].forEach((signal) => process.on(signal, app.close));",
      errors: [exitAt(3)],
    },
  ],
});

typedTester.run('no-abrupt-exit: handlers passed by reference (with types)', noAbruptExit, {
  valid: [],
  invalid: [
    {
      code: "class Service {\n  #stop(): void { process.exit(0); }\n  start(): void { process.on('SIGTERM', this.#stop.bind(this)); }\n}\nnew Service().start();",
      errors: [exitAt(2)],
    },
  ],
});

// An exit that comes after the handler awaited the process's own work stopping: a job queue whose close() resolves once
// its running jobs end (the exit then cuts nothing off). Only an awaited stop method on a value, as a statement of an
// enclosing block before the exit, counts; a Node server's close() returns the server, so awaiting it waits for nothing.
const awaitedQueueClose = "declare const jobs: { close(): Promise<void> };\nprocess.on('SIGTERM', async () => {\n  console.log('draining jobs');\n  await jobs.close();\n  process.exit(0);\n});";
const awaitedBoth = "declare const jobs: { close(): Promise<void> };\ndeclare const pool: { drain(): Promise<void> };\nprocess.once('SIGTERM', async () => {\n  await Promise.all([jobs.close(), pool.drain()]);\n  if (process.exitCode) process.exit(1);\n  process.exit(0);\n});";
const stopInHelper = "declare const worker: { stop(): Promise<boolean> };\nasync function finish() {\n  const stopped = await worker.stop();\n  process.exit(stopped ? 0 : 1);\n}\nprocess.on('SIGTERM', finish);";
const closeOnOnePath = "declare const jobs: { close(): Promise<void> };\nprocess.on('SIGTERM', async () => {\n  if (Math.random() > 0.5) await jobs.close();\n  process.exit(0);\n});";
const closeNotAwaited = "declare const jobs: { close(): Promise<void> };\nprocess.on('SIGTERM', () => {\n  void jobs.close();\n  process.exit(0);\n});";
const exitBeforeClose = "declare const jobs: { close(): Promise<void> };\nprocess.on('SIGTERM', async () => {\n  setTimeout(() => process.exit(1), 100);\n  await jobs.close();\n});";
const closeOfACallResult = "declare function jobs(): { close(): Promise<void> };\nprocess.on('SIGTERM', async () => {\n  await jobs().close();\n  process.exit(0);\n});";
const awaitedHttpClose = "import http from 'node:http';\nconst server = http.createServer();\nprocess.on('SIGTERM', async () => {\n  await server.close();\n  process.exit(0);\n});";
for (const [name, tester] of [['no types', typeScriptTester], ['with types', typedTester]] as const) {
  tester.run(`no-abrupt-exit: after an awaited stop of the process's own work (${name})`, noAbruptExit, {
    valid: [awaitedQueueClose, awaitedBoth, stopInHelper],
    invalid: [
      { code: closeOnOnePath, errors: [{ messageId: 'abruptExit', line: 4 }] },
      { code: closeNotAwaited, errors: [{ messageId: 'abruptExit', line: 4 }] },
      { code: exitBeforeClose, errors: [{ messageId: 'abruptExit', line: 3 }] },
      { code: closeOfACallResult, errors: [{ messageId: 'abruptExit', line: 4 }] },
      { code: awaitedHttpClose, errors: [{ messageId: 'abruptExit', line: 5 }] },
    ],
  });
}

typedTester.run('no-abrupt-exit: a stop whose type is not a promise (with types)', noAbruptExit, {
  valid: [],
  invalid: [
    {
      // Typed as returning the object itself: awaiting it waits for nothing.
      code: "declare const relay: { close(): typeof relay };\nprocess.on('SIGTERM', async () => {\n  await relay.close();\n  process.exit(0);\n});",
      errors: [{ messageId: 'abruptExit', line: 4 }],
    },
  ],
});

javaScriptTester.run('no-abrupt-exit: after an awaited queue close (JavaScript, imported queue)', noAbruptExit, {
  valid: ["import mailQueue from './queues/mail.js';\nprocess.on('SIGINT', async () => {\n  await mailQueue.close();\n  process.exit(0);\n});"],
  invalid: [{ code: "import mailQueue from './queues/mail.js';\nprocess.on('SIGINT', async () => {\n  mailQueue.close();\n  process.exit(0);\n});", errors: [{ messageId: 'abruptExit', line: 4 }] }],
});
