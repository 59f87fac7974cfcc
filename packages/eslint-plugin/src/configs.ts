import { createRequire } from 'node:module';

import type { TSESLint } from '@typescript-eslint/utils';

import { type RuleName, rules } from './rules/index.js';

export const typeScriptFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

type FlatConfig = TSESLint.FlatConfig.Config;
type Parser = NonNullable<NonNullable<FlatConfig['languageOptions']>['parser']>;

const require = createRequire(import.meta.url);
let typescriptParser: Parser | undefined;

/** Loading the TypeScript parser loads TypeScript (about 0.5 s): only when a config that names it is used. */
function loadTypeScriptParser(): Parser {
  typescriptParser ??= require('@typescript-eslint/parser') as Parser;
  return typescriptParser;
}

/**
 * The plugin's flat configs. `recommended` needs no type information (plain JS, default parser); `recommended-type-checked`
 * adds the TypeScript parser with the project service for TypeScript files, which the rules marked
 * `usesTypeInformation` use to decide what is a promise, a promise-returning callback or a server; `disable-type-checked`
 * turns type information off again (for files outside any tsconfig), the rules falling back to their heuristics.
 */
export function createConfigs(plugin: TSESLint.FlatConfig.Plugin): Record<'recommended' | 'recommended-type-checked' | 'disable-type-checked', FlatConfig | FlatConfig[]> {
  const recommendedRules: FlatConfig['rules'] = {};
  for (const [name, rule] of Object.entries(rules) as [RuleName, (typeof rules)[RuleName]][]) {
    if (rule.meta.docs?.recommended === 'recommended') recommendedRules[`quiesce/${name}`] = 'error';
  }
  const recommended: FlatConfig = { name: 'quiesce/recommended', plugins: { quiesce: plugin }, rules: recommendedRules };
  return {
    recommended,
    'recommended-type-checked': [
      recommended,
      {
        name: 'quiesce/recommended-type-checked',
        files: typeScriptFiles,
        languageOptions: {
          get parser(): Parser {
            return loadTypeScriptParser();
          },
          parserOptions: { projectService: true },
        },
      },
    ],
    'disable-type-checked': {
      name: 'quiesce/disable-type-checked',
      languageOptions: { parserOptions: { project: false, program: null, projectService: false } },
    },
  };
}
