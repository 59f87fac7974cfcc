// The plugin and the codemod loaded with a TypeScript outside their range (>=5.3.0 <6.1.0: typescript-eslint 8's upper
// bound, and TypeScript 5.3's API, which the detection uses): a
// project under test/.tmp whose node_modules holds the built packages (copies of their package.json and dist/, so
// that Node resolves `typescript` from the project, as in a user's install) and a fake `typescript` of another
// version, whose code throws if anything loads it. ESLint 10 (flat), ESLint 8 (eslintrc) and quiesce-codemod must
// each fail with exit code 2 and one line naming the installed and the supported versions, TypeScript never loaded.
import { execFile } from 'node:child_process';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, scratchDir } from './support/paths.mjs';

const supported = '>=5.3.0 <6.1.0';
const projects: string[] = [];
afterAll(async () => {
  await Promise.all(projects.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A project that has the built plugin and codemod, and a fake TypeScript `version`. */
async function projectWithTypeScript(version: string): Promise<string> {
  const dir = join(scratchDir, `unsupported-typescript-${version}-${process.pid}`);
  projects.push(dir);
  await rm(dir, { recursive: true, force: true });
  const modules = join(dir, 'node_modules');
  await mkdir(join(modules, 'typescript', 'lib'), { recursive: true });
  await writeFile(join(modules, 'typescript', 'package.json'), JSON.stringify({ name: 'typescript', version, main: 'lib/typescript.js' }));
  await writeFile(join(modules, 'typescript', 'lib', 'typescript.js'), `throw new Error('the fake TypeScript ${version} was loaded');\n`);
  for (const [name, entries] of [
    ['eslint-plugin', ['package.json', 'dist']],
    ['codemod', ['package.json', 'dist', 'bin']],
  ] as const) {
    for (const entry of entries) await cp(join(repoRoot, 'packages', name, entry), join(modules, '@quiesce', name, entry), { recursive: true });
  }
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ['src'] }));
  await writeFile(join(dir, 'src', 'worker.ts'), 'setInterval(() => console.log("tick"), 1000);\n');
  await writeFile(join(dir, 'eslint.config.mjs'), "import quiesce from '@quiesce/eslint-plugin';\nexport default [...quiesce.configs.recommendedTypeChecked];\n");
  await writeFile(join(dir, '.eslintrc.json'), JSON.stringify({ root: true, extends: ['plugin:@quiesce/legacy-recommended-type-checked'] }));
  return dir;
}

function runNode(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, timeout: 60_000, env: { ...process.env, NO_COLOR: '1', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** stderr without ESLint's frame around a fatal error ("Oops! Something went wrong! :(", "ESLint: 10.15.0"). */
function linesOf(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('Oops! Something went wrong!') && !/^ESLint: \d/.test(line));
}

describe('loaded with an unsupported TypeScript', () => {
  for (const version of ['7.0.0', '5.2.2']) {
    const line = (program: string) =>
      new RegExp(
        `^${program}: TypeScript ${version.replaceAll('.', '\\.')} is installed \\(.*node_modules[\\\\/]typescript\\), but quiesce supports TypeScript ${supported}: npm i -D typescript@~6\\.0`,
      );

    it(`TypeScript ${version}: ESLint 10, ESLint 8 (eslintrc) and quiesce-codemod fail with one line naming both versions`, async () => {
      const dir = await projectWithTypeScript(version);

      const flat = await runNode(dir, [join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js'), 'src']);
      expect(linesOf(flat.stderr)).toHaveLength(1);
      expect(linesOf(flat.stderr)[0]).toMatch(line('@quiesce/eslint-plugin'));
      expect(flat.code).toBe(2);

      const eslintrc = await runNode(dir, [join(repoRoot, 'node_modules', 'eslint-v8', 'bin', 'eslint.js'), 'src'], { ESLINT_USE_FLAT_CONFIG: 'false' });
      expect(linesOf(eslintrc.stderr)).toHaveLength(1);
      expect(linesOf(eslintrc.stderr)[0]).toMatch(line('@quiesce/eslint-plugin'));
      expect(eslintrc.code).toBe(2);

      const codemod = await runNode(dir, [join(dir, 'node_modules', '@quiesce', 'codemod', 'bin', 'quiesce-codemod.js'), '--dry-run']);
      expect(linesOf(codemod.stderr)).toEqual([expect.stringMatching(line('quiesce-codemod'))]);
      expect(codemod.stdout).toBe('');
      expect(codemod.code).toBe(2);
    });
  }
});
