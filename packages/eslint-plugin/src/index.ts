import { createRequire } from 'node:module';

import type { TSESLint } from '@typescript-eslint/utils';

import { createConfigs } from './configs.js';
import { rules } from './rules/index.js';

export type { QuiesceSettings } from './util/settings.js';
export { rules } from './rules/index.js';
export type { RuleName } from './rules/index.js';

const { name, version } = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

const plugin = {
  meta: { name, version, namespace: 'quiesce' },
  rules,
  configs: {} as ReturnType<typeof createConfigs>,
} satisfies TSESLint.FlatConfig.Plugin;

// The configs name the plugin object itself, so they are attached after it exists.
Object.assign(plugin.configs, createConfigs(plugin as unknown as TSESLint.FlatConfig.Plugin));

export const configs = plugin.configs;
export default plugin;
