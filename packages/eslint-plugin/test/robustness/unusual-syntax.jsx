// Unusual syntax every rule must survive with the default parser (espree): no decorators, no types.
import * as http from 'node:http';
import timers, { setInterval as every } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

class Service {
  static instances = 0;
  #handle = setInterval(() => this.#poll(), 1000);
  server = http.createServer();
  static {
    Service.instances += 1;
  }

  async start() {
    this.server?.listen?.(0);
    this.pending?.then(() => {});
    void this.#poll?.();
  }

  async #poll() {
    await sleep(1);
  }

  *[Symbol.iterator]() {
    yield* [1, 2];
  }
}

async function* stream(items) {
  for await (const value of items ?? []) yield value;
}

outer: for (const a of [1, 2]) {
  for (const b of [3, 4]) {
    if (a === b) continue outer;
    setTimeout(() => {}, a);
  }
}

{
  using resource = { [Symbol.dispose]() {} };
  await using asyncResource = { async [Symbol.asyncDispose]() {} };
  void resource;
  void asyncResource;
}

const element = <div onClick={async () => fetch('/x')}>{stream?.length ?? 0}</div>;

await Promise.all([sleep(1)]);
every(() => {}, 10);
setInterval(...[() => {}, 1]);
setTimeout();
timers.setInterval?.(() => {}, 5);
globalThis['setInterval'](() => {}, 5);
process.on();
process.on('SIGTERM');
process.once(`SIGINT`, () => process?.exit?.());
process.on('SIGHUP', async function named() {
  new.target;
  process.kill(process.pid);
});
[].forEach(async () => {});
[].forEach(async (item) => { await item; });
new Service().start().then();
(async () => {})();
void (async () => {})();
import('node:fs/promises').then((fs) => fs.rm('x'));
function tick() {
  setTimeout(tick, 1);
}
tick();
/* quiesce-review: a marker in the middle */
export { element };
export default Service;
