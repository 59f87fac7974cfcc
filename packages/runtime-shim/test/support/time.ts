// Plain delays for in-process tests (the global timers: never the tracked ones under test).
export const sleep = (ms: number) => new Promise<void>((resolve) => globalThis.setTimeout(resolve, ms));

/** A promise with its resolve/reject exposed, to settle a task exactly when a test says so. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
