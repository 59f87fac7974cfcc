import type { Transform } from '../../find/findings.js';
import { noAbruptExit } from './no-abrupt-exit.js';
import { noUnclosedResource } from './no-unclosed-resource.js';
import { noUntrackedAsyncCallback } from './no-untracked-async-callback.js';
import { noUntrackedPromise } from './no-untracked-promise.js';
import { noUntrackedServer } from './no-untracked-server.js';
import { noUntrackedTimer } from './no-untracked-timer.js';
import { requireShutdownHandler } from './require-shutdown-handler.js';

/** One transform per rule the codemod can act on (`no-review-markers` reports the codemod's own markers). */
export const transforms: readonly Transform[] = [
  noUntrackedTimer,
  noUntrackedPromise,
  noUntrackedAsyncCallback,
  noUntrackedServer,
  noAbruptExit,
  requireShutdownHandler,
  noUnclosedResource,
];
