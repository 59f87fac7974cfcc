// @ts-check
// Loads a built @quiesce/eslint-plugin package from a folder and makes the config a new user writes from its README:
// `[...quiesce.configs['recommended-type-checked']]`, with the repository as `tsconfigRootDir`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** @param {string} pluginDir a folder holding the package's package.json and its built dist/ */
export function pluginEntry(pluginDir) {
  const dir = resolve(pluginDir);
  const manifestFile = join(dir, 'package.json');
  if (!existsSync(manifestFile)) throw new Error(`--plugin ${pluginDir}: no package.json there; give the folder of @quiesce/eslint-plugin`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  if (manifest.name !== '@quiesce/eslint-plugin') throw new Error(`--plugin ${pluginDir}: package.json names ${manifest.name}, not @quiesce/eslint-plugin`);
  const dot = manifest.exports?.['.'];
  const relativeEntry = (typeof dot === 'string' ? dot : (dot?.import ?? dot?.default)) ?? manifest.main;
  const entry = join(dir, relativeEntry);
  if (!existsSync(entry)) {
    throw new Error(`--plugin ${pluginDir}: ${relativeEntry} does not exist; build it first (npm run build -w @quiesce/eslint-plugin in its checkout)`);
  }
  return { dir, entry, version: String(manifest.version), revision: revisionOf(dir) };
}

/** Which code was measured: the folder's git commit, and whether its sources differ from it. */
function revisionOf(/** @type {string} */ dir) {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--', '.'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return changed === '' ? commit : `${commit} with uncommitted changes`;
  } catch {
    return 'not a git checkout';
  }
}

/**
 * @param {string} pluginDir
 * @param {string} repoDir the repository being linted (its tsconfigs are found from there)
 * @returns {Promise<import('eslint').Linter.Config[]>}
 */
export async function recommendedTypeChecked(pluginDir, repoDir) {
  const { entry } = pluginEntry(pluginDir);
  const module = await import(pathToFileURL(entry).href);
  const plugin = module.default ?? module;
  const config = plugin.configs?.['recommended-type-checked'];
  if (!config) throw new Error(`--plugin ${pluginDir}: the plugin has no configs['recommended-type-checked']`);
  return [...(Array.isArray(config) ? config : [config]), { languageOptions: { parserOptions: { tsconfigRootDir: repoDir } } }];
}
