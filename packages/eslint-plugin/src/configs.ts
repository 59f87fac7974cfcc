import { fileURLToPath } from 'node:url';

import type { TSESLint } from '@typescript-eslint/utils';

import { type RuleName, rules } from './rules/index.js';
import { javascriptParser } from './javascript-parser.js';
import { typescriptParser } from './typescript-parser.js';

export const typeScriptFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

type FlatConfig = TSESLint.FlatConfig.Config;

/**
 * A flat config as the plugin's types show it: loose on purpose, as typescript-eslint types its own, so that ESLint's
 * `defineConfig(…)`, `tseslint.config(…)` and a plain array (`Linter.Config[]`) all accept it whichever versions of
 * ESLint's and typescript-eslint's config types a project has (their full types differ, e.g. in `languageOptions`).
 */
export interface CompatibleFlatConfig {
  name?: string;
  rules?: object;
}

/** Every flat config of the plugin is an array: spread it, or pass it to `defineConfig`, `tseslint.config` or `extends`. */
export type FlatConfigArray = CompatibleFlatConfig[];
type ClassicConfig = TSESLint.ClassicConfig.Config;

/** An eslintrc config (ESLint 8.57, `.eslintrc.*` files), loose for the same reason (its `overrides` are not shown). */
export interface LegacyConfig {
  plugins?: string[];
  rules?: object;
  parserOptions?: object;
}

/**
 * The plugin's configs. Flat configs under their names and typescript-eslint-style camelCase aliases (the same
 * arrays); eslintrc configs under `legacy-…`, ESLint's convention for a plugin whose flat configs keep the plain
 * names (`extends: ['plugin:@quiesce/legacy-recommended']`).
 */
// A type, not an interface: ESLint's `Plugin` type wants `configs` to fit an index signature, which only a type literal does.
export type QuiesceConfigs = {
  /** Every recommended rule at `error`, no parser settings: plain JavaScript with ESLint's default parser. */
  readonly recommended: FlatConfigArray;
  /** `recommended`, and for TypeScript files the TypeScript parser with the project service (type information). */
  readonly 'recommended-type-checked': FlatConfigArray;
  readonly recommendedTypeChecked: FlatConfigArray;
  /** Turns type information off again (files outside every tsconfig); the rules go by syntax. */
  readonly 'disable-type-checked': FlatConfigArray;
  readonly disableTypeChecked: FlatConfigArray;
  /** eslintrc: `recommended`, rules named `@quiesce/<rule>`. */
  readonly 'legacy-recommended': LegacyConfig;
  /** eslintrc: `recommended-type-checked`. */
  readonly 'legacy-recommended-type-checked': LegacyConfig;
  /** eslintrc: `disable-type-checked`. */
  readonly 'legacy-disable-type-checked': LegacyConfig;
};

/** Under eslintrc a scoped package `@quiesce/eslint-plugin` is the plugin `@quiesce`, its rules `@quiesce/<rule>`. */
const legacyPluginName = '@quiesce';

/** eslintrc names a parser by module path: the same parser as the flat configs', from this package's files. */
const typescriptParserPath = fileURLToPath(new URL('./typescript-parser.js', import.meta.url));

const disableTypeInformation = { project: false, program: null, projectService: false } as const;

function recommendedRules(prefix: string): Record<string, 'error'> {
  const selected: Record<string, 'error'> = {};
  for (const [name, rule] of Object.entries(rules) as [RuleName, (typeof rules)[RuleName]][]) {
    if (rule.meta.docs?.recommended === 'recommended') selected[`${prefix}/${name}`] = 'error';
  }
  return selected;
}

/**
 * The plugin's configs. `recommended` needs no type information (plain JS, default parser); `recommended-type-checked`
 * adds the TypeScript parser with the project service for TypeScript files, which the rules marked
 * `usesTypeInformation` use to decide what is a promise, a promise-returning callback or a server; `disable-type-checked`
 * turns type information off again (for files outside any tsconfig), the rules falling back to their heuristics.
 */
export function createConfigs(plugin: Omit<TSESLint.FlatConfig.Plugin, 'configs'>): QuiesceConfigs {
  const recommended: FlatConfig[] = [{ name: 'quiesce/recommended', plugins: { quiesce: plugin }, rules: recommendedRules('quiesce') }];
  const recommendedTypeChecked: FlatConfig[] = [
    ...recommended,
    {
      name: 'quiesce/recommended-type-checked',
      files: typeScriptFiles,
      languageOptions: { parser: typescriptParser, parserOptions: { projectService: true } },
    },
    // A CommonJS .js file that the module default cannot parse is parsed as CommonJS (javascript-parser.ts).
    { name: 'quiesce/recommended-type-checked/javascript', files: ['**/*.js', '**/*.jsx'], languageOptions: { parser: javascriptParser } },
  ];
  const disableTypeChecked: FlatConfig[] = [{ name: 'quiesce/disable-type-checked', languageOptions: { parserOptions: { ...disableTypeInformation } } }];

  const legacyRecommended: ClassicConfig = { plugins: [legacyPluginName], rules: recommendedRules(legacyPluginName) };
  const legacyRecommendedTypeChecked: ClassicConfig = {
    ...legacyRecommended,
    overrides: [{ files: ['*.ts', '*.tsx', '*.mts', '*.cts'], parser: typescriptParserPath, parserOptions: { projectService: true } }],
  };
  const legacyDisableTypeChecked: ClassicConfig = { parserOptions: { ...disableTypeInformation } };

  return {
    recommended,
    'recommended-type-checked': recommendedTypeChecked,
    recommendedTypeChecked,
    'disable-type-checked': disableTypeChecked,
    disableTypeChecked,
    'legacy-recommended': legacyRecommended,
    'legacy-recommended-type-checked': legacyRecommendedTypeChecked,
    'legacy-disable-type-checked': legacyDisableTypeChecked,
  };
}
