// Builds the ESM and the CommonJS entry points side by side, so that both `import` and
// `require` get a real module (not a wrapper) with its own type declarations. Builds into a
// staging folder and swaps it in by rename, so nothing ever sees a half-written dist/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rewriteDeclarations } from './declarations-for-older-typescript.mjs';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const dist = join(packageDir, 'dist');
const staging = join(packageDir, `.dist-staging-${process.pid}`);
const retired = join(packageDir, `.dist-retired-${process.pid}`);

try {
  for (const [project, format] of [['tsconfig.json', 'esm'], ['tsconfig.cjs.json', 'cjs']]) {
    execFileSync(process.execPath, [tsc, '-p', join(packageDir, project), '--outDir', join(staging, format)], { stdio: 'inherit' });
  }
  // Declarations that TypeScript 4.2 to 4.4 can parse (see declarations-for-older-typescript.mjs).
  rewriteDeclarations(staging);
  // The package is "type": "module"; this marker makes Node read dist/cjs/*.js as CommonJS.
  mkdirSync(join(staging, 'cjs'), { recursive: true });
  writeFileSync(join(staging, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
  try {
    renameSync(dist, retired);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  renameSync(staging, dist);
} finally {
  rmSync(staging, { recursive: true, force: true });
  rmSync(retired, { recursive: true, force: true });
}
