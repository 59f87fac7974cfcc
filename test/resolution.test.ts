// How the packages resolve for their users, checked on the packed tarballs: @arethetypeswrong/cli and publint on
// every tarball, and a consumer of the runtime shim (its root and every subpath its `exports` names) type-checked
// under each `moduleResolution` (node10, node16, nodenext, bundler), from CommonJS and from ESM, and with the
// older TypeScript versions services still pin (4.2 to 5.0; fetched once from the npm registry into
// .tmp/typescript-versions/).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packWorkspaces, unpackInto, type PackedPackage } from './support/pack.mjs';
import { repoRoot, tscBin } from './support/paths.mjs';

const run = promisify(execFile);
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

interface Outcome {
  code: number;
  output: string;
}

async function outcomeOf(file: string, args: string[], cwd: string): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, timeout: 180_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` || failed.message };
  }
}

let packDir: string;
let projectsDir: string;
let packages: PackedPackage[];

beforeAll(async () => {
  packDir = await mkdtemp(join(tmpdir(), 'quiesce-pack-'));
  // Outside the repository: a project under it would fall back to the workspace packages in its node_modules.
  projectsDir = await mkdtemp(join(tmpdir(), 'quiesce-consumers-'));
  packages = await packWorkspaces(packDir);
});

afterAll(async () => {
  await Promise.all([packDir, projectsDir].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A package with a `require` condition anywhere in its exports ships CommonJS and is held to attw's strict profile. */
function shipsCommonJs(manifest: Record<string, unknown>): boolean {
  return JSON.stringify(manifest.exports ?? {}).includes('"require"');
}

describe('every tarball', () => {
  it('the root package.json names the four workspaces this test packs', async () => {
    expect(packages.map((pkg) => pkg.name)).toEqual(['@quiesce/runtime-shim', '@quiesce/eslint-plugin', '@quiesce/codemod', '@quiesce/verify']);
  });

  it('publint reports nothing', async () => {
    for (const pkg of packages) {
      const result = await outcomeOf(bin('publint'), ['run', pkg.tarball, '--strict'], repoRoot);
      expect(result.output, pkg.name).toContain('All good!');
      expect(result.code, `${pkg.name}:\n${result.output}`).toBe(0);
    }
  });

  it('attw reports nothing: the strict profile for a package that ships CommonJS, esm-only for an ESM-only one', async () => {
    for (const pkg of packages) {
      // A package with no entry point to import (a CLI only, or one not written yet) has no types to check.
      if (pkg.manifest.exports === undefined && pkg.manifest.main === undefined) continue;
      const profile = shipsCommonJs(pkg.manifest) ? 'strict' : 'esm-only';
      const result = await outcomeOf(bin('attw'), [pkg.tarball, '--profile', profile, '--no-color', '--no-emoji'], repoRoot);
      expect(result.code, `${pkg.name} (attw --profile ${profile}):\n${result.output}`).toBe(0);
    }
  });

  it('the runtime shim is held to the strict profile: it ships CommonJS', () => {
    const shim = packages.find((pkg) => pkg.name === '@quiesce/runtime-shim');
    expect(shipsCommonJs(shim!.manifest)).toBe(true);
  });
});

/** The shim's subpaths besides `.`, from its exports (`register`, and any added later). */
function shimSubpaths(shim: PackedPackage): string[] {
  return Object.keys(shim.manifest.exports as Record<string, unknown>)
    .filter((subpath) => subpath !== '.' && !subpath.endsWith('.json'))
    .map((subpath) => `@quiesce/runtime-shim/${subpath.slice(2)}`);
}

/**
 * A consumer in syntax TypeScript 4.2 reads: the side-effect import the codemod writes, a type-only import of every
 * subpath (which fails when its types do not resolve, on every TypeScript version), and values whose types must
 * be the shim's, not `any` (the @ts-expect-error fails if they are).
 */
function consumerSource(subpaths: string[]): string {
  return [
    "import '@quiesce/runtime-shim/register';",
    "import { isShuttingDown, onShutdown, shutdown, track } from '@quiesce/runtime-shim';",
    "import type { ShutdownReport } from '@quiesce/runtime-shim';",
    ...subpaths.map((subpath, index) => `import type * as subpath${index} from '${subpath}';`),
    '',
    "export const report: Promise<ShutdownReport> = shutdown('consumer test');",
    'export const stopping: boolean = isShuttingDown();',
    '// @ts-expect-error the types are the shim\'s, not any: isShuttingDown() returns a boolean',
    'export const wrong: string = isShuttingDown();',
    'onShutdown(async () => {',
    '  await track(Promise.resolve(1));',
    '});',
    `export type Subpaths = [${subpaths.map((_, index) => `typeof subpath${index}`).join(', ')}];`,
    '',
  ].join('\n');
}

interface Mode {
  name: string;
  /** A `.cts` file is CommonJS and a `.mts` file ESM whatever the package's type; `.ts` follows `module`. */
  files: ('consumer.ts' | 'consumer.cts' | 'consumer.mts')[];
  compilerOptions: Record<string, unknown>;
}

const modes: Mode[] = [
  // TypeScript 6.0 deprecates node10; a project that still uses it silences that, as this one does.
  { name: 'node10, CommonJS', files: ['consumer.ts'], compilerOptions: { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' } },
  { name: 'node16, CommonJS and ESM', files: ['consumer.cts', 'consumer.mts'], compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'nodenext, CommonJS and ESM', files: ['consumer.cts', 'consumer.mts'], compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'bundler, ESM', files: ['consumer.ts'], compilerOptions: { module: 'esnext', moduleResolution: 'bundler' } },
  { name: 'bundler, module preserve', files: ['consumer.ts'], compilerOptions: { module: 'preserve', moduleResolution: 'bundler' } },
];

/**
 * A project with the shim's tarball unpacked in its node_modules, consumer files, and `@types/node` (with what it
 * imports) linked from `typesFrom`'s node_modules.
 */
async function consumerProject(label: string, files: string[], compilerOptions: Record<string, unknown>, typesFrom: string): Promise<string> {
  const dir = join(projectsDir, label.replace(/[^a-z0-9.]+/gi, '-'));
  await mkdir(join(dir, 'node_modules', '@types'), { recursive: true });
  const shim = packages.find((pkg) => pkg.name === '@quiesce/runtime-shim')!;
  await unpackInto(shim, dir);
  for (const linked of ['@types/node', 'undici-types']) {
    if (existsSync(join(typesFrom, 'node_modules', linked))) await symlink(join(typesFrom, 'node_modules', linked), join(dir, 'node_modules', linked), 'dir');
  }
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true }, null, 2)}\n`);
  for (const file of files) await writeFile(join(dir, file), consumerSource(shimSubpaths(shim)));
  const options = { strict: true, noEmit: true, target: 'es2019', types: ['node'], ...compilerOptions };
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions: options, files }, null, 2)}\n`);
  return dir;
}

describe("the runtime shim's types for a consumer", () => {
  for (const mode of modes) {
    it.concurrent(`${mode.name}: the root and every subpath type-check (TypeScript 6.0, side-effect imports checked)`, async () => {
      const dir = await consumerProject(mode.name, mode.files, { ...mode.compilerOptions, noUncheckedSideEffectImports: true }, repoRoot);
      const result = await outcomeOf(process.execPath, [tscBin, '-p', dir, '--pretty', 'false'], dir);
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    });
  }

  it.concurrent('node10: without the subpath mapping the side-effect import fails with TS2882 (the test can tell)', async () => {
    const dir = await consumerProject('node10-no-typesVersions', ['consumer.ts'], { ...modes[0]!.compilerOptions, noUncheckedSideEffectImports: true }, repoRoot);
    const manifestFile = join(dir, 'node_modules', '@quiesce', 'runtime-shim', 'package.json');
    const { typesVersions: _dropped, ...manifest } = packages.find((pkg) => pkg.name === '@quiesce/runtime-shim')!.manifest;
    await writeFile(manifestFile, JSON.stringify(manifest));
    const result = await outcomeOf(process.execPath, [tscBin, '-p', dir, '--pretty', 'false'], dir);
    expect(result.output).toContain('TS2882');
  });
});

/** TypeScript versions services still pin, with an @types/node of their time (the newest that 4.2 reads). */
const olderTypeScripts = ['4.2.4', '4.4.4', '4.5.5', '4.7.4', '5.0.4'];
const olderTypesNode = '14.18.63';
const olderDir = join(repoRoot, '.tmp', 'typescript-versions');

describe("the runtime shim's types on older TypeScript", () => {
  beforeAll(async () => {
    const missing = olderTypeScripts.filter((version) => !existsSync(join(olderDir, 'node_modules', `typescript-${version}`, 'bin', 'tsc')));
    if (missing.length === 0 && existsSync(join(olderDir, 'node_modules', '@types', 'node', 'package.json'))) return;
    await mkdir(olderDir, { recursive: true });
    await writeFile(join(olderDir, 'package.json'), `${JSON.stringify({ name: 'typescript-versions', private: true }, null, 2)}\n`);
    const specs = [...olderTypeScripts.map((version) => `typescript-${version}@npm:typescript@${version}`), `@types/node@${olderTypesNode}`];
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], { cwd: olderDir, timeout: 300_000 });
  }, 320_000);

  for (const version of olderTypeScripts) {
    it.concurrent(`TypeScript ${version}, moduleResolution node, CommonJS, no skipLibCheck: the root and every subpath type-check`, async () => {
      const dir = await consumerProject(`typescript-${version}`, ['consumer.ts'], { module: 'commonjs', moduleResolution: 'node' }, olderDir);
      const tsc = join(olderDir, 'node_modules', `typescript-${version}`, 'bin', 'tsc');
      const result = await outcomeOf(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], dir);
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    });
  }
});

describe('the control: what TypeScript 4.2 made of the declarations as tsc writes them', () => {
  it('an inline type modifier, as in the sources, is a parse error for TypeScript 4.2 (TS1005)', async () => {
    const dir = await consumerProject('typescript-4.2-inline-type-modifier', ['consumer.ts'], { module: 'commonjs', moduleResolution: 'node' }, olderDir);
    // The declarations node resolution gives the root (the manifest's `types`), with an import written as the sources write it.
    const shimDir = join(dir, 'node_modules', '@quiesce', 'runtime-shim');
    const index = join(shimDir, (JSON.parse(await readFile(join(shimDir, 'package.json'), 'utf8')) as { types: string }).types);
    const text = await readFile(index, 'utf8');
    await writeFile(index, `import { type ShutdownReport as InlineTyped } from './core/index.js';\nexport type Control = InlineTyped;\n${text}`);
    const result = await outcomeOf(process.execPath, [join(olderDir, 'node_modules', 'typescript-4.2.4', 'bin', 'tsc'), '-p', dir, '--pretty', 'false'], dir);
    expect(result.output).toContain('error TS1005');
  });
});
