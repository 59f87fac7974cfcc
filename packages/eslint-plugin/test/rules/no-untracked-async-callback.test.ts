import { noUntrackedAsyncCallback } from '../../src/rules/no-untracked-async-callback.js';
import { commonJsTester, javaScriptTester, typedTester, typeScriptTester } from '../rule-testers.js';

const importLine = "import { trackCallback } from '@quiesce/runtime-shim';\n";
const wrap = (output: string) => [{ messageId: 'wrapInTrackCallback' as const, output }];

typeScriptTester.run('no-untracked-async-callback (TypeScript, no types)', noUntrackedAsyncCallback, {
  valid: [
    // Synchronous callbacks.
    "process.on('message', () => {});",
    '[1, 2].forEach((n) => n);',
    // Wrapped already.
    "import { trackCallback } from '@quiesce/runtime-shim';\nprocess.on('message', trackCallback(async () => { await Promise.resolve(); }));",
    // Tracked timers wait for their callbacks.
    "import { setTimeout } from '@quiesce/runtime-shim';\nsetTimeout(async () => { await Promise.resolve(); }, 10);",
    // Callbacks of timers that no-untracked-timer reports: the timer rewrite is the fix, never both.
    'setInterval(async () => { await Promise.resolve(); }, 1000);',
    'async function poll() { setTimeout(poll, 1000); }',
    { code: 'setTimeout(async () => { await Promise.resolve(); }, 10);', settings: { quiesce: { timers: { setTimeout: true } } } },
    { code: 'setImmediate(async () => { await Promise.resolve(); });', settings: { quiesce: { timers: { setImmediate: true } } } },
    // A signal handler that no-abrupt-exit reports is replaced as a whole by the codemod.
    "process.on('SIGTERM', async () => { await Promise.resolve(); process.exit(0); });",
    // A local forEach-less API, and a generator.
    'declare function register(fn: () => Promise<void>): void;\nregister(async () => { await Promise.resolve(); });',
    '[1].forEach(async function* gen() {});',
  ],
  invalid: [
    {
      code: "process.on('message', async (message) => {\n  await Promise.resolve(message);\n});",
      errors: [
        {
          messageId: 'asyncCallback',
          data: { target: 'process.on' },
          line: 1,
          column: 23,
          endLine: 3,
          endColumn: 2,
          suggestions: wrap(`${importLine}process.on('message', trackCallback(async (message) => {\n  await Promise.resolve(message);\n}));`),
        },
      ],
    },
    {
      code: "import { EventEmitter } from 'node:events';\nconst worker = new EventEmitter();\nworker.once('job', async function handle() { await Promise.resolve(); });",
      errors: [{ messageId: 'asyncCallback', data: { target: 'worker.once' }, suggestions: wrap("import { EventEmitter } from 'node:events';\nimport { trackCallback } from '@quiesce/runtime-shim';\nconst worker = new EventEmitter();\nworker.once('job', trackCallback(async function handle() { await Promise.resolve(); }));") }],
    },
    {
      code: "declare const emitter: { prependListener(e: string, f: () => unknown): void };\nemitter.prependListener('x', async () => { await Promise.resolve(); });",
      errors: [{ messageId: 'asyncCallback', data: { target: 'emitter.prependListener' }, suggestions: wrap(`${importLine}declare const emitter: { prependListener(e: string, f: () => unknown): void };\nemitter.prependListener('x', trackCallback(async () => { await Promise.resolve(); }));`) }],
    },
    {
      code: 'declare const items: number[];\nitems.forEach(async (item) => { await Promise.resolve(item); });',
      errors: [{ messageId: 'asyncCallback', data: { target: 'forEach' }, suggestions: wrap(`${importLine}declare const items: number[];\nitems.forEach(trackCallback(async (item) => { await Promise.resolve(item); }));`) }],
    },
    {
      // setTimeout is not reported by no-untracked-timer by default, so its async callback is reported here.
      code: 'setTimeout(async () => { await Promise.resolve(); }, 10);',
      errors: [{ messageId: 'asyncCallback', data: { target: 'setTimeout' }, suggestions: wrap(`${importLine}setTimeout(trackCallback(async () => { await Promise.resolve(); }), 10);`) }],
    },
    {
      code: 'setImmediate(async () => { await Promise.resolve(); });\nqueueMicrotask(async () => { await Promise.resolve(); });\nprocess.nextTick(async () => { await Promise.resolve(); });',
      errors: [
        { messageId: 'asyncCallback', data: { target: 'setImmediate' }, line: 1, suggestions: wrap(`${importLine}setImmediate(trackCallback(async () => { await Promise.resolve(); }));\nqueueMicrotask(async () => { await Promise.resolve(); });\nprocess.nextTick(async () => { await Promise.resolve(); });`) },
        { messageId: 'asyncCallback', data: { target: 'queueMicrotask' }, line: 2, suggestions: wrap(`${importLine}setImmediate(async () => { await Promise.resolve(); });\nqueueMicrotask(trackCallback(async () => { await Promise.resolve(); }));\nprocess.nextTick(async () => { await Promise.resolve(); });`) },
        { messageId: 'asyncCallback', data: { target: 'process.nextTick' }, line: 3, suggestions: wrap(`${importLine}setImmediate(async () => { await Promise.resolve(); });\nqueueMicrotask(async () => { await Promise.resolve(); });\nprocess.nextTick(trackCallback(async () => { await Promise.resolve(); }));`) },
      ],
    },
    {
      // A named async function of the same file passed by name.
      code: "async function onMessage() { await Promise.resolve(); }\nprocess.on('message', onMessage);",
      errors: [{ messageId: 'asyncCallback', column: 23, endColumn: 32, suggestions: wrap(`${importLine}async function onMessage() { await Promise.resolve(); }\nprocess.on('message', trackCallback(onMessage));`) }],
    },
    {
      // A SIGTERM handler with no abrupt exit: its work is dropped too.
      code: "process.once('SIGTERM', async () => { await Promise.resolve(); });",
      errors: [{ messageId: 'asyncCallback', data: { target: 'process.once' }, suggestions: wrap(`${importLine}process.once('SIGTERM', trackCallback(async () => { await Promise.resolve(); }));`) }],
    },
  ],
});

typedTester.run('no-untracked-async-callback (TypeScript with types)', noUntrackedAsyncCallback, {
  valid: [
    "import { EventEmitter } from 'node:events';\nnew EventEmitter().on('x', () => 1);",
    // trackCallback(fn) returns a promise-returning function, whose promises are tracked.
    "import { trackCallback } from '@quiesce/runtime-shim';\nprocess.on('message', trackCallback(async () => { await Promise.resolve(); }));",
  ],
  invalid: [
    {
      // Not declared async, but returns a promise: only the checker knows.
      code: "import { EventEmitter } from 'node:events';\ndeclare function save(): Promise<void>;\nnew EventEmitter().on('x', () => save());",
      errors: [{ messageId: 'asyncCallback', suggestions: wrap(`import { EventEmitter } from 'node:events';\n${importLine}declare function save(): Promise<void>;\nnew EventEmitter().on('x', trackCallback(() => save()));`) }],
    },
    {
      code: "declare function handler(): Promise<void>;\nprocess.on('message', handler);",
      errors: [{ messageId: 'asyncCallback', suggestions: wrap(`${importLine}declare function handler(): Promise<void>;\nprocess.on('message', trackCallback(handler));`) }],
    },
  ],
});

javaScriptTester.run('no-untracked-async-callback (JavaScript, ESM)', noUntrackedAsyncCallback, {
  valid: ["process.on('message', () => {});"],
  invalid: [
    {
      code: "process.on('message', async () => { await Promise.resolve(); });",
      errors: [{ messageId: 'asyncCallback', suggestions: wrap(`${importLine}process.on('message', trackCallback(async () => { await Promise.resolve(); }));`) }],
    },
  ],
});

commonJsTester.run('no-untracked-async-callback (JavaScript, CommonJS)', noUntrackedAsyncCallback, {
  valid: ["const { trackCallback } = require('@quiesce/runtime-shim');\nprocess.on('message', trackCallback(async () => { await Promise.resolve(); }));"],
  invalid: [
    {
      code: "const { track } = require('@quiesce/runtime-shim');\nprocess.on('message', async () => { await Promise.resolve(); });",
      errors: [{ messageId: 'asyncCallback', suggestions: wrap("const { trackCallback } = require('@quiesce/runtime-shim');\nconst { track } = require('@quiesce/runtime-shim');\nprocess.on('message', trackCallback(async () => { await Promise.resolve(); }));") }],
    },
  ],
});

// addEventListener and listeners passed by reference (bound methods, `this.m`, object properties): src/detect/callbacks.ts.
const asyncAt = (target: string, line: number) => ({ messageId: 'asyncCallback' as const, data: { target }, line });

javaScriptTester.run('no-untracked-async-callback: addEventListener and bound listeners (JavaScript)', noUntrackedAsyncCallback, {
  valid: [
    // A bound method that is not async.
    "class Consumer {\n  start(socket) { socket.on('message', this.onMessage.bind(this)); }\n  onMessage(data) { this.last = data; }\n}",
    "const target = new EventTarget();\ntarget.addEventListener('tick', () => {});",
  ],
  invalid: [
    {
      code: "const target = new EventTarget();\ntarget.addEventListener('job', async (event) => { await run(event); });",
      errors: [{ ...asyncAt('target.addEventListener', 2), suggestions: wrap(`${importLine}const target = new EventTarget();\ntarget.addEventListener('job', trackCallback(async (event) => { await run(event); }));`) }],
    },
    {
      code: "class Consumer {\n  start(socket) { socket.on('message', this.onMessage.bind(this)); }\n  async onMessage(data) { await save(data); }\n}",
      errors: [{ ...asyncAt('socket.on', 2), suggestions: wrap(`${importLine}class Consumer {\n  start(socket) { socket.on('message', trackCallback(this.onMessage.bind(this))); }\n  async onMessage(data) { await save(data); }\n}`) }],
    },
    {
      code: "class Consumer {\n  handle = async (data) => { await save(data); };\n  start(port) { port.addEventListener('message', this.handle); }\n}",
      errors: [{ ...asyncAt('port.addEventListener', 3), suggestions: wrap(`${importLine}class Consumer {\n  handle = async (data) => { await save(data); };\n  start(port) { port.addEventListener('message', trackCallback(this.handle)); }\n}`) }],
    },
  ],
});

typedTester.run('no-untracked-async-callback: addEventListener and bound listeners (with types)', noUntrackedAsyncCallback, {
  valid: [],
  invalid: [
    {
      code: "import { EventEmitter } from 'node:events';\nclass Consumer {\n  constructor(private readonly bus: EventEmitter) {}\n  start(): void { this.bus.on('job', this.onJob.bind(this)); }\n  async onJob(): Promise<void> { await Promise.resolve(); }\n}",
      errors: [{ ...asyncAt('this.bus.on', 4), suggestions: wrap(`import { EventEmitter } from 'node:events';\n${importLine}class Consumer {\n  constructor(private readonly bus: EventEmitter) {}\n  start(): void { this.bus.on('job', trackCallback(this.onJob.bind(this))); }\n  async onJob(): Promise<void> { await Promise.resolve(); }\n}`) }],
    },
    {
      code: "const target = new EventTarget();\ntarget.addEventListener('job', async () => { await Promise.resolve(); });",
      errors: [{ ...asyncAt('target.addEventListener', 2), suggestions: wrap(`${importLine}const target = new EventTarget();\ntarget.addEventListener('job', trackCallback(async () => { await Promise.resolve(); }));`) }],
    },
  ],
});

/** A router that awaits its handlers, as bot frameworks' routers do: it is no emitter, whatever its method is called. */
const awaitingRouter =
  'class Router {\n  private readonly handlers: ((update: string) => Promise<void>)[] = [];\n  on(event: string, handler: (update: string) => Promise<void>) { this.handlers.push(handler); return this; }\n  async handle(update: string) { for (const handler of this.handlers) await handler(update); }\n}\n';
const emitterSubclass = "import { EventEmitter } from 'node:events';\nclass Feed extends EventEmitter {}\nconst feed = new Feed();\n";

typedTester.run('no-untracked-async-callback: receivers by type (with types)', noUntrackedAsyncCallback, {
  valid: [
    // Class 4: a router that awaits its handlers is judged by its type, not by the name `on`.
    `${awaitingRouter}const router = new Router();\nrouter.on('message', async (update) => { await Promise.resolve(update); });`,
    // Class 9: a SIGTERM handler written as no-abrupt-exit advises is the shutdown path itself.
    "import { shutdown } from '@quiesce/runtime-shim';\nprocess.on('SIGTERM', async () => { await shutdown(); process.exit(0); });",
    // An owned interval's callback is its owner's: close() clears it.
    'class Sampler {\n  private timer?: NodeJS.Timeout;\n  start() { this.timer = setInterval(async () => { await Promise.resolve(); }, 1000); }\n  close() { clearInterval(this.timer); }\n}',
  ],
  invalid: [
    {
      // An emitter subclass, two levels down: an emitter drops what its listeners return.
      code: `${emitterSubclass}feed.on('item', async () => { await Promise.resolve(); });`,
      errors: [{ messageId: 'asyncCallback', data: { target: 'feed.on' }, line: 4, suggestions: wrap(`${emitterSubclass.replace("import { EventEmitter } from 'node:events';\n", `import { EventEmitter } from 'node:events';\n${importLine}`)}feed.on('item', trackCallback(async () => { await Promise.resolve(); }));`) }],
    },
    {
      // A type named in settings.quiesce.emitters counts as an emitter.
      code: `${awaitingRouter}const router = new Router();\nrouter.on('message', async () => { await Promise.resolve(); });`,
      settings: { quiesce: { emitters: ['Router'] } },
      errors: [{ messageId: 'asyncCallback', line: 7, suggestions: wrap(`${importLine}${awaitingRouter}const router = new Router();\nrouter.on('message', trackCallback(async () => { await Promise.resolve(); }));`) }],
    },
    {
      // In a library the advice is ownership, never the shim.
      code: `${emitterSubclass}feed.on('item', async () => { await Promise.resolve(); });`,
      settings: { quiesce: { role: 'library' } },
      errors: [{ messageId: 'unownedAsyncCallback', line: 4, suggestions: [] }],
    },
  ],
});

typeScriptTester.run('no-untracked-async-callback: receivers without types', noUntrackedAsyncCallback, {
  valid: [
    // Frameworks known to await their handlers (documented): grammY and Telegraf bots.
    "import { Bot } from 'grammy';\nconst bot = new Bot('token');\nbot.on('message', async (ctx) => { await ctx.reply('hi'); });",
    "import { Telegraf } from 'telegraf';\nconst bot = new Telegraf('token');\nbot.on('text', async () => { await Promise.resolve(); });",
    // Class 9 without types.
    "import { shutdown } from '@quiesce/runtime-shim';\nprocess.once('SIGINT', async () => { await shutdown(); process.exit(130); });",
    'let timer: ReturnType<typeof setInterval>;\nexport function start() { timer = setInterval(async () => { await Promise.resolve(); }, 10); }\nexport function stop() { clearInterval(timer); }',
  ],
  invalid: [
    {
      // Without types, any other receiver's listener method is taken for an emitter's (conservative, documented).
      code: "declare const socket: any;\nsocket.on('join', async () => { await Promise.resolve(); });",
      errors: [{ messageId: 'asyncCallback', data: { target: 'socket.on' }, suggestions: wrap(`${importLine}declare const socket: any;\nsocket.on('join', trackCallback(async () => { await Promise.resolve(); }));`) }],
    },
  ],
});

// A function bound to trackCallback where it is defined is tracked wherever it is passed (the codemod's contract: it
// names a handler once so that `process.off` can remove the very function `process.on` added).
const boundSignal =
  "import { trackCallback } from '@quiesce/runtime-shim';\nconst onSignal = trackCallback(async () => { await Promise.resolve(); });\nprocess.on('SIGTERM', onSignal);\nprocess.off('SIGTERM', onSignal);";
const boundMember =
  "import { EventEmitter } from 'node:events';\nimport { trackCallback } from '@quiesce/runtime-shim';\nclass Consumer {\n  private onMessage?: (m: string) => Promise<void>;\n  start(emitter: EventEmitter) {\n    this.onMessage = trackCallback(async (m: string) => { await Promise.resolve(m); });\n    emitter.on('message', this.onMessage);\n  }\n}";
const boundField =
  "import { EventEmitter } from 'node:events';\nimport { trackCallback } from '@quiesce/runtime-shim';\nclass Consumer {\n  readonly handle = trackCallback(async () => { await Promise.resolve(); });\n  start(emitter: EventEmitter) { emitter.on('job', this.handle); emitter.on('job', this.handle.bind(this)); }\n}";
const boundInLiteral =
  "import { trackCallback } from '@quiesce/runtime-shim';\nconst handlers = { term: trackCallback(async () => { await Promise.resolve(); }) };\nprocess.on('SIGTERM', handlers.term);";
// The same names given an async function that is not wrapped somewhere: not every value is tracked.
const rebound =
  "import { trackCallback } from '@quiesce/runtime-shim';\nlet onSignal = trackCallback(async () => { await Promise.resolve(); });\nonSignal = async () => { await Promise.resolve(); };\nprocess.on('SIGTERM', onSignal);";
const memberRebound =
  "import { EventEmitter } from 'node:events';\nimport { trackCallback } from '@quiesce/runtime-shim';\nclass Consumer {\n  private onMessage = trackCallback(async () => { await Promise.resolve(); });\n  reset() { this.onMessage = async () => { await Promise.resolve(); }; }\n  start(emitter: EventEmitter) { emitter.on('message', this.onMessage); }\n}";

for (const [name, tester] of [['no types', typeScriptTester], ['with types', typedTester]] as const) {
  tester.run(`no-untracked-async-callback: a name bound to trackCallback (${name})`, noUntrackedAsyncCallback, {
    valid: [boundSignal, boundMember, boundField, boundInLiteral],
    invalid: [
      // Without types a name or property written twice is not followed (nothing says it is async); with types it is.
      ...(name === 'with types'
        ? [
            {
              code: rebound,
              errors: [{ messageId: 'asyncCallback' as const, line: 4, suggestions: wrap(rebound.replace("process.on('SIGTERM', onSignal)", "process.on('SIGTERM', trackCallback(onSignal))")) }],
            },
            {
              code: memberRebound,
              errors: [{ messageId: 'asyncCallback' as const, line: 6, suggestions: wrap(memberRebound.replace("emitter.on('message', this.onMessage)", "emitter.on('message', trackCallback(this.onMessage))")) }],
            },
          ]
        : []),
    ],
  });
}

javaScriptTester.run('no-untracked-async-callback: a name bound to trackCallback (JavaScript)', noUntrackedAsyncCallback, {
  valid: [
    "import { trackCallback } from '@quiesce/runtime-shim';\nconst onSignal = trackCallback(async () => { await Promise.resolve(); });\nprocess.on('SIGTERM', onSignal);\nprocess.off('SIGTERM', onSignal);",
    "import { trackCallback } from '@quiesce/runtime-shim';\nclass Consumer {\n  constructor(emitter) { this.onMessage = trackCallback(async (m) => { await save(m); }); emitter.on('message', this.onMessage); }\n}",
  ],
  invalid: [],
});

// The service's own shutdown: a signal handler that awaits a stop (`await cleanUp()`, `await runner.stop()`) and never
// exits keeps the process alive until that work ends. One that awaits other work is still dropped.
const ownShutdown =
  "declare const runner: { stop(): Promise<void> };\nlet stopping = false;\nconst onSignal = async () => {\n  if (stopping) return;\n  stopping = true;\n  await runner.stop();\n};\nprocess.on('SIGINT', onSignal);\nprocess.on('SIGTERM', onSignal);";
const notAStop = ownShutdown.replace('await runner.stop();', 'await runner.stop;\n  await Promise.resolve();');
for (const [name, tester] of [['no types', typeScriptTester], ['with types', typedTester]] as const) {
  tester.run(`no-untracked-async-callback: the service's own shutdown handler (${name})`, noUntrackedAsyncCallback, {
    valid: [ownShutdown, "function onShutdown(cleanUp: () => Promise<void>) {\n  process.on('SIGTERM', async () => { await cleanUp(); });\n}\nexport { onShutdown };"],
    invalid: [
      {
        code: notAStop,
        errors: [
          { messageId: 'asyncCallback', line: 9, suggestions: wrap(`${importLine}${notAStop.replace("process.on('SIGINT', onSignal)", "process.on('SIGINT', trackCallback(onSignal))")}`) },
          { messageId: 'asyncCallback', line: 10, suggestions: wrap(`${importLine}${notAStop.replace("process.on('SIGTERM', onSignal)", "process.on('SIGTERM', trackCallback(onSignal))")}`) },
        ],
      },
    ],
  });
}

// An async callback with no async work of its own: its body awaits nothing (nested functions are theirs), and returns
// no value, so its promise settles before the emitter's call returns and dropping it cuts nothing off. A listener it
// registers inside is judged where it is registered.
const registersOnly = "import { EventEmitter } from 'node:events';\nconst agent = new EventEmitter();\nagent.once('socket', async (socket: EventEmitter) => {\n  socket.once('connect', async () => {\n    await Promise.resolve(socket);\n  });\n});";
const syncWork = "import { EventEmitter } from 'node:events';\nconst hub = new EventEmitter();\nhub.on('ping', async (reply: (ok: boolean) => void) => {\n  try { reply(true); } catch { reply(false); }\n});";
const returnsWork = "import { EventEmitter } from 'node:events';\ndeclare function save(): Promise<void>;\nconst hub = new EventEmitter();\nhub.on('save', async () => { return save(); });";
const conciseWork = "import { EventEmitter } from 'node:events';\ndeclare function save(): Promise<void>;\nconst hub = new EventEmitter();\nhub.on('save', async () => save());";
const forAwait = "import { EventEmitter } from 'node:events';\ndeclare const rows: AsyncIterable<number>;\nconst hub = new EventEmitter();\nhub.on('drain', async () => { for await (const row of rows) console.log(row); });";
const byReference = "import { EventEmitter } from 'node:events';\nconst hub = new EventEmitter();\nasync function onPing() { console.log('ping'); }\nhub.on('ping', onPing);";
for (const [name, tester] of [['no types', typeScriptTester], ['with types', typedTester]] as const) {
  tester.run(`no-untracked-async-callback: async callbacks that await nothing (${name})`, noUntrackedAsyncCallback, {
    valid: [syncWork, byReference, 'declare const ids: number[];\nids.forEach(async (id) => { console.log(id); });'],
    invalid: [
      // Only the inner listener has work; the outer one awaits nothing.
      { code: registersOnly, errors: [{ messageId: 'asyncCallback', line: 4, suggestions: wrap(registersOnly.replace("import { EventEmitter } from 'node:events';\n", `import { EventEmitter } from 'node:events';\n${importLine}`).replace("socket.once('connect', async () => {\n    await Promise.resolve(socket);\n  });", "socket.once('connect', trackCallback(async () => {\n    await Promise.resolve(socket);\n  }));")) }] },
      // A returned promise is adopted: its work is the callback's.
      { code: returnsWork, errors: [{ messageId: 'asyncCallback', line: 4, suggestions: wrap(returnsWork.replace("import { EventEmitter } from 'node:events';\n", `import { EventEmitter } from 'node:events';\n${importLine}`).replace("hub.on('save', async () => { return save(); });", "hub.on('save', trackCallback(async () => { return save(); }));")) }] },
      { code: conciseWork, errors: [{ messageId: 'asyncCallback', line: 4, suggestions: wrap(conciseWork.replace("import { EventEmitter } from 'node:events';\n", `import { EventEmitter } from 'node:events';\n${importLine}`).replace("hub.on('save', async () => save());", "hub.on('save', trackCallback(async () => save()));")) }] },
      { code: forAwait, errors: [{ messageId: 'asyncCallback', line: 4, suggestions: wrap(forAwait.replace("import { EventEmitter } from 'node:events';\n", `import { EventEmitter } from 'node:events';\n${importLine}`).replace("hub.on('drain', async () => { for await (const row of rows) console.log(row); });", "hub.on('drain', trackCallback(async () => { for await (const row of rows) console.log(row); }));")) }] },
    ],
  });
}

javaScriptTester.run('no-untracked-async-callback: async callbacks that await nothing (JavaScript)', noUntrackedAsyncCallback, {
  valid: ["export function wire(socket) {\n  socket.on('needsSetup', async (callback) => { callback(false); });\n}"],
  invalid: [
    {
      code: "export function wire(socket, db) {\n  socket.on('save', async (row) => { await db.insert(row); });\n}",
      errors: [{ messageId: 'asyncCallback', line: 2, suggestions: wrap(`${importLine}export function wire(socket, db) {\n  socket.on('save', trackCallback(async (row) => { await db.insert(row); }));\n}`) }],
    },
  ],
});
