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
  typescriptParser ??= withoutTypesOutsideProjects(require('@typescript-eslint/parser') as Parser);
  return typescriptParser;
}

type ParseForESLint = (code: string, options?: Record<string, unknown>) => unknown;
let saidUntyped = false;

/**
 * typescript-eslint's parser, except that a file no tsconfig includes (a script beside the project, a test folder left
 * out of it) is parsed without type information instead of failing with "was not found by the project service": the
 * rules then go by syntax for it (or, for JavaScript, by inferred types), and stderr says so once per process — the
 * findings of such a file are not typed findings.
 */
function withoutTypesOutsideProjects(parser: Parser): Parser {
  const base = parser as unknown as { meta?: { name?: string; version?: string }; parseForESLint: ParseForESLint };
  const parseForESLint: ParseForESLint = (code, options = {}) => {
    try {
      return base.parseForESLint(code, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('was not found by the project service')) throw error;
      if (!saidUntyped) {
        saidUntyped = true;
        process.stderr.write(
          `@quiesce/eslint-plugin: ${String(options['filePath'] ?? 'a file')} is in no tsconfig; files outside every tsconfig are ` +
            'linted without type information (the rules go by syntax there). Include them in a tsconfig for typed findings.\n',
        );
      }
      return base.parseForESLint(code, { ...options, projectService: false, project: null, programs: null });
    }
  };
  return { meta: { name: '@quiesce/eslint-plugin/typescript-parser', version: base.meta?.version ?? '0' }, parseForESLint } as unknown as Parser;
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
