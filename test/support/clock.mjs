// @ts-check
import { performance } from 'node:perf_hooks';

/**
 * Wall-clock milliseconds with sub-millisecond precision. The fixtures stamp their log lines the
 * same way (`t`), so times from the test process and from a child can be compared.
 */
export function wallClockMs() {
  return performance.timeOrigin + performance.now();
}

/**
 * Waits `ms` milliseconds.
 * @param {number} ms
 */
export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
