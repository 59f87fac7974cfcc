// @ts-check
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (this file sits in test/support/). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const fixturesDir = join(repoRoot, 'fixtures');
/** Copies of fixtures live under the repo (git-ignored), so a rewritten copy resolves `@quiesce/*` from the root node_modules. */
export const scratchDir = join(repoRoot, 'test', '.tmp');
export const tscBin = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
export const codemodBin = join(repoRoot, 'packages', 'codemod', 'bin', 'quiesce-codemod.js');
export const eslintPluginEntry = join(repoRoot, 'packages', 'eslint-plugin', 'dist', 'index.js');
