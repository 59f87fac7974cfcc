import { describe, expect, it } from 'vitest';
import plugin from '@quiesce/eslint-plugin';
import { REWRITTEN_RULE_IDS } from '../src/contract.js';
import { transforms } from '../src/plan/transforms/index.js';

describe('contract with the plugin', () => {
  it('has one transform per rewritten rule, and every rule of the plugin is rewritten or is no-review-markers', () => {
    expect(new Set(transforms.map((transform) => transform.ruleId))).toEqual(REWRITTEN_RULE_IDS);
    const pluginRules = Object.keys((plugin as unknown as { rules: Record<string, unknown> }).rules).map((name) => `quiesce/${name}`);
    expect(new Set([...REWRITTEN_RULE_IDS, 'quiesce/no-review-markers'])).toEqual(new Set(pluginRules));
  });
});
