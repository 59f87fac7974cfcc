// The root README's ESLint config forms, each run as written in a small project of the package type the README
// names for it: the plugin's finding is reported, and Node prints no module-type warning.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, scratchDir } from './support/paths.mjs';

const run = promisify(execFile);
const eslintBin = join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');
const typelessWarning = /MODULE_TYPELESS_PACKAGE_JSON|Reparsing as ES module/;

interface ConfigForm {
  /** `eslint.config.mjs` and so on, from the block's first line. */
  readonly file: string;
  /** What the block's first line says of the package: `"type": "module"`, CommonJS, or any. */
  readonly packageType: 'module' | 'commonjs' | undefined;
  readonly text: string;
}

/** The README's ```js blocks whose first line names an ESLint config file. */
async function readmeConfigForms(): Promise<ConfigForm[]> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const forms: ConfigForm[] = [];
  for (const [, text] of readme.matchAll(/```js\n([\s\S]*?)```/g)) {
    const firstLine = text!.split('\n', 1)[0]!;
    const file = /^\/\/ (eslint\.config\.[cm]?js)\b/.exec(firstLine)?.[1];
    if (file === undefined) continue;
    const packageType = /"type": "module"/.test(firstLine) ? 'module' : /CommonJS/.test(firstLine) ? 'commonjs' : undefined;
    forms.push({ file, packageType, text: text! });
  }
  return forms;
}

const projects: string[] = [];
afterAll(async () => {
  await Promise.all(projects.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A TypeScript project with one untracked interval, under test/.tmp so that it resolves the root's node_modules. */
async function projectWith(name: string, packageType: 'module' | 'commonjs' | undefined, configFile: string, config: string) {
  const dir = join(scratchDir, `config-forms-${name}`);
  projects.push(dir);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'src'), { recursive: true });
  const pkg = { name: `config-forms-${name}`, private: true, ...(packageType ? { type: packageType } : {}) };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  await writeFile(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions: { strict: true, types: ['node'], noEmit: true }, include: ['src'] }, null, 2)}\n`,
  );
  await writeFile(join(dir, 'src', 'worker.ts'), 'export function start(): void {\n  setInterval(() => console.log("tick"), 1000);\n}\n');
  await writeFile(join(dir, configFile), config);
  return dir;
}

async function eslint(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [eslintBin, 'src'], { cwd: dir, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the README config forms', async () => {
  const forms = await readmeConfigForms();

  it('the README shows the .mjs, the "type": "module" .js and the .cjs form', () => {
    expect(forms.map((form) => [form.file, form.packageType])).toEqual([
      ['eslint.config.mjs', undefined],
      ['eslint.config.js', 'module'],
      ['eslint.config.cjs', 'commonjs'],
    ]);
  });

  for (const form of forms) {
    it(`${form.file} in a package of type ${form.packageType ?? '(none)'}: reports the finding, and Node warns of nothing`, async () => {
      const dir = await projectWith(form.file.replaceAll('.', '-'), form.packageType, form.file, form.text);
      const result = await eslint(dir);
      expect(result.stdout).toContain('quiesce/no-untracked-timer');
      expect(result.code).toBe(1);
      expect(result.stderr).not.toMatch(typelessWarning);
    });
  }

  it('a config used as an object, as recommended once was (`[quiesce.configs.recommended]`), fails as the plugin README says', async () => {
    const pluginReadme = await readFile(join(repoRoot, 'packages', 'eslint-plugin', 'README.md'), 'utf8');
    expect(pluginReadme).toContain('that form makes ESLint stop with `TypeError: Unexpected array.`');
    const config = "import quiesce from '@quiesce/eslint-plugin';\nexport default [quiesce.configs.recommended];\n";
    const dir = await projectWith('object-form', undefined, 'eslint.config.mjs', config);
    const result = await eslint(dir);
    expect(result.stderr).toContain('TypeError: Unexpected array.');
    expect(result.code).toBe(2);
  });

  it('the form the README warns against (an ESM eslint.config.js with no "type") does make Node warn', async () => {
    const esm = forms.find((form) => form.file === 'eslint.config.js');
    expect(esm).toBeDefined();
    const dir = await projectWith('typeless-js', undefined, 'eslint.config.js', esm!.text);
    const result = await eslint(dir);
    expect(result.stdout).toContain('quiesce/no-untracked-timer');
    expect(result.stderr).toMatch(typelessWarning);
  });
});
