import { noUntrackedPromise } from '../../src/rules/no-untracked-promise.js';
import { commonJsTester, javaScriptTester, typedTester, typeScriptTester } from '../rule-testers.js';

const track = "import { track } from '@quiesce/runtime-shim';\n";
const wrap = (output: string) => [{ messageId: 'wrapInTrack' as const, output }];

typeScriptTester.run('no-untracked-promise (TypeScript, no types: heuristic)', noUntrackedPromise, {
  valid: [
    'async function work() {}\nawait work();',
    'async function work() {}\nfunction run() { return work(); }',
    'async function work() {}\nconst pending = work();',
    'async function work() {}\nlet pending: Promise<void>;\npending = work();',
    "import { track } from '@quiesce/runtime-shim';\nasync function work() {}\ntrack(work());",
    "import { track } from '@quiesce/runtime-shim';\nasync function work() {}\ntrack(work()).catch(() => {});",
    "import { track as keep } from '@quiesce/runtime-shim';\nkeep(fetch('https://example.org'));",
    {
      code: "import { track } from '@acme/lifecycle';\ntrack(fetch('https://example.org'));",
      settings: { quiesce: { trackers: ['@acme/lifecycle'] } },
    },
    // Unknown calls are not promises without type information.
    'declare function maybe(): unknown;\nmaybe();',
    'console.log("x");',
    // A local function named fetch is not the global.
    'function fetch(url: string) { return url; }\nfetch("x");',
    // Async generators return iterators, not promises.
    'async function* rows() {}\nrows();',
    // The allowlist, by name and by dotted path.
    { code: 'async function prefetch() {}\nprefetch();', options: [{ allow: ['prefetch'] }] },
    { code: 'const metrics = { async flush() {} };\nmetrics.flush().catch(() => {});', options: [{ allow: ['metrics.flush'] }] },
    '"use strict";',
  ],
  invalid: [
    {
      code: 'async function work() {}\nwork();',
      errors: [{ messageId: 'floatingPromise', data: { what: 'promise' }, line: 2, column: 1, endColumn: 7, suggestions: wrap(`${track}async function work() {}\ntrack(work());`) }],
    },
    {
      code: 'async function work() {}\nvoid work();',
      errors: [{ messageId: 'voidedPromise', line: 2, column: 1, endColumn: 12, suggestions: wrap(`${track}async function work() {}\ntrack(work());`) }],
    },
    {
      code: 'async function work() {}\nwork().catch((error) => console.error(error));',
      errors: [{ messageId: 'droppedChain', data: { method: 'catch' }, suggestions: wrap(`${track}async function work() {}\ntrack(work().catch((error) => console.error(error)));`) }],
    },
    {
      code: 'declare const job: Promise<void>;\njob.then(() => {}, () => {}).finally(() => {});',
      errors: [{ messageId: 'droppedChain', data: { method: 'finally' }, suggestions: wrap(`${track}declare const job: Promise<void>;\ntrack(job.then(() => {}, () => {}).finally(() => {}));`) }],
    },
    {
      code: "fetch('https://example.org');",
      errors: [{ messageId: 'floatingPromise', suggestions: wrap(`${track}track(fetch('https://example.org'));`) }],
    },
    {
      code: 'new Promise((resolve) => resolve(1));',
      errors: [{ messageId: 'floatingPromise', suggestions: wrap(`${track}track(new Promise((resolve) => resolve(1)));`) }],
    },
    {
      code: "import { writeFile } from 'node:fs/promises';\nwriteFile('a', 'b');",
      errors: [{ messageId: 'floatingPromise', suggestions: wrap(`import { writeFile } from 'node:fs/promises';\n${track}track(writeFile('a', 'b'));`) }],
    },
    {
      code: "import fs from 'node:fs';\nfs.promises.rm('a');",
      errors: [{ messageId: 'floatingPromise', suggestions: wrap(`import fs from 'node:fs';\n${track}track(fs.promises.rm('a'));`) }],
    },
    {
      code: "import { setTimeout as sleep } from 'node:timers/promises';\nsleep(10);",
      errors: [{ messageId: 'floatingPromise', suggestions: wrap(`import { setTimeout as sleep } from 'node:timers/promises';\n${track}track(sleep(10));`) }],
    },
    {
      code: 'const save = async () => {};\nsave();\n(async () => {})();',
      errors: [
        { messageId: 'floatingPromise', line: 2, suggestions: wrap(`${track}const save = async () => {};\ntrack(save());\n(async () => {})();`) },
        { messageId: 'floatingPromise', line: 3, suggestions: wrap(`${track}const save = async () => {};\nsave();\ntrack((async () => {})());`) },
      ],
    },
    {
      // Methods called on `this` inside the class that declares them async.
      code: 'class Engine {\n  async provision() {}\n  start() {\n    this.provision();\n  }\n}',
      errors: [{ messageId: 'floatingPromise', line: 4, suggestions: wrap(`${track}class Engine {\n  async provision() {}\n  start() {\n    track(this.provision());\n  }\n}`) }],
    },
    {
      // A dropped map over an async function is an array of promises, even without types.
      code: 'declare const items: string[];\nitems.map(async (item) => item);',
      errors: [
        {
          messageId: 'floatingPromise',
          data: { what: 'array of promises' },
          suggestions: wrap(`${track}declare const items: string[];\ntrack(Promise.all(items.map(async (item) => item)));`),
        },
      ],
    },
    {
      // Private async methods too.
      code: 'class Engine {\n  async #provision() {}\n  start() {\n    void this.#provision();\n  }\n}',
      errors: [{ messageId: 'voidedPromise', line: 4, suggestions: wrap(`${track}class Engine {\n  async #provision() {}\n  start() {\n    track(this.#provision());\n  }\n}`) }],
    },
    {
      // A const holding a promise, voided later.
      code: 'const ready = Promise.resolve();\nvoid ready;',
      errors: [{ messageId: 'voidedPromise', suggestions: wrap(`${track}const ready = Promise.resolve();\ntrack(ready);`) }],
    },
    {
      // An existing import of track is reused; a taken name gets an alias.
      code: "import { track as keep } from '@quiesce/runtime-shim';\nconst track = 1;\nfetch('x');",
      errors: [{ messageId: 'floatingPromise', suggestions: wrap("import { track as keep } from '@quiesce/runtime-shim';\nconst track = 1;\nkeep(fetch('x'));") }],
    },
    {
      code: "const track = 1;\nfetch('x');",
      errors: [{ messageId: 'floatingPromise', suggestions: wrap("import { track as trackedTrack } from '@quiesce/runtime-shim';\nconst track = 1;\ntrackedTrack(fetch('x'));") }],
    },
  ],
});

typedTester.run('no-untracked-promise (TypeScript with types)', noUntrackedPromise, {
  valid: [
    'declare function load(): Promise<void>;\nawait load();',
    'declare function count(): number;\ncount();',
    'declare const value: any;\nvalue();',
    'declare const thenable: { then(resolve: () => void): void };\nthenable;',
    'declare function load(): Promise<void>;\nexport const pending = load();',
    "import { track } from '@quiesce/runtime-shim';\ndeclare function load(): Promise<void>;\ntrack(load());",
    // The shim's shutdown() is the drain itself: started from a signal listener, the exit after it.
    "import { shutdown } from '@quiesce/runtime-shim';\nvoid shutdown('SIGTERM').then(() => process.exit(0));",
    // Known not to be promises without asking the checker: timers, console, functions that return nothing.
    'setTimeout(() => {}, 1);\nconsole.log(1);\nfunction log(message: string) { console.log(message); }\nlog("x");',
  ],
  invalid: [
    {
      // A non-async function that returns a promise: the checker is asked.
      code: 'declare function load(): Promise<void>;\nfunction start() { return load(); }\nstart();',
      errors: [{ messageId: 'floatingPromise', line: 3, suggestions: wrap(`${track}declare function load(): Promise<void>;\nfunction start() { return load(); }\ntrack(start());`) }],
    },
    {
      // A shutdown() that is not the shim's is work like any other.
      code: 'declare function shutdown(): Promise<void>;\nvoid shutdown().then(() => {});',
      errors: [{ messageId: 'voidedPromise', suggestions: wrap(`${track}declare function shutdown(): Promise<void>;\ntrack(shutdown().then(() => {}));`) }],
    },
    {
      // Declared in another module: only the checker knows it is a promise.
      code: 'declare function load(): Promise<void>;\nload();',
      errors: [{ messageId: 'floatingPromise', data: { what: 'promise' }, suggestions: wrap(`${track}declare function load(): Promise<void>;\ntrack(load());`) }],
    },
    {
      code: 'class Job<T> extends Promise<T> {}\ndeclare function start(): Job<number>;\nstart();',
      errors: [{ messageId: 'floatingPromise', suggestions: wrap(`${track}class Job<T> extends Promise<T> {}\ndeclare function start(): Job<number>;\ntrack(start());`) }],
    },
    {
      code: 'declare function maybe(): Promise<void> | undefined;\nmaybe();',
      errors: [{ messageId: 'floatingPromise', suggestions: wrap(`${track}declare function maybe(): Promise<void> | undefined;\ntrack(maybe());`) }],
    },
    {
      // A dropped items.map(async …) is an array of promises: the fix waits for all of them.
      code: 'declare const items: string[];\nitems.map(async (item) => item);',
      errors: [
        {
          messageId: 'floatingPromise',
          data: { what: 'array of promises' },
          suggestions: wrap(`${track}declare const items: string[];\ntrack(Promise.all(items.map(async (item) => item)));`),
        },
      ],
    },
    {
      code: 'declare const job: Promise<void>;\nvoid job;',
      errors: [{ messageId: 'voidedPromise', suggestions: wrap(`${track}declare const job: Promise<void>;\ntrack(job);`) }],
    },
    {
      code: 'declare const thenable: { then(resolve: () => void): void };\nthenable;',
      options: [{ checkThenables: true }],
      errors: [{ messageId: 'floatingPromise', data: { what: 'thenable' }, suggestions: wrap(`${track}declare const thenable: { then(resolve: () => void): void };\ntrack(thenable);`) }],
    },
    {
      code: 'declare const api: { save(): Promise<void> };\napi?.save();',
      errors: [{ messageId: 'floatingPromise', suggestions: wrap(`${track}declare const api: { save(): Promise<void> };\ntrack(api?.save());`) }],
    },
    {
      filename: 'file.cts',
      code: "const { track } = require('@quiesce/runtime-shim') as { track<T>(p: Promise<T>): Promise<T> };\ndeclare function load(): Promise<void>;\nload();",
      errors: [{ messageId: 'floatingPromise', suggestions: wrap("const { track } = require('@quiesce/runtime-shim') as { track<T>(p: Promise<T>): Promise<T> };\ndeclare function load(): Promise<void>;\ntrack(load());") }],
    },
  ],
});

javaScriptTester.run('no-untracked-promise (JavaScript, ESM)', noUntrackedPromise, {
  valid: ['async function work() {}\nawait work();', 'work();\nfunction work() {}'],
  invalid: [
    {
      code: 'async function work() {}\nwork().then(() => {});',
      errors: [{ messageId: 'droppedChain', suggestions: wrap(`${track}async function work() {}\ntrack(work().then(() => {}));`) }],
    },
  ],
});

commonJsTester.run('no-untracked-promise (JavaScript, CommonJS)', noUntrackedPromise, {
  valid: ["const { track } = require('@quiesce/runtime-shim');\ntrack(fetch('x'));"],
  invalid: [
    {
      code: "const fs = require('fs/promises');\nfs.unlink('a');",
      errors: [{ messageId: 'floatingPromise', suggestions: wrap("const { track } = require('@quiesce/runtime-shim');\nconst fs = require('fs/promises');\ntrack(fs.unlink('a'));") }],
    },
  ],
});

/** Promises their code already waits for (false-positive classes 2 and 3 of the real-code evaluation). */
const ownedPromises = [
  // Class 3: handed, with a collection that the owner's stop path awaits, to a helper that keeps it there.
  'export class Pool {\n  private pending = new Set<Promise<void>>();\n  private keep(p: Promise<void>, into: Set<Promise<void>>) { into.add(p); return p.finally(() => into.delete(p)); }\n  async create(): Promise<void> {}\n  acquire() { this.keep(this.create(), this.pending).catch(() => {}); }\n  async close() { await Promise.all(this.pending); }\n}',
  // Class 2: a chain that settles the enclosing promise, in both spellings.
  'async function load(url: string) { return url; }\nexport function get(url: string) {\n  return new Promise((resolve, reject) => { load(url).then(resolve, reject); });\n}',
  'async function load(url: string) { return url; }\nexport function get(url: string) {\n  return new Promise((resolve, reject) => { load(url).then((body) => resolve(body)).catch(reject); });\n}',
  // ... or the enclosing callback: Node-style and an Express wrapper that hands errors to next().
  'async function read(key: string) { return key; }\nexport function lookup(key: string, callback: (error: unknown, value?: string) => void) {\n  read(key).then((value) => callback(null, value), callback);\n}',
  'type Handler = (req: unknown, res: unknown, next: (error?: unknown) => void) => unknown;\nexport const wrap = (fn: Handler): Handler => (req, res, next) => { Promise.resolve(fn(req, res, next)).catch(next); };',
  // Class 3: kept in a Set that flush() awaits, with the bookkeeping chain that removes it.
  'async function post(item: string) { return item; }\nexport class Batcher {\n  private readonly pending = new Set<Promise<string>>();\n  send(item: string) {\n    const request = post(item);\n    this.pending.add(request);\n    request.then(() => this.pending.delete(request), () => this.pending.delete(request));\n  }\n  async flush() { await Promise.allSettled([...this.pending]); }\n}',
  // A side chain on a promise the function returns (a timing wrapper) and on one it races (a timeout).
  'declare function record(): void;\nasync function work() {}\nexport function timed() {\n  const job = work();\n  job.then(record, record);\n  return job;\n}',
  'export async function withTimeout(url: string) {\n  const request = fetch(url);\n  let timer: ReturnType<typeof setTimeout> | undefined;\n  void request.finally(() => clearTimeout(timer));\n  return Promise.race([request, new Promise((_, reject) => { timer = setTimeout(reject, 1000); })]);\n}',
  // Cancelling a stream discards it: nothing to wait for.
  'export async function discard(body: { cancel(): Promise<void> }) { await Promise.resolve(); void body.cancel(); }',
];

typeScriptTester.run('no-untracked-promise: owned promises (TypeScript, no types)', noUntrackedPromise, {
  valid: [
    ...ownedPromises,
    ...ownedPromises.map((code) => ({ code, settings: { quiesce: { role: 'library' } } })),
    // Class 4 without types: `.catch` on a constructed object is a framework's method, not a promise chain.
    'class Bot { catch(handler: (error: unknown) => void) { return this; } }\nconst bot = new Bot();\nexport function setUp() { bot.catch(() => {}); }',
    // Start-up at the top level of a service entry (settings.quiesce.entries): it runs before any SIGTERM.
    { code: 'async function connect() {}\nconnect().then(() => {}).catch(() => process.exit(1));', settings: { quiesce: { role: 'service', entries: ['**/file.ts'] } } },
  ],
  invalid: [
    {
      // Kept in a Set that nothing awaits: still dropped.
      code: 'async function post() {}\nconst pending = new Set<Promise<void>>();\nexport function send() { const p = post(); pending.add(p); p.then(() => pending.delete(p)); }',
      errors: [{ messageId: 'droppedChain', suggestions: wrap(`${track}async function post() {}\nconst pending = new Set<Promise<void>>();\nexport function send() { const p = post(); pending.add(p); track(p.then(() => pending.delete(p))); }`) }],
    },
    {
      // An argument that is awaited or returned elsewhere is one value, not a collection of this work: still dropped.
      code: 'export class Engine {\n  private async provision(stack: { id: string }): Promise<void> {}\n  private async fail(stack: { id: string }): Promise<void> {}\n  async create(stack: { id: string }) {\n    this.provision(stack).catch(() => this.fail(stack));\n    return stack;\n  }\n}',
      errors: [{ messageId: 'droppedChain', suggestions: wrap(`${track}export class Engine {\n  private async provision(stack: { id: string }): Promise<void> {}\n  private async fail(stack: { id: string }): Promise<void> {}\n  async create(stack: { id: string }) {\n    track(this.provision(stack).catch(() => this.fail(stack)));\n    return stack;\n  }\n}`) }],
    },
    {
      // Inside an executor, but settling nothing of it.
      code: 'async function work() {}\nexport const run = () => new Promise<void>((resolve) => { work().then(() => {}); resolve(); });',
      errors: [{ messageId: 'droppedChain', suggestions: wrap(`${track}async function work() {}\nexport const run = () => new Promise<void>((resolve) => { track(work().then(() => {})); resolve(); });`) }],
    },
    {
      // A library's dropped work: the advice is the owner's stop path, never the shim.
      code: 'async function post() {}\nexport class Client { send() { post(); } }',
      settings: { quiesce: { role: 'library' } },
      errors: [{ messageId: 'unownedPromise', data: { what: 'promise' }, suggestions: [] }],
    },
  ],
});

typedTester.run('no-untracked-promise: owned promises and receivers (TypeScript with types)', noUntrackedPromise, {
  valid: [
    ...ownedPromises,
    // Class 4: `bot.catch(handler)` returns the bot, whatever the method is called.
    'declare class Bot { catch(handler: (error: unknown) => void): this; }\ndeclare const bot: Bot;\nbot.catch(() => {});',
    'declare const router: { then(step: () => void): { then(step: () => void): void } };\nexport function build() { router.then(() => {}).then(() => {}); }',
    // Class 8: `void` of a value that is not a promise.
    'declare function count(): number;\nvoid count();',
    'declare const emitter: { emit(name: string): boolean };\nvoid emitter.emit("ready");',
  ],
  invalid: [
    {
      code: 'declare function save(): Promise<void>;\nexport function handle() { void save(); }',
      errors: [{ messageId: 'voidedPromise', suggestions: wrap(`${track}declare function save(): Promise<void>;\nexport function handle() { track(save()); }`) }],
    },
    {
      code: 'declare function save(): Promise<void>;\nexport function handle() { save().catch(() => {}); }',
      errors: [{ messageId: 'droppedChain', suggestions: wrap(`${track}declare function save(): Promise<void>;\nexport function handle() { track(save().catch(() => {})); }`) }],
    },
  ],
});

javaScriptTester.run('no-untracked-promise: owned promises (JavaScript)', noUntrackedPromise, {
  valid: [
    'async function send(body) { return body; }\nexport function push(body) {\n  return new Promise((resolve, reject) => { send(body).then(resolve, reject); });\n}',
    'async function write(chunk) { return chunk; }\nexport function flushTo(chunk, done) { write(chunk).then(() => done(), done); }',
  ],
  invalid: [
    {
      code: 'async function write() {}\nexport function flushTo(done) { write().then(() => {}); done(); }',
      errors: [{ messageId: 'droppedChain', suggestions: wrap(`${track}async function write() {}\nexport function flushTo(done) { track(write().then(() => {})); done(); }`) }],
    },
  ],
});

// Library helpers that keep promises by another route: handed with the set they go in to a helper, the set copied into a
// name that a configured promise implementation's combinator waits on (`this._Promise.all`), and methods that settle
// their promise before they return (their work is done synchronously).
const library = { quiesce: { role: 'library' } };
const keptByHelper = `class Pool {
  creating = new Set<Promise<unknown>>();
  Promise = Promise;
  track(p: Promise<unknown>, set: Set<Promise<unknown>>) { set.add(p); return p.finally(() => set.delete(p)); }
  grow(make: () => Promise<unknown>) { this.track(make(), this.creating).catch(() => {}); }
  clear() { const pending = Array.from(this.creating).map((p) => p.catch(() => {})); return this.Promise.all(pending); }
}`;
const keptNowhere = keptByHelper.replace('return this.Promise.all(pending);', 'return pending.length;');
const settledAtOnce = `class Pool {
  free: unknown[] = [];
  release(item: unknown) {
    if (!item) return Promise.reject(new Error('nothing to release'));
    this.free.push(item);
    return Promise.resolve();
  }
  use(item: unknown) { this.release(item); }
}`;
const settledLater = settledAtOnce.replace('return Promise.resolve();', 'return Promise.resolve(this.flush());').replace('use(item', 'async flush() {}\n  use(item');

for (const [name, tester] of [['no types', typeScriptTester], ['with types', typedTester]] as const) {
  tester.run(`no-untracked-promise: promises kept by a helper, settled at once (${name})`, noUntrackedPromise, {
    valid: [
      { code: keptByHelper, settings: library },
      { code: settledAtOnce, settings: library },
    ],
    invalid: [
      // Kept in a set that nothing awaits: still dropped.
      { code: keptNowhere, settings: library, errors: [{ messageId: 'unownedPromise', line: 5, suggestions: [] }] },
      // Promise.resolve(work()) settles when the work does (only types know release() returns a promise at all).
      ...(name === 'with types' ? [{ code: settledLater, settings: library, errors: [{ messageId: 'unownedPromise' as const, line: 9, suggestions: [] }] }] : []),
    ],
  });
}

// A library's own bookkeeping: a method that keeps its work on the instance for close() to wait for, and chains that
// stop themselves once close() sets a flag they read.
const keptOnInstance = `class Queue {
  ready: Promise<unknown> | undefined;
  constructor(private readonly client: { connect(): Promise<void>; quit(): Promise<void> }) { this.connect(); }
  connect() { this.ready = this.client.connect(); return this.ready; }
  async close() { await this.ready; await this.client.quit(); }
}`;
const keptNotWaited = keptOnInstance.replace('async close() { await this.ready; await this.client.quit(); }', 'async close() { await this.client.quit(); }');
const flagged = `class Worker {
  paused = false;
  constructor(private readonly next: () => Promise<string | undefined>) {}
  tick() {
    this.next().then((job) => {
      if (this.paused || job === undefined) return;
      this.tick();
    }, () => {});
  }
  close() { this.paused = true; }
}`;
const flagNeverSet = flagged.replace('close() { this.paused = true; }', 'pause() { this.paused = false; }');
for (const [name, tester] of [['no types', typeScriptTester], ['with types', typedTester]] as const) {
  tester.run(`no-untracked-promise: a library's work kept on the instance or stopped by a flag (${name})`, noUntrackedPromise, {
    valid: [
      { code: keptOnInstance, settings: library },
      { code: flagged, settings: library },
    ],
    invalid: [
      ...(name === 'with types' ? [{ code: keptNotWaited, settings: library, errors: [{ messageId: 'unownedPromise' as const, line: 3, suggestions: [] }] }] : []),
      { code: flagNeverSet, settings: library, errors: [{ messageId: 'unownedPromise', line: 5, suggestions: [] }] },
      // In a service the flag is no drain: the process exits with the chain in flight.
      { code: flagged, errors: [{ messageId: 'droppedChain', line: 5, suggestions: [{ messageId: 'wrapInTrack', output: `import { track } from '@quiesce/runtime-shim';\n${flagged.replace(/this\.next\(\)\.then\(\(job\) => \{\n      if \(this\.paused \|\| job === undefined\) return;\n      this\.tick\(\);\n    \}, \(\) => \{\}\)/, (chain) => `track(${chain})`)}` }] }] },
    ],
  });
}

// Listener registration on a receiver whose type says nothing about the method: typed `any`/`unknown`, or a type that
// does not declare it and answers every name through an index signature of commands that return promises (a client
// whose EventEmitter base did not resolve). The name decides: `on()` registers a listener. A declared method's type
// still decides.
const indexedClient = 'declare const cache: { connect(): Promise<void>; [command: string]: (...args: unknown[]) => Promise<unknown> };';
typedTester.run('no-untracked-promise: listener registration on a receiver its type does not describe (with types)', noUntrackedPromise, {
  valid: [
    `${indexedClient}\ncache.on('error', (error) => console.error(error));\ncache.once('ready', () => {});\ncache.removeListener('error', () => {});`,
    "declare const client: any;\nclient.on('error', () => {});\nclient.addEventListener('close', () => {});",
    "declare const client: unknown;\n(client as any).prependListener('error', () => {});",
  ],
  invalid: [
    {
      // Any other command of that index signature is still a promise.
      code: `${indexedClient}\nexport function warm() { cache.flushall(); }`,
      errors: [{ messageId: 'floatingPromise', line: 2, suggestions: wrap(`${track}${indexedClient}\nexport function warm() { track(cache.flushall()); }`) }],
    },
    {
      // A receiver that declares on() returning a promise: the type decides.
      code: "declare const bus: { on(event: string, listener: () => void): Promise<void> };\nexport function wire() { bus.on('tick', () => {}); }",
      errors: [{ messageId: 'floatingPromise', line: 2, suggestions: wrap(`${track}declare const bus: { on(event: string, listener: () => void): Promise<void> };\nexport function wire() { track(bus.on('tick', () => {})); }`) }],
    },
  ],
});
