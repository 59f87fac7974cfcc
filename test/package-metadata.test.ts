// What each package ships and says about itself: a LICENSE, metadata written from the root package.json's
// repository (the one place of the project's URL, which the rules' docs links use too), and no source maps
// without their sources.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/paths.mjs';

const run = promisify(execFile);
const rootPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[]; repository: { url: string } };
const webUrl = rootPackage.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

interface PackResult {
  files: { path: string }[];
}

describe('package metadata', () => {
  it('every package has the repository, homepage, bugs and license the root package.json gives it, and the typesVersions its exports give', async () => {
    const { stdout } = await run(process.execPath, [join(repoRoot, 'scripts', 'sync-package-metadata.mjs'), '--check'], { cwd: repoRoot });
    expect(stdout).toBe('');
  });

  for (const directory of rootPackage.workspaces) {
    it(`${directory}: the tarball has LICENSE and README, no source map and no reference to one`, async () => {
      const pkg = JSON.parse(readFileSync(join(repoRoot, directory, 'package.json'), 'utf8')) as { keywords?: string[] };
      expect(pkg.keywords?.length ?? 0).toBeGreaterThan(0);
      const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(repoRoot, directory) });
      const [packed] = JSON.parse(stdout) as PackResult[];
      const paths = packed!.files.map((file) => file.path);
      expect(paths).toContain('LICENSE');
      expect(paths).toContain('README.md');
      expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
      const referencing = paths
        .filter((path) => /\.[cm]?js$|\.d\.[cm]?ts$/.test(path))
        .filter((path) => readFileSync(join(repoRoot, directory, path), 'utf8').includes('sourceMappingURL='));
      expect(referencing).toEqual([]);
    });
  }

  it("the plugin's rule docs links point at the same repository, at files that exist", async () => {
    const plugin = (await import(pathToFileURL(join(repoRoot, 'packages', 'eslint-plugin', 'dist', 'index.js')).href)) as {
      default: { rules: Record<string, { meta: { docs?: { url?: string } } }> };
    };
    const base = `${webUrl}/blob/main/`;
    for (const [name, rule] of Object.entries(plugin.default.rules)) {
      const url = rule.meta.docs?.url ?? '';
      expect(url, name).toMatch(new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      expect(existsSync(join(repoRoot, url.slice(base.length))), url).toBe(true);
    }
  });
});
