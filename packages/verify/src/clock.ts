// One clock for everything quiesce-verify records, shared with the shim's timeline: ms since the
// epoch, fractional, from the monotonic clock (so a wall-clock step in the middle of a run does not
// reorder events).
import { performance } from 'node:perf_hooks';

const origin = performance.timeOrigin;
export const now = (): number => origin + performance.now();
