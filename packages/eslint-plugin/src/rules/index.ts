import { noAbruptExit } from './no-abrupt-exit.js';
import { noReviewMarkers } from './no-review-markers.js';
import { noUnclosedResource } from './no-unclosed-resource.js';
import { noUntrackedAsyncCallback } from './no-untracked-async-callback.js';
import { noUntrackedPromise } from './no-untracked-promise.js';
import { noUntrackedServer } from './no-untracked-server.js';
import { noUntrackedTimer } from './no-untracked-timer.js';
import { requireShutdownHandler } from './require-shutdown-handler.js';

/** Every rule by its id without the `quiesce/` prefix (ids are a contract with the codemod and users). */
export const rules = {
  'no-untracked-timer': noUntrackedTimer,
  'no-untracked-promise': noUntrackedPromise,
  'no-untracked-async-callback': noUntrackedAsyncCallback,
  'no-abrupt-exit': noAbruptExit,
  'no-untracked-server': noUntrackedServer,
  'require-shutdown-handler': requireShutdownHandler,
  'no-unclosed-resource': noUnclosedResource,
  'no-review-markers': noReviewMarkers,
};

export type RuleName = keyof typeof rules;
