// Imports the shim as a library would (no installShutdownHandlers) and uses it: prints what the
// process looked like before and after, and the order in which tracked and global timers fired.
import { createRequire } from 'node:module';

const snapshot = () => ({
  events: process.eventNames().map(String).sort(),
  listeners: Object.fromEntries(
    ['SIGTERM', 'SIGINT', 'uncaughtException', 'unhandledRejection', 'exit', 'beforeExit', 'warning'].map((event) => [
      event,
      process.listenerCount(event),
    ]),
  ),
  globals: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'setImmediate', 'queueMicrotask', 'fetch', 'Promise'].map(
    (name) => `${name}:${typeof globalThis[name] === 'function' ? globalThis[name].name : typeof globalThis[name]}`,
  ),
  same: undefined,
  // Handles and timers (transient requests such as module loading's CloseReq come and go).
  resources: process.getActiveResourcesInfo().filter((kind) => !/Req|TTYWrap|PipeWrap/.test(kind)).sort(),
  exitCode: process.exitCode ?? null,
});
const originals = [globalThis.setTimeout, globalThis.setInterval, globalThis.clearTimeout, Promise.prototype.then];
const before = snapshot();

const shim = process.env.FORMAT === 'cjs' ? createRequire(import.meta.url)('@quiesce/runtime-shim') : await import('@quiesce/runtime-shim');
// Used as a library uses it: a tracked task, tracked timers, a value passed through.
await shim.track(Promise.resolve(1), { name: 'library task' });
shim.track(undefined);
const fired = [];
const tracked = shim.setTimeout((label) => fired.push(label), 20, 'tracked 20 ms');
globalThis.setTimeout(() => fired.push('global 10 ms'), 10);
shim.setTimeout(() => fired.push('tracked 30 ms'), 30);
globalThis.setTimeout(() => fired.push('global 25 ms'), 25);
const interval = shim.setInterval(() => {
  fired.push('tracked interval');
  shim.clearInterval(interval);
}, 5);
const isNodeTimeout = typeof tracked.ref === 'function' && typeof tracked.unref === 'function' && typeof tracked.refresh === 'function' && tracked.constructor.name === 'Timeout';
await new Promise((resolve) => globalThis.setTimeout(resolve, 60));

const after = snapshot();
after.same = originals.every((fn, index) => fn === [globalThis.setTimeout, globalThis.setInterval, globalThis.clearTimeout, Promise.prototype.then][index]);
console.log(JSON.stringify({ before, after, fired, isNodeTimeout }));
// Nothing of the shim keeps the process alive: it ends by itself here.
