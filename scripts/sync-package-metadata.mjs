// The project's URL has one place of truth, the root package.json's `repository`: this writes each workspace
// package's `repository` (with its `directory`), `homepage`, `bugs` and `license` from it. A package's `exports`
// is the one place of its entry points: from it this writes `typesVersions`, which gives each subpath its types
// under `moduleResolution: node10` (TypeScript reads no `exports` there, so `@quiesce/runtime-shim/register`
// failed with TS2882). `--check` only compares and exits 1 naming what differs (test/package-metadata.test.ts
// runs it).
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

/** The types file a condition tree gives a CommonJS `require` in Node (what a node10 consumer compiles to). */
function requireTypes(target) {
  if (typeof target === 'string') return target.endsWith('.d.ts') ? target : undefined;
  if (target === null || typeof target !== 'object') return undefined;
  for (const [condition, value] of Object.entries(target)) {
    if (condition === 'browser' || condition === 'import') continue;
    if (condition === 'types' || condition === 'require' || condition === 'node' || condition === 'default') {
      const found = requireTypes(value);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * `typesVersions` for a package's subpath exports (none for a package whose only entry point is `.`): each
 * subpath maps to the types a `require` of it gets, so node10 resolves what node16 and bundler resolve.
 */
export function expectedTypesVersions(pkg) {
  const paths = {};
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath === '.' || !subpath.startsWith('./') || subpath.includes('*') || subpath.endsWith('.json')) continue;
    const types = requireTypes(target);
    if (types !== undefined) paths[subpath.slice(2)] = [types];
  }
  return Object.keys(paths).length === 0 ? undefined : { '*': paths };
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
    const typesVersions = expectedTypesVersions(pkg);
    if (typesVersions !== undefined) expected.typesVersions = typesVersions;
    else if ('typesVersions' in pkg) expected.typesVersions = undefined;
    const differing = Object.keys(expected).filter((key) => JSON.stringify(pkg[key]) !== JSON.stringify(expected[key]));
    if (differing.length === 0) continue;
    if (check) {
      problems.push(`${directory}/package.json: ${differing.join(', ')} differ from what the root package.json and the package's exports give`);
      continue;
    }
    // Keep the file's own key order; new keys go after "description", typesVersions after "exports".
    const updated = {};
    const placeLater = new Set(pkg.exports === undefined ? [] : ['typesVersions']);
    for (const [key, value] of Object.entries(pkg)) {
      if (!(key in expected)) updated[key] = value;
      else if (expected[key] !== undefined) updated[key] = expected[key];
      if (key === 'description') for (const name of Object.keys(expected)) if (!(name in pkg) && !placeLater.has(name) && expected[name] !== undefined) updated[name] = expected[name];
      if (key === 'exports' && !('typesVersions' in pkg) && expected.typesVersions !== undefined) updated.typesVersions = expected.typesVersions;
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
