import { createRequire } from 'node:module';

type TypeUtils = typeof import('@typescript-eslint/type-utils');

const require = createRequire(import.meta.url);
let loaded: TypeUtils | undefined;

/**
 * `@typescript-eslint/type-utils`, loaded on first use: it loads TypeScript (about 0.5 s per process), which a lint
 * run without type information never needs. Only code that already holds type information calls this.
 */
export function typeUtils(): TypeUtils {
  loaded ??= require('@typescript-eslint/type-utils') as TypeUtils;
  return loaded;
}
