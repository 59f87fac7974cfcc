#!/usr/bin/env node
// What a user's install of the packages costs: packs every workspace, makes a fresh project that already has what a
// TypeScript service linting with typescript-eslint has (typescript, eslint, typescript-eslint, @types/node), then
// runs the root README's install lines with the tarballs in place of the package names. Prints node_modules'
// bytes and packages before and after, the TypeScript packages in the tree, the TypeScript compilers on disk
// (a bundled copy counts), and the largest packages the README's install added. `--json` prints the figures as
// JSON; `--tarballs <dir>` installs the tarballs in that directory (one per package, as `npm pack` names them)
// instead of packing the workspaces, to measure another version. Needs the build (`npm run build`) and the npm
// registry (npm's cache is used when it has the packages).
import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { packWorkspaces } from '../test/support/pack.mjs';
import { readmeSteps, withTarballs } from '../test/support/readme-install.mjs';

const run = promisify(execFile);
const SERVICE_BASELINE = ['typescript@~6.0', 'eslint@^10', 'typescript-eslint@^8', '@types/node@^20'];

async function npmInstall(cwd, args) {
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...args], { cwd, timeout: 600_000, maxBuffer: 64 << 20 });
}

/** Bytes of every file under `dir` (symbolic links counted as links, not followed). */
async function bytesUnder(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await bytesUnder(path);
    else total += (await lstat(path)).size;
  }
  return total;
}

/** Every installed package: directory (relative to the project) → name@version. */
async function installedPackages(project) {
  const { stdout } = await run('npm', ['ls', '--all', '--parseable', '--long'], { cwd: project, maxBuffer: 64 << 20 }).catch((error) => error);
  const packages = new Map();
  for (const line of String(stdout ?? '').split('\n')) {
    const [path, id] = line.split(':');
    if (!path || !id || path === project) continue;
    packages.set(relative(project, path), id);
  }
  return packages;
}

/** TypeScript compilers on disk: the typescript package's and any bundled copy (ts-morph ships one). */
async function compilers(dir, found = []) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await compilers(path, found);
    else if (entry.name === 'typescript.js' && (await lstat(path)).size > 1_000_000) found.push(path);
  }
  return found;
}

async function measure(project) {
  const packages = await installedPackages(project);
  const typescriptPackages = [...packages].filter(([path]) => path.split(sep).at(-1) === 'typescript').map(([path, id]) => `${id} (${path})`);
  const compilerFiles = (await compilers(join(project, 'node_modules'))).map((path) => relative(project, path));
  return { bytes: await bytesUnder(join(project, 'node_modules')), packages, typescriptPackages, compilerFiles };
}

/** The tarballs `npm pack` wrote into `dir`, with the package name each holds. */
async function tarballsIn(dir) {
  if (!dir) throw new Error('--tarballs needs a directory');
  const found = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.tgz')) continue;
    const tarball = join(dir, name);
    const { stdout } = await run('tar', ['xzOf', tarball, 'package/package.json']);
    found.push({ name: JSON.parse(stdout).name, tarball });
  }
  return found;
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

async function main() {
  const json = process.argv.includes('--json');
  const work = await mkdtemp(join(tmpdir(), 'quiesce-footprint-'));
  try {
    const given = process.argv.indexOf('--tarballs');
    const tarballs = given === -1 ? await packWorkspaces(join(work, 'tarballs')) : await tarballsIn(process.argv[given + 1]);
    const project = join(work, 'service');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'footprint-service', version: '1.0.0', private: true }, null, 2)}\n`);
    await npmInstall(project, ['--save-dev', ...SERVICE_BASELINE]);
    const before = await measure(project);
    const { installs } = await readmeSteps();
    for (const args of installs) await npmInstall(project, withTarballs(args, tarballs));
    const after = await measure(project);
    const added = [];
    for (const [path, id] of after.packages) {
      if (before.packages.has(path) && before.packages.get(path) === id) continue;
      added.push({ id, path, bytes: await bytesUnder(join(project, path)).catch(() => 0) });
    }
    // A package's bytes include its nested node_modules; count each only at its own level for the top list.
    added.sort((a, b) => b.bytes - a.bytes);
    const figures = {
      baseline: SERVICE_BASELINE,
      readmeInstalls: installs.map((args) => `npm install ${args.join(' ')}`),
      before: { bytes: before.bytes, packages: before.packages.size },
      after: { bytes: after.bytes, packages: after.packages.size, typescriptPackages: after.typescriptPackages, compilerFiles: after.compilerFiles },
      added: { bytes: after.bytes - before.bytes, packages: added.length, largest: added.slice(0, 12).map(({ id, bytes }) => ({ id, bytes })) },
    };
    if (json) {
      console.log(JSON.stringify(figures, null, 2));
      return;
    }
    console.log(`service before (${SERVICE_BASELINE.join(' ')}): ${mb(before.bytes)}, ${before.packages.size} packages`);
    for (const line of figures.readmeInstalls) console.log(`  + ${line}`);
    console.log(`after the README's install: ${mb(after.bytes)}, ${after.packages.size} packages`);
    console.log(`added: ${mb(figures.added.bytes)}, ${added.length} packages`);
    console.log(`typescript packages: ${after.typescriptPackages.join(', ')}`);
    console.log(`TypeScript compilers on disk: ${after.compilerFiles.join(', ')}`);
    console.log('largest packages added (with what they nest):');
    for (const { id, bytes } of figures.added.largest) console.log(`  ${mb(bytes).padStart(8)}  ${id}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
