// The project's URL has one place of truth, the root package.json's `repository`: this writes each workspace
// package's `repository` (with its `directory`), `homepage`, `bugs` and `license` from it. `--check` only compares
// and exits 1 naming what differs (test/package-metadata.test.ts runs it).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What a workspace package's metadata must be, derived from the root package.json. */
export function expectedMetadata(rootPackage, directory) {
  const url = rootPackage.repository?.url;
  const match = /^git\+(https:\/\/github\.com\/[^/]+\/[^/]+?)\.git$/.exec(url ?? '');
  if (!match) throw new Error(`package.json: repository.url must look like git+https://github.com/<owner>/<name>.git, not ${url}`);
  const web = match[1];
  return {
    license: rootPackage.license,
    repository: { type: 'git', url, directory },
    homepage: `${web}/tree/main/${directory}#readme`,
    bugs: { url: `${web}/issues` },
  };
}

async function main() {
  const check = process.argv.includes('--check');
  const rootPackage = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const problems = [];
  for (const directory of rootPackage.workspaces) {
    const file = join(root, directory, 'package.json');
    const text = await readFile(file, 'utf8');
    const pkg = JSON.parse(text);
    const expected = expectedMetadata(rootPackage, directory);
    const differing = Object.keys(expected).filter((key) => JSON.stringify(pkg[key]) !== JSON.stringify(expected[key]));
    if (differing.length === 0) continue;
    if (check) {
      problems.push(`${directory}/package.json: ${differing.join(', ')} differ from the root package.json's`);
      continue;
    }
    // Keep the file's own key order; new keys go after "description".
    const updated = {};
    for (const [key, value] of Object.entries(pkg)) {
      updated[key] = key in expected ? expected[key] : value;
      if (key === 'description') for (const name of Object.keys(expected)) if (!(name in pkg)) updated[name] = expected[name];
    }
    await writeFile(file, `${JSON.stringify(updated, null, 2)}\n`);
    console.log(`${directory}/package.json: wrote ${differing.join(', ')}`);
  }
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\nRun \`node scripts/sync-package-metadata.mjs\` to write them.`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
