import { noUntrackedTimer } from '../../src/rules/no-untracked-timer.js';
import { commonJsTester, javaScriptTester, typedTester, typeScriptTester } from '../rule-testers.js';

const shimImport = "import { setInterval as trackedSetInterval } from '@quiesce/runtime-shim';\n";

typeScriptTester.run('no-untracked-timer (TypeScript, no types)', noUntrackedTimer, {
  valid: [
    // Tracked timers, under their own name, an alias, a namespace and a CommonJS require.
    "import { setInterval } from '@quiesce/runtime-shim';\nsetInterval(() => {}, 1000);",
    "import { setInterval as every } from '@quiesce/runtime-shim';\nevery(() => {}, 1000);",
    "import * as shim from '@quiesce/runtime-shim';\nshim.setInterval(() => {}, 1000);",
    "import { createQuiescer } from '@quiesce/runtime-shim';\nconst q = createQuiescer();\nq.setInterval(() => {}, 1000);",
    // A team's own wrapper listed in settings.quiesce.trackers.
    {
      code: "import { setInterval } from '@acme/lifecycle';\nsetInterval(() => {}, 1000);",
      settings: { quiesce: { trackers: ['@acme/lifecycle'] } },
    },
    // A local function that happens to be called setInterval.
    'function setInterval(fn: () => void, ms: number) { return fn; }\nsetInterval(() => {}, 1000);',
    'function run(setInterval: (fn: () => void) => void) { setInterval(() => {}); }',
    // setTimeout and setImmediate are opt-in.
    'setTimeout(() => {}, 1000);',
    'setImmediate(() => {});',
    // A delay inside running work is part of that work.
    {
      code: 'async function work() { await new Promise((resolve) => setTimeout(resolve, 100)); }',
      options: [{ setTimeout: true }],
    },
    {
      code: 'const sleep = (ms: number) => new Promise<void>((r) => { setTimeout(() => r(), ms); });',
      options: [{ setTimeout: true }],
    },
    {
      code: "import { setTimeout as delay } from 'node:timers/promises';\nawait delay(100);",
      options: [{ setTimeout: true }],
    },
    // A delay inside a retry loop is not a self-rescheduling timeout.
    'async function retry() { for (let i = 0; i < 3; i++) { await new Promise((r) => setTimeout(r, 10)); } }',
    // Clearing is not scheduling.
    'clearInterval(undefined);',
  ],
  invalid: [
    {
      code: 'setInterval(() => {}, 1000);',
      errors: [
        {
          messageId: 'untrackedTimer',
          data: { timer: 'setInterval' },
          line: 1,
          column: 1,
          endColumn: 12,
          suggestions: [{ messageId: 'useTrackedTimer', data: { timer: 'setInterval' }, output: `${shimImport}trackedSetInterval(() => {}, 1000);` }],
        },
      ],
    },
    {
      code: "import express from 'express';\nglobalThis.setInterval(() => {}, 1000);",
      errors: [
        {
          messageId: 'untrackedTimer',
          line: 2,
          column: 1,
          endColumn: 23,
          suggestions: [
            {
              messageId: 'useTrackedTimer',
              output: "import express from 'express';\nimport { setInterval } from '@quiesce/runtime-shim';\nsetInterval(() => {}, 1000);",
            },
          ],
        },
      ],
    },
    {
      code: 'global.setInterval(() => {}, 1000);',
      errors: [{ messageId: 'untrackedTimer', suggestions: [{ messageId: 'useTrackedTimer', output: "import { setInterval } from '@quiesce/runtime-shim';\nsetInterval(() => {}, 1000);" }] }],
    },
    {
      code: "import timers from 'node:timers';\ntimers.setInterval(() => {}, 1000);",
      errors: [{ messageId: 'untrackedTimer', column: 1, endColumn: 19, suggestions: [{ messageId: 'useTrackedTimer', output: "import timers from 'node:timers';\nimport { setInterval } from '@quiesce/runtime-shim';\nsetInterval(() => {}, 1000);" }] }],
    },
    {
      code: "import * as t from 'timers';\nt.setInterval(() => {}, 1000);",
      errors: [{ messageId: 'untrackedTimer', suggestions: [{ messageId: 'useTrackedTimer', output: "import * as t from 'timers';\nimport { setInterval } from '@quiesce/runtime-shim';\nsetInterval(() => {}, 1000);" }] }],
    },
    {
      code: "import { setInterval as every } from 'node:timers';\nevery(() => {}, 1000);",
      errors: [
        {
          messageId: 'untrackedTimer',
          data: { timer: 'setInterval' },
          column: 1,
          endColumn: 6,
          suggestions: [{ messageId: 'useTrackedTimer', output: "import { setInterval as every } from 'node:timers';\nimport { setInterval } from '@quiesce/runtime-shim';\nsetInterval(() => {}, 1000);" }],
        },
      ],
    },
    {
      // Aliases and destructuring of the global.
      code: 'const every = setInterval;\nconst { setInterval: repeat } = globalThis;\nevery(() => {}, 1);\nrepeat(() => {}, 1);',
      errors: [
        { messageId: 'untrackedTimer', line: 3, suggestions: [{ messageId: 'useTrackedTimer', output: `const every = setInterval;\nconst { setInterval: repeat } = globalThis;\n${shimImport.trimEnd()}\ntrackedSetInterval(() => {}, 1);\nrepeat(() => {}, 1);`.replace(`const every = setInterval;\nconst { setInterval: repeat } = globalThis;\n${shimImport.trimEnd()}`, `${shimImport}const every = setInterval;\nconst { setInterval: repeat } = globalThis;`) }] },
        { messageId: 'untrackedTimer', line: 4, suggestions: [{ messageId: 'useTrackedTimer', output: `${shimImport}const every = setInterval;\nconst { setInterval: repeat } = globalThis;\nevery(() => {}, 1);\ntrackedSetInterval(() => {}, 1);` }] },
      ],
    },
    {
      // Aliases the text pre-check must not skip: a name spelled with a Unicode escape, and one where every occurrence
      // of the timer name is followed by `(` only after a comment (the alias is the call's callee, not the timer).
      code: 'const every = set\\u0049nterval;\nevery(() => {}, 1);',
      errors: [{ messageId: 'untrackedTimer', line: 2, suggestions: [{ messageId: 'useTrackedTimer', output: `${shimImport}const every = set\\u0049nterval;\ntrackedSetInterval(() => {}, 1);` }] }],
    },
    {
      code: 'const every = setInterval /* (alias) */;\nevery(() => {}, 1);',
      errors: [{ messageId: 'untrackedTimer', line: 2, suggestions: [{ messageId: 'useTrackedTimer', output: `${shimImport}const every = setInterval /* (alias) */;\ntrackedSetInterval(() => {}, 1);` }] }],
    },
    {
      // A self-rescheduling loop is reported without options: both the call inside and the call that starts it.
      code: 'function poll() {\n  work();\n  setTimeout(poll, 1000);\n}\nsetTimeout(poll, 10);\nfunction work() {}',
      errors: [
        {
          messageId: 'selfReschedulingTimeout',
          line: 3,
          column: 3,
          suggestions: [
            {
              messageId: 'useTrackedTimer',
              output:
                "import { setTimeout as trackedSetTimeout } from '@quiesce/runtime-shim';\nfunction poll() {\n  work();\n  trackedSetTimeout(poll, 1000);\n}\nsetTimeout(poll, 10);\nfunction work() {}",
            },
          ],
        },
        {
          messageId: 'selfReschedulingTimeout',
          line: 5,
          column: 1,
          suggestions: [
            {
              messageId: 'useTrackedTimer',
              output:
                "import { setTimeout as trackedSetTimeout } from '@quiesce/runtime-shim';\nfunction poll() {\n  work();\n  setTimeout(poll, 1000);\n}\ntrackedSetTimeout(poll, 10);\nfunction work() {}",
            },
          ],
        },
      ],
    },
    {
      // The loop through a wrapper arrow, and an async poller.
      code: 'const tick = async () => {\n  await Promise.resolve();\n  setTimeout(() => tick(), 50);\n};',
      errors: [{ messageId: 'selfReschedulingTimeout', line: 3, suggestions: [{ messageId: 'useTrackedTimer', output: "import { setTimeout as trackedSetTimeout } from '@quiesce/runtime-shim';\nconst tick = async () => {\n  await Promise.resolve();\n  trackedSetTimeout(() => tick(), 50);\n};" }] }],
    },
    {
      code: 'setTimeout(() => {}, 1000);',
      options: [{ setTimeout: true }],
      errors: [{ messageId: 'untrackedTimer', data: { timer: 'setTimeout' }, suggestions: [{ messageId: 'useTrackedTimer', output: "import { setTimeout as trackedSetTimeout } from '@quiesce/runtime-shim';\ntrackedSetTimeout(() => {}, 1000);" }] }],
    },
    {
      // The shared setting enables it too (and tells no-untracked-async-callback).
      code: 'setTimeout(() => {}, 1000);',
      settings: { quiesce: { timers: { setTimeout: true } } },
      errors: [{ messageId: 'untrackedTimer', suggestions: [{ messageId: 'useTrackedTimer', output: "import { setTimeout as trackedSetTimeout } from '@quiesce/runtime-shim';\ntrackedSetTimeout(() => {}, 1000);" }] }],
    },
    {
      // setImmediate has no tracked counterpart: reported, no suggestion (the codemod leaves a review marker).
      code: 'setImmediate(() => {});',
      options: [{ setImmediate: true }],
      errors: [{ messageId: 'untrackedTimer', data: { timer: 'setImmediate' }, suggestions: [] }],
    },
    {
      // A tracked setInterval imported already: the suggestion reuses it.
      code: "import { setInterval as every } from '@quiesce/runtime-shim';\nevery(() => {}, 1);\nglobalThis.setInterval(() => {}, 2);",
      errors: [{ messageId: 'untrackedTimer', line: 3, suggestions: [{ messageId: 'useTrackedTimer', output: "import { setInterval as every } from '@quiesce/runtime-shim';\nevery(() => {}, 1);\nevery(() => {}, 2);" }] }],
    },
  ],
});

typedTester.run('no-untracked-timer (TypeScript with types)', noUntrackedTimer, {
  valid: ["import { setInterval } from '@quiesce/runtime-shim';\nsetInterval(() => {}, 1000);"],
  invalid: [
    {
      code: "import { setInterval } from 'node:timers';\nconst handle: NodeJS.Timeout = setInterval(() => {}, 1000);\nhandle.unref();",
      errors: [{ messageId: 'untrackedTimer', line: 2, suggestions: [{ messageId: 'useTrackedTimer', output: "import { setInterval } from 'node:timers';\nimport { setInterval as trackedSetInterval } from '@quiesce/runtime-shim';\nconst handle: NodeJS.Timeout = trackedSetInterval(() => {}, 1000);\nhandle.unref();" }] }],
    },
  ],
});

javaScriptTester.run('no-untracked-timer (JavaScript, ESM)', noUntrackedTimer, {
  valid: [
    "import { setInterval } from '@quiesce/runtime-shim';\nsetInterval(() => {}, 1000);",
    'const setInterval = (fn) => fn;\nsetInterval(() => {});',
  ],
  invalid: [
    {
      code: 'setInterval(() => {}, 1000);',
      errors: [{ messageId: 'untrackedTimer', suggestions: [{ messageId: 'useTrackedTimer', output: `${shimImport}trackedSetInterval(() => {}, 1000);` }] }],
    },
  ],
});

commonJsTester.run('no-untracked-timer (JavaScript, CommonJS)', noUntrackedTimer, {
  valid: [
    "const { setInterval } = require('@quiesce/runtime-shim');\nsetInterval(() => {}, 1000);",
    "const shim = require('@quiesce/runtime-shim');\nshim.setInterval(() => {}, 1000);",
  ],
  invalid: [
    {
      code: "'use strict';\nconst timers = require('node:timers');\ntimers.setInterval(() => {}, 1000);",
      errors: [
        {
          messageId: 'untrackedTimer',
          line: 3,
          suggestions: [{ messageId: 'useTrackedTimer', output: "'use strict';\nconst { setInterval } = require('@quiesce/runtime-shim');\nconst timers = require('node:timers');\nsetInterval(() => {}, 1000);" }],
        },
      ],
    },
    {
      code: "const { setInterval: every } = require('timers');\nevery(() => {}, 1000);",
      errors: [{ messageId: 'untrackedTimer', line: 2, suggestions: [{ messageId: 'useTrackedTimer', output: "const { setInterval } = require('@quiesce/runtime-shim');\nconst { setInterval: every } = require('timers');\nsetInterval(() => {}, 1000);" }] }],
    },
  ],
});

/** Timers their owner already handles (false-positive classes 1 and 7 of the real-code evaluation), in every role. */
const ownedTimers = [
  // Stored on the instance, unref()'d, cleared in close().
  'class Poller {\n  timer?: ReturnType<typeof setInterval>;\n  start() { this.timer = setInterval(() => this.poll(), 1000); this.timer.unref(); }\n  poll() {}\n  close() { clearInterval(this.timer); }\n}',
  // A module variable cleared by an exported stop function; unref() chained on the call.
  'let sweeper: ReturnType<typeof setInterval> | undefined;\nexport function begin(clean: () => void) { sweeper = setInterval(clean, 500).unref(); }\nexport function stop() { if (sweeper) clearInterval(sweeper); }',
  // Kept in a Set whose timers closeAll() clears one by one.
  'class Heartbeats {\n  private readonly timers = new Set<ReturnType<typeof setInterval>>();\n  watch(ping: () => void) { this.timers.add(setInterval(ping, 10)); }\n  closeAll() { for (const timer of this.timers) clearInterval(timer); }\n}',
  // A private field cleared by [Symbol.dispose].
  'class Ticker {\n  #tick = setInterval(() => {}, 5);\n  [Symbol.dispose]() { clearInterval(this.#tick); }\n}',
  // Cleared by a helper that the stop path calls (and whose own name says nothing).
  'class Monitor {\n  private handle?: ReturnType<typeof setInterval>;\n  run() { this.handle = setInterval(() => {}, 100); }\n  private forget() { clearInterval(this.handle); }\n  async shutdown() { this.forget(); }\n}',
  // Cleared in a SIGTERM handler and in an onShutdown hook.
  "const job = () => {};\nconst timer = setInterval(job, 1000);\nprocess.on('SIGTERM', () => clearInterval(timer));",
  "import { onShutdown } from '@quiesce/runtime-shim';\nconst timer = setInterval(() => {}, 1000);\nonShutdown(() => clearInterval(timer));",
  // Cleared when the socket it pings closes.
  "declare const socket: { on(event: string, listener: () => void): void; ping(): void };\nconst pinger = setInterval(() => socket.ping(), 30_000);\nsocket.on('close', () => clearInterval(pinger));",
  // A disposer handed back, and a timer handed back: the caller owns them.
  'export function every(ms: number, fn: () => void) {\n  const timer = setInterval(fn, ms);\n  return () => clearInterval(timer);\n}',
  'export function startTimer(fn: () => void) { return setInterval(fn, 100); }',
  // Cleared by the work that started it, when that work is done.
  'export function watchJob(isDone: () => boolean) {\n  const check = setInterval(() => { if (isDone()) clearInterval(check); }, 50);\n}',
  // A bounded wait started inside close() itself is part of the shutdown.
  'export function close(isIdle: () => boolean, done: () => void) {\n  const wait = setInterval(() => { if (isIdle()) { clearInterval(wait); done(); } }, 10);\n}',
  // A wait helper: a self-rescheduling timeout inside the promise its caller awaits (class 7).
  'export function waitUntil(ready: () => boolean) {\n  return new Promise<void>((resolve) => {\n    const check = () => { if (ready()) resolve(); else setTimeout(check, 25); };\n    check();\n  });\n}',
  // A back-pressure delay that calls the stream callback the caller waits for.
  'declare function busy(): boolean;\nexport function write(chunk: string, next: () => void): void {\n  if (busy()) { setTimeout(() => write(chunk, next), 5); return; }\n  next();\n}',
  // A self-rescheduling timeout stored on the instance and cleared by stop().
  'class Loop {\n  private timer?: ReturnType<typeof setTimeout>;\n  private tick = () => { this.timer = setTimeout(this.tick, 1000); };\n  stop() { clearTimeout(this.timer); }\n}',
];

const library = { quiesce: { role: 'library' } };

/** The shim's suggestion for a service's untracked setInterval in `code`. */
const trackedIn = (code: string) => [{ messageId: 'useTrackedTimer' as const, output: `${shimImport}${code.replace('setInterval(', 'trackedSetInterval(')}` }];
const storedNeverCleared = 'class Poller {\n  timer?: ReturnType<typeof setInterval>;\n  start() { this.timer = setInterval(() => {}, 1000); }\n  close() {}\n}';

typeScriptTester.run('no-untracked-timer: owned timers (TypeScript, no types)', noUntrackedTimer, {
  valid: [
    ...ownedTimers,
    ...ownedTimers.map((code) => ({ code, settings: library })),
    // Cleared and set again by the code that owns it (a restart): owned by that code.
    'let poll: ReturnType<typeof setInterval>;\nexport function restart() { clearInterval(poll); poll = setInterval(() => {}, 10); }',
  ],
  invalid: [
    // Stored, but nothing ever clears it: a service still needs the shim to stop it.
    { code: storedNeverCleared, errors: [{ messageId: 'untrackedTimer', line: 3, suggestions: trackedIn(storedNeverCleared) }] },
  ],
});

typeScriptTester.run('no-untracked-timer: libraries own their timers (TypeScript, no types)', noUntrackedTimer, {
  valid: [],
  invalid: [
    {
      // A class that starts an interval and has no way to clear it.
      code: 'export class Cache {\n  private sweep = setInterval(() => this.evict(), 60_000);\n  evict() {}\n}',
      settings: library,
      errors: [{ messageId: 'unclearedTimer', data: { timer: 'setInterval', kept: 'is kept in .sweep, but nothing clears it' }, line: 2, suggestions: [] }],
    },
    {
      // unref() alone: it never holds the process, but it keeps starting work after the app stopped the library.
      code: 'setInterval(() => {}, 1000).unref();',
      settings: library,
      errors: [{ messageId: 'unclearedTimer', data: { timer: 'setInterval', kept: 'is kept nowhere, so nothing can clear it' }, suggestions: [] }],
    },
  ],
});

typedTester.run('no-untracked-timer: owned timers (TypeScript with types)', noUntrackedTimer, {
  valid: [...ownedTimers, ...ownedTimers.slice(0, 4).map((code) => ({ code, settings: library }))],
  invalid: [
    {
      code: 'export class Cache {\n  private sweep = setInterval(() => this.evict(), 60_000);\n  evict() {}\n}',
      settings: library,
      errors: [{ messageId: 'unclearedTimer', line: 2, suggestions: [] }],
    },
    { code: storedNeverCleared, errors: [{ messageId: 'untrackedTimer', line: 3, suggestions: trackedIn(storedNeverCleared) }] },
  ],
});

javaScriptTester.run('no-untracked-timer: owned timers (JavaScript)', noUntrackedTimer, {
  valid: [
    'function Client() { this.interval = setInterval(() => {}, 100); }\nClient.prototype.end = function () { clearInterval(this.interval); };',
    'const timers = [];\nexport function add(fn) { timers.push(setInterval(fn, 10)); }\nexport function stopAll() { timers.forEach(clearInterval); }',
  ],
  invalid: [
    {
      code: 'function Client() { this.interval = setInterval(() => {}, 100); }',
      errors: [{ messageId: 'untrackedTimer', suggestions: trackedIn('function Client() { this.interval = setInterval(() => {}, 100); }') }],
    },
  ],
});
