import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';

function lintWithSettings(quiesce: unknown): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat' });
  return linter.verify('setInterval(() => {}, 1);', [...(plugin.configs.recommended as Linter.Config[]), { settings: { quiesce } }], 'file.js');
}

describe('settings.quiesce', () => {
  it('accepts trackers and timers', () => {
    const messages = lintWithSettings({ trackers: ['@acme/lifecycle'], timers: { setTimeout: true } });
    expect(messages.map((message) => message.ruleId)).toContain('quiesce/no-untracked-timer');
  });

  it.each([
    [['@acme/lifecycle'], /settings\.quiesce must be an object/],
    [{ trackers: '@acme/lifecycle' }, /settings\.quiesce\.trackers must be an array of module specifiers/],
    [{ trackers: [''] }, /settings\.quiesce\.trackers must be an array of module specifiers/],
    [{ timers: { setInterval: true } }, /settings\.quiesce\.timers\.setInterval is not valid/],
    [{ timers: { setTimeout: 'yes' } }, /settings\.quiesce\.timers\.setTimeout is not valid/],
    [{ tracker: [] }, /settings\.quiesce\.tracker is not a known setting/],
  ])('rejects %j with an error that names the setting', (quiesce, message) => {
    expect(() => lintWithSettings(quiesce)).toThrow(message);
  });
});
