// Builds the ESM and the CommonJS entry points side by side, so that both `import` and
// `require` get a real module (not a wrapper) with its own type declarations.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const dist = join(packageDir, 'dist');

rmSync(dist, { recursive: true, force: true });
rmSync(join(packageDir, 'tsconfig.tsbuildinfo'), { force: true });
for (const project of ['tsconfig.json', 'tsconfig.cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', join(packageDir, project)], { stdio: 'inherit' });
}
// The package is "type": "module"; this marker makes Node read dist/cjs/*.js as CommonJS.
mkdirSync(join(dist, 'cjs'), { recursive: true });
writeFileSync(join(dist, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
