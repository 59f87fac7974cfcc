// Heap after GC with COUNT promises pending, each wrapped as MODE says. Run once per mode in a
// fresh process: in-process before/after differences proved unreliable (V8 reuses freed space).
import { createQuiescer } from '@quiesce/runtime-shim';

const count = Number(process.env.COUNT ?? 100_000);
const mode = process.env.MODE;
const quiescer = createQuiescer({ logger: false });
const noop = () => {};
const wrap = {
  'pending only': (p) => p,
  'p.finally(noop)': (p) => p.finally(noop),
  'track(p)': (p) => quiescer.track(p),
}[mode];

const pending = Array.from({ length: count }, () => new Promise(() => {}));
const held = pending.map(wrap);
for (let i = 0; i < 4; i++) globalThis.gc();
console.log(JSON.stringify({ heapUsed: process.memoryUsage().heapUsed, inFlight: quiescer.inFlightCount, held: held.length }));
