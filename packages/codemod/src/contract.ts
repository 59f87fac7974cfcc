/** Names shared with @quiesce/eslint-plugin (its docs/report-contract.md). */

/** The plugin rules the codemod rewrites (every rule but no-review-markers, which reports the codemod's own markers). */
export const REWRITTEN_RULE_IDS: ReadonlySet<string> = new Set([
  'quiesce/no-untracked-timer',
  'quiesce/no-untracked-promise',
  'quiesce/no-untracked-async-callback',
  'quiesce/no-untracked-server',
  'quiesce/no-abrupt-exit',
  'quiesce/require-shutdown-handler',
  'quiesce/no-unclosed-resource',
]);

/** The marker the codemod leaves where a rewrite is not safe; `quiesce/no-review-markers` fails while it remains. */
export const REVIEW_PREFIX = 'quiesce-review:';
/**
 * The same marker where the project's lint wants comments to start with a capital (ESLint's `capitalized-comments`,
 * xo's defaults). Markers are recognised in either case.
 */
export const CAPITALIZED_REVIEW_PREFIX = 'Quiesce-review:';
