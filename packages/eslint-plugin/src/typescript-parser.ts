import { createRequire } from 'node:module';

import type { TSESLint } from '@typescript-eslint/utils';

type Parser = TSESLint.FlatConfig.Parser;
type ParseForESLint = (code: string, options?: Record<string, unknown>) => unknown;

const require = createRequire(import.meta.url);
let base: { meta?: { name?: string; version?: string }; parseForESLint: ParseForESLint } | undefined;
let saidUntyped = false;

/** Loading the TypeScript parser loads TypeScript (about 0.5 s): only when a file is parsed with it. */
function typescriptEslintParser(): NonNullable<typeof base> {
  base ??= require('@typescript-eslint/parser') as NonNullable<typeof base>;
  return base;
}

/**
 * typescript-eslint's parser, except that a file no tsconfig includes (a script beside the project, a test folder left
 * out of it) is parsed without type information instead of failing with "was not found by the project service": the
 * rules then go by syntax for it (or, for JavaScript, by inferred types), and stderr says so once per process — the
 * findings of such a file are not typed findings.
 */
export function parseForESLint(code: string, options: Record<string, unknown> = {}): unknown {
  const parser = typescriptEslintParser();
  try {
    return parser.parseForESLint(code, options);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes('was not found by the project service')) throw error;
    if (!saidUntyped) {
      saidUntyped = true;
      process.stderr.write(
        `@quiesce/eslint-plugin: ${String(options['filePath'] ?? 'a file')} is in no tsconfig; files outside every tsconfig are ` +
          'linted without type information (the rules go by syntax there). Include them in a tsconfig for typed findings.\n',
      );
    }
    return parser.parseForESLint(code, { ...options, projectService: false, project: null, programs: null });
  }
}

const pluginVersion = (require('../package.json') as { version: string }).version;
const parserVersion = (require('@typescript-eslint/parser/package.json') as { version: string }).version;

/** Its name and version in ESLint's cache keys and `--print-config`: both the plugin's and typescript-eslint's. */
export const meta = { name: '@quiesce/eslint-plugin/typescript-parser', version: `${pluginVersion}+typescript-eslint.${parserVersion}` };

/** The parser as a flat config's `languageOptions.parser`; eslintrc configs name this module's file instead. */
export const typescriptParser = { meta, parseForESLint } as unknown as Parser;
