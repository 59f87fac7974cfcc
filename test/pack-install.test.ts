// The whole user path, from the packed tarballs: a fresh project outside this repository (a small CommonJS
// TypeScript service with shutdown hazards, in git, with typescript-eslint and @types/node as services have them)
// installs the packages with the root README's exact install lines (the tarballs in place of the package names),
// then runs the README's "Use it on your service" steps: ESLint 10 with the README's eslint.config.mjs, an
// eslint.config.ts with defineConfig (type-checked by tsc, then run), typescript-eslint's recommendedTypeChecked
// before and after the codemod, the codemod, tsc under node10 and nodenext on the rewritten service, and ESLint 9
// and ESLint 8 (with the legacy eslintrc config the README shows) on copies. Installs come from the npm registry,
// with npm's cache reused between the copies; every step is bounded by a timeout.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packWorkspaces, type PackedPackage } from './support/pack.mjs';
import { readmeSteps, withTarballs, type ReadmeSteps } from './support/readme-install.mjs';

const execFileAsync = promisify(execFile);
const INSTALL_TIMEOUT = 300_000;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(file: string, args: string[], cwd: string, timeout = 180_000): Promise<Outcome> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, {
      cwd,
      timeout,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', npm_config_update_notifier: 'false' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: `${failed.stderr ?? ''}${failed.message}` };
  }
}

const show = (outcome: Outcome) => `exit ${outcome.code}\n${outcome.stdout}\n${outcome.stderr}`;

/** `npm install` in a project: no audit or funding noise, npm's cache preferred (the registry when it lacks a package). */
async function npmInstall(cwd: string, args: string[]): Promise<Outcome> {
  return run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...args], cwd, INSTALL_TIMEOUT);
}

// ---- the service, in our own words ----

const SERVICE = `import * as http from 'node:http';

async function refreshCache(): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 10));
}

async function recordVisit(path: string): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 5));
  console.log('visited', path);
}

setInterval(() => {
  refreshCache().catch((error: unknown) => console.error(error));
}, 60_000);

const server = http.createServer((request, response) => {
  recordVisit(request.url ?? '/');
  response.end('ok');
});
server.listen(0, '127.0.0.1');

process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
`;

/** typescript-eslint's recommendedTypeChecked alone, as a service that runs typescript-eslint has it. */
const TYPESCRIPT_ESLINT_CONFIG = `import tseslint from 'typescript-eslint';
export default tseslint.config(
  { files: ['src/**/*.ts'], extends: [tseslint.configs.recommendedTypeChecked] },
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
);
`;

const tsconfig = (compilerOptions: Record<string, unknown>, include: string[]) =>
  `${JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'es2022', types: ['node'], skipLibCheck: false, ...compilerOptions }, include }, null, 2)}\n`;

const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'user.name=quiesce pack-install', '-c', 'user.email=pack-install@quiesce.invalid', '-c', 'commit.gpgsign=false', ...args], cwd, 60_000);

let workDir: string;
let project: string;
let packages: PackedPackage[];
let readme: ReadmeSteps;
const installOutcomes: Outcome[] = [];
/** A copy of the project right after the README's install, before any step changed it. */
let pristine: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'quiesce-pack-install-'));
  packages = await packWorkspaces(join(workDir, 'tarballs'));
  readme = await readmeSteps();
  project = join(workDir, 'service');
  await mkdir(join(project, 'src'), { recursive: true });
  await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'pack-install-service', version: '1.0.0', private: true, scripts: { start: 'node dist/main.js' } }, null, 2)}\n`);
  await writeFile(join(project, 'src', 'main.ts'), SERVICE);
  await writeFile(join(project, 'tsconfig.json'), tsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }, ['src', 'eslint.config.ts']));
  await writeFile(join(project, '.gitignore'), 'node_modules/\ndist/\n');
  // What the service had before quiesce: typescript-eslint, Node's types, and jiti, which ESLint needs on Node 20
  // to load an eslint.config.ts.
  const existing = await npmInstall(project, ['--save-dev', '@types/node@^20', 'typescript-eslint@^8', 'jiti@^2']);
  if (existing.code !== 0) throw new Error(`the service's own devDependencies did not install:\n${show(existing)}`);
  for (const args of readme.installs) installOutcomes.push(await npmInstall(project, withTarballs(args, packages)));
  pristine = join(workDir, 'pristine');
  await cp(project, pristine, { recursive: true, verbatimSymlinks: true });
}, 2 * INSTALL_TIMEOUT + 120_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const eslintBin = (dir: string) => join(dir, 'node_modules', 'eslint', 'bin', 'eslint.js');
const eslint = (dir: string, args: string[]) => run(process.execPath, [eslintBin(dir), ...args], dir);
const tsc = (dir: string, project: string) => run(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project, '--pretty', 'false'], dir);

/** `file:rule` → count, from ESLint's JSON output. */
function findingsByRule(json: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of JSON.parse(json) as { filePath: string; messages: { ruleId: string | null }[] }[]) {
    for (const message of file.messages) {
      const key = `${file.filePath.slice(file.filePath.lastIndexOf('/src/') + 1)}:${message.ruleId ?? '(parse error)'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

describe('from the packed tarballs, the README path on a fresh service', () => {
  it("the README's install lines: each names the packages, and each installs", () => {
    expect(readme.installs.length).toBeGreaterThan(0);
    const named = readme.installs.flat().filter((arg) => arg.startsWith('@quiesce/'));
    for (const name of ['@quiesce/runtime-shim', '@quiesce/eslint-plugin', '@quiesce/codemod']) expect(named.some((arg) => arg === name || arg.startsWith(`${name}@`))).toBe(true);
    installOutcomes.forEach((outcome, index) => expect(outcome.code, `npm install ${readme.installs[index]!.join(' ')}\n${show(outcome)}`).toBe(0));
  });

  it('one TypeScript in the tree (every package that needs it shares the service\'s)', async () => {
    const listed = await run('npm', ['ls', 'typescript', '--all', '--parseable'], project, 120_000);
    const copies = new Set(listed.stdout.split('\n').filter(Boolean).filter((path) => path.endsWith('/typescript')));
    expect([...copies], show(listed)).toHaveLength(1);
  });

  it("ESLint 10 with the README's eslint.config.mjs reports the service's hazards", async () => {
    const config = readme.files.get('eslint.config.mjs');
    expect(config, 'the README shows an eslint.config.mjs').toBeDefined();
    await writeFile(join(project, 'eslint.config.mjs'), config!);
    const version = await eslint(project, ['--version']);
    expect(version.stdout).toMatch(/^v10\./);
    const result = await eslint(project, ['.']);
    expect(result.stdout, show(result)).toContain('quiesce/no-untracked-timer');
    expect(result.stdout).toContain('quiesce/no-untracked-promise');
    expect(result.stdout).toContain('quiesce/no-abrupt-exit');
    expect(result.code).toBe(1);
  });

  it("the README's eslint.config.ts (defineConfig) type-checks with tsc and runs", async () => {
    const config = readme.files.get('eslint.config.ts');
    expect(config, 'the README shows an eslint.config.ts').toBeDefined();
    await writeFile(join(project, 'eslint.config.ts'), config!);
    expect(config).toContain('defineConfig');
    const checked = await tsc(project, 'tsconfig.json');
    expect(show(checked)).not.toMatch(/error TS/);
    expect(checked.code).toBe(0);
    const result = await eslint(project, ['-c', 'eslint.config.ts', 'src']);
    expect(result.stdout, show(result)).toContain('quiesce/no-untracked-timer');
    expect(result.code).toBe(1);
  });

  let before: Map<string, number>;
  it("typescript-eslint's recommendedTypeChecked, before the codemod", async () => {
    await writeFile(join(project, 'typescript-eslint.config.mjs'), TYPESCRIPT_ESLINT_CONFIG);
    const result = await eslint(project, ['-c', 'typescript-eslint.config.mjs', '--format', 'json', 'src']);
    expect(result.stderr).not.toMatch(/Oops|Error:/);
    before = findingsByRule(result.stdout);
    // The service's fire-and-forget call is typescript-eslint's finding too.
    expect(before.get('src/main.ts:@typescript-eslint/no-floating-promises')).toBe(1);
  });

  it('the codemod rewrites the service (committed first, as it asks); a second run changes nothing', async () => {
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-q', '-m', 'before quiesce']]) expect((await git(project, ...args)).code).toBe(0);
    const codemod = join(project, 'node_modules', '.bin', 'quiesce-codemod');
    const first = await run(codemod, ['.'], project, 300_000);
    expect(first.code, show(first)).toBe(0);
    expect(first.stdout).toMatch(/1 file\(s\) changed/);
    const rewritten = await readFile(join(project, 'src', 'main.ts'), 'utf8');
    expect(rewritten).toContain("from '@quiesce/runtime-shim'");
    // The subpath import that node10 could not resolve (TS2882), checked by tsc below.
    expect(rewritten).toContain("import '@quiesce/runtime-shim/register'");
    expect(rewritten).not.toContain('process.exit(0)');
    const lint = await eslint(project, ['.']);
    expect(lint.stdout, show(lint)).not.toMatch(/quiesce\/no-untracked|quiesce\/no-abrupt-exit/);
    await git(project, 'commit', '-qam', 'quiesce-codemod');
    const second = await run(codemod, ['.'], project, 300_000);
    expect(second.stdout, show(second)).toMatch(/0 file\(s\) changed/);
  });

  it('the rewritten service type-checks with tsc under moduleResolution node10 (CommonJS) and nodenext', async () => {
    // TypeScript 6.0 deprecates node10; a project that still uses it silences that, as this one does.
    await writeFile(join(project, 'tsconfig.node10.json'), tsconfig({ module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0', noUncheckedSideEffectImports: true }, ['src']));
    await writeFile(join(project, 'tsconfig.nodenext.json'), tsconfig({ module: 'nodenext', moduleResolution: 'nodenext', noUncheckedSideEffectImports: true }, ['src']));
    for (const config of ['tsconfig.node10.json', 'tsconfig.nodenext.json']) {
      const result = await tsc(project, config);
      expect(show(result), config).not.toMatch(/error TS/);
      expect(result.code, config).toBe(0);
    }
  });

  it("typescript-eslint's recommendedTypeChecked after the codemod: nothing new on the rewritten file", async () => {
    const result = await eslint(project, ['-c', 'typescript-eslint.config.mjs', '--format', 'json', 'src']);
    const after = findingsByRule(result.stdout);
    const added = [...after].filter(([key, count]) => count > (before.get(key) ?? 0));
    expect(added, result.stdout).toEqual([]);
  });
});

describe('other ESLint versions, on copies of the freshly installed service', () => {
  it("ESLint 9 with the README's eslint.config.mjs reports the hazards", async () => {
    const dir = join(workDir, 'eslint-9');
    await cp(pristine, dir, { recursive: true, verbatimSymlinks: true });
    const installed = await npmInstall(dir, ['--save-dev', 'eslint@^9']);
    expect(installed.code, show(installed)).toBe(0);
    await writeFile(join(dir, 'eslint.config.mjs'), readme.files.get('eslint.config.mjs') ?? '');
    expect((await eslint(dir, ['--version'])).stdout).toMatch(/^v9\./);
    const result = await eslint(dir, ['.']);
    expect(result.stdout, show(result)).toContain('quiesce/no-untracked-timer');
    expect(result.code).toBe(1);
  });

  it("ESLint 8.57 with the README's legacy eslintrc config reports the hazards", async () => {
    const legacyName = [...readme.files.keys()].find((name) => name.startsWith('.eslintrc'));
    expect(legacyName, 'the README shows a legacy .eslintrc config for ESLint 8').toBeDefined();
    const dir = join(workDir, 'eslint-8');
    await cp(pristine, dir, { recursive: true, verbatimSymlinks: true });
    const installed = await npmInstall(dir, ['--save-dev', 'eslint@^8.57']);
    expect(installed.code, show(installed)).toBe(0);
    await writeFile(join(dir, legacyName!), readme.files.get(legacyName!)!);
    expect((await eslint(dir, ['--version'])).stdout).toMatch(/^v8\./);
    const result = await run(process.execPath, [eslintBin(dir), '.'], dir);
    expect(result.stdout, show(result)).toContain('quiesce/no-untracked-timer');
    expect(result.code).toBe(1);
  });
});
