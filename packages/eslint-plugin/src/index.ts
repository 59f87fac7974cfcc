// First: loads TypeScript after checking it is a version the plugin supports (one clear line otherwise), before
// typescript-eslint's modules, imported by the rules, load it themselves.
import './detect/typescript.cjs';

import { createRequire } from 'node:module';

import type { TSESLint } from '@typescript-eslint/utils';

import { createConfigs, type QuiesceConfigs } from './configs.js';
import { rules } from './rules/index.js';

export type { FlatConfigArray, LegacyConfig, QuiesceConfigs } from './configs.js';
export type { QuiesceSettings } from './util/settings.js';
export { rules } from './rules/index.js';
export type { RuleName } from './rules/index.js';

const { name, version } = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

/**
 * The plugin as its type shows it: `plugins: { quiesce }` in a flat config (`plugins: ['@quiesce']` in an eslintrc
 * file). Its rules are there at run time but not in this type, as typescript-eslint types its own plugin: ESLint's
 * `Plugin` type and typescript-eslint's rule types disagree, and `defineConfig` would reject the plugin. The rules,
 * fully typed, are the named export `rules`.
 */
export interface QuiescePlugin {
  readonly meta: { readonly name: string; readonly version: string; readonly namespace: 'quiesce' };
  readonly configs: QuiesceConfigs;
}

const pluginWithoutConfigs = { meta: { name, version, namespace: 'quiesce' as const }, rules } satisfies TSESLint.FlatConfig.Plugin;
const plugin = pluginWithoutConfigs as typeof pluginWithoutConfigs & { configs: QuiesceConfigs };
// The configs name the plugin object itself, so they are attached after it exists.
plugin.configs = createConfigs(plugin);

export const configs: QuiesceConfigs = plugin.configs;
export default plugin as QuiescePlugin;
