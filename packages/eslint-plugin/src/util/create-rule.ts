import { ESLintUtils } from '@typescript-eslint/utils';

/** Extra `meta.docs` fields of this plugin's rules (read by the configs and the docs test). */
export interface QuiesceRuleDocs {
  /** `recommended`: in both recommended configs; `opt-in`: in no config, documented as opt-in. */
  recommended: 'recommended' | 'opt-in';
  /** The rule uses type information when the parser provides it (it never requires it). */
  usesTypeInformation?: boolean;
}

export const docsBaseUrl = 'https://github.com/quiesce/quiesce/blob/main/packages/eslint-plugin/docs/rules/';

export const createRule = ESLintUtils.RuleCreator<QuiesceRuleDocs>((name) => `${docsBaseUrl}${name}.md`);
