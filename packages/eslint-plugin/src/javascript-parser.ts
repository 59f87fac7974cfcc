import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import type { TSESLint } from '@typescript-eslint/utils';

type Parser = TSESLint.FlatConfig.Parser;
interface Espree {
  parse(code: string, options: Record<string, unknown>): unknown;
  version: string;
}

const require = createRequire(import.meta.url);
let espree: Espree | undefined;

/** ESLint's own espree, from the ESLint that loads the plugin: the parser ESLint would have used for the file. */
function eslintEspree(): Espree {
  espree ??= createRequire(require.resolve('eslint'))('espree') as Espree;
  return espree;
}

/** Whether the nearest package.json above a file says `"type": "module"`. */
function isModulePackage(filePath: string): boolean {
  for (let dir = path.dirname(path.resolve(filePath)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * ESLint's own parser for `.js`/`.jsx`, except that a file ESLint's default `sourceType: "module"` cannot parse (a
 * CommonJS file with a function named `protected` or `package`, words only strict mode reserves) is parsed again as
 * CommonJS when its package is not `"type": "module"`: Node runs such a file as CommonJS, so that is what it is.
 */
export function parse(code: string, options: Record<string, unknown> = {}): unknown {
  const parser = eslintEspree();
  try {
    return parser.parse(code, options);
  } catch (error) {
    const filePath = typeof options['filePath'] === 'string' ? options['filePath'] : undefined;
    if (!(error instanceof SyntaxError) || options['sourceType'] !== 'module' || filePath === undefined || isModulePackage(filePath)) throw error;
    return parser.parse(code, { ...options, sourceType: 'commonjs' });
  }
}

const pluginVersion = (require('../package.json') as { version: string }).version;

/** Its name and version in ESLint's cache keys and `--print-config`. */
export const meta = { name: '@quiesce/eslint-plugin/javascript-parser', version: pluginVersion };

/** The parser as a flat config's `languageOptions.parser`; eslintrc configs name this module's file instead. */
export const javascriptParser = { meta, parse } as unknown as Parser;
