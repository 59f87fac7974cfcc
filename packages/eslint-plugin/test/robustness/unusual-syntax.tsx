// Unusual syntax every rule must survive (the robustness test lints this file with every rule and config).
// It is not meant to run; it is meant to parse, and to put the shapes the rules look for in odd places.
import * as http from 'node:http';
import timers, { setInterval as every } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Server } from 'node:net';

declare function decorate<T>(value: T, context: unknown): T;
declare const maybeServer: http.Server | undefined;
declare const items: Array<Promise<number>> | undefined;
declare const args: [() => void, number];

enum Phase {
  Intake = 'intake',
  Cleanup = 'cleanup',
}

namespace Deep {
  export const tick = (): void => void every(() => {}, 10);
}

@decorate
class Service {
  static instances = 0;
  #handle = setInterval(() => this.#poll(), 1000);
  readonly server = http.createServer();
  pending?: Promise<void> = undefined;
  static {
    Service.instances += 1;
  }

  @decorate
  async start(): Promise<void> {
    this.server?.listen?.(0);
    maybeServer?.listen(1);
    this.pending?.then(() => {});
    this.pending?.catch;
    void this.#poll?.();
  }

  async #poll(): Promise<void> {
    await sleep(1);
  }

  get handle() {
    return this.#handle;
  }

  *[Symbol.iterator](): Generator<number> {
    yield* [1, 2];
  }
}

async function* stream(): AsyncGenerator<number> {
  for await (const value of items ?? []) yield value;
}

function overloaded(value: string): string;
function overloaded(value: number): number;
function overloaded(value: unknown): unknown {
  return value;
}

outer: for (const a of [1, 2]) {
  inner: for (const b of [3, 4]) {
    if (a === b) continue outer;
    if (b > 3) break inner;
    setTimeout(() => {}, a);
  }
}

{
  using resource = { [Symbol.dispose]() {} };
  await using asyncResource = { async [Symbol.asyncDispose]() {} };
  void resource;
  void asyncResource;
}

const element = <div onClick={async () => fetch('/x')}>{items?.length ?? 0}</div>;
const fragment = <>{[1, 2].map((n) => <span key={n}>{n}</span>)}</>;

await Promise.all([sleep(1)]);
setInterval(...args);
setTimeout();
setImmediate?.(() => {});
timers.setInterval?.(() => {}, 5);
globalThis.setInterval?.(() => {}, 5);
globalThis['setInterval'](() => {}, 5);
(0, globalThis.setTimeout)(() => {}, 5);
process.on();
process.on('SIGTERM');
process.on('SIGTERM', ...([] as [() => void]));
process.once(`SIGINT`, () => process?.exit?.());
process.on('SIGHUP', async function named() {
  label: {
    break label;
  }
  new.target;
  process.kill(process.pid);
});
[].forEach();
[].forEach(async () => {});
[].forEach(async (item) => { await item; });
new Service().start().then();
(async () => {})();
void 0;
void (async () => {})();
items?.map(async (p) => p);
Deep.tick();
overloaded(1);
stream();
import('node:fs/promises').then((fs) => fs.rm('x'));
const value = { a: 1 } satisfies Record<string, number>;
const cast = ['a'] as const;
const server: Server | undefined = undefined;
server?.listen(0);
let reassigned = setInterval;
reassigned = ((fn: () => void) => fn) as unknown as typeof setInterval;
reassigned(() => {}, 1);
function tick(): void {
  setTimeout(tick, 1);
}
tick();
/* quiesce-review: a marker in the middle */
export { element, fragment, value, cast, Phase };
export default Service;
