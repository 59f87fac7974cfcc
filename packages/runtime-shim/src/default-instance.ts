// The top-level functions share one quiescer per process, even when the package is loaded
// twice (an ESM and a CJS copy, or two installs): otherwise a timer tracked through one copy
// would be invisible to the shutdown run by the other.

import { Quiescer } from './quiescer.js';

const key = Symbol.for('@quiesce/runtime-shim/default-quiescer@1');

export function defaultQuiescer(): Quiescer {
  const holder = globalThis as typeof globalThis & { [key]?: Quiescer };
  holder[key] ??= new Quiescer();
  return holder[key];
}
