// @ts-check
// The packages as a user gets them: `npm pack` of each workspace (the build `npm test` made), and their tarballs
// unpacked where a test project resolves them.
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.mjs';

const execFileAsync = promisify(execFile);

/**
 * @typedef {{ name: string, directory: string, tarball: string, manifest: Record<string, any> }} PackedPackage
 */

/**
 * Packs every workspace package into `destination`.
 * @param {string} destination
 * @returns {Promise<PackedPackage[]>} in the root package.json's workspace order
 */
export async function packWorkspaces(destination) {
  await mkdir(destination, { recursive: true });
  const root = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
  /** @type {PackedPackage[]} */
  const packed = [];
  for (const directory of /** @type {string[]} */ (root.workspaces)) {
    const cwd = join(repoRoot, directory);
    const { stdout } = await execFileAsync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], { cwd, timeout: 120_000 });
    const [result] = JSON.parse(stdout);
    const manifest = JSON.parse(await readFile(join(cwd, 'package.json'), 'utf8'));
    packed.push({ name: manifest.name, directory, tarball: join(destination, result.filename), manifest });
  }
  return packed;
}

/**
 * Unpacks a tarball as `node_modules/<name>` of `projectDir`, as npm would install it (without its dependencies).
 * @param {PackedPackage} pkg
 * @param {string} projectDir
 */
export async function unpackInto(pkg, projectDir) {
  const target = join(projectDir, 'node_modules', ...pkg.name.split('/'));
  await mkdir(target, { recursive: true });
  await execFileAsync('tar', ['xzf', pkg.tarball, '-C', target, '--strip-components=1'], { timeout: 60_000 });
  return target;
}
