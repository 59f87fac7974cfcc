import { ESLintUtils } from '@typescript-eslint/utils';

import { ruleAppliesTo } from '../detect/roles.js';
import { roleOfContext } from './detection-context.js';

/** Extra `meta.docs` fields of this plugin's rules (read by the configs and the docs test). */
export interface QuiesceRuleDocs {
  /** `recommended`: in both recommended configs; `opt-in`: in no config, documented as opt-in. */
  recommended: 'recommended' | 'opt-in';
  /** The rule uses type information when the parser provides it (it never requires it). */
  usesTypeInformation?: boolean;
}

export const docsBaseUrl = 'https://github.com/quiesce/quiesce/blob/main/packages/eslint-plugin/docs/rules/';

const ruleCreator = ESLintUtils.RuleCreator<QuiesceRuleDocs>((name) => `${docsBaseUrl}${name}.md`);

/**
 * `ESLintUtils.RuleCreator`, except that the options merged with the defaults are computed once per distinct options
 * instead of once per file: its `applyDefault` deep-clones the defaults with `structuredClone` in every `create`, which
 * for seven rules over thousands of files was a measurable share of a syntax-only run. Rules must not mutate options.
 * A rule that does not apply to the file's role (`ruleAppliesTo`) visits nothing.
 */
export const createRule: typeof ruleCreator = (definition) => {
  const rule = ruleCreator(definition);
  type Options = Parameters<typeof definition.create>[1];
  // The defaults RuleCreator itself would use.
  const defaults = (definition.meta.defaultOptions ?? definition.defaultOptions ?? []) as Options;
  const merged = new Map<string, Options>();
  return {
    ...rule,
    create(context) {
      // Which rules apply to a file is decided by its role, here for every rule (and in detect() the same way).
      if (!ruleAppliesTo(definition.name, roleOfContext(context).role)) return {};
      // Options are JSON (validated against the rule's schema), so their text identifies them.
      const key = context.options.length === 0 ? '' : JSON.stringify(context.options);
      let options = merged.get(key);
      if (options === undefined) {
        options = ESLintUtils.applyDefault(defaults, context.options);
        merged.set(key, options);
      }
      return definition.create(context, options);
    },
  };
};
