#!/usr/bin/env node
// `npm run test:node-versions`: the runtime shim's tests on the newer Node lines, beside the Node
// that runs everything else. The shim is what runs in production, and it leans on how each Node's
// HTTP server behaves (its parser, its keep-alive handling), so each line it supports is tested.
// Node binaries come from npm's `node-<platform>-<arch>` packages (the registry is the one network
// source CI has), pinned below and kept in .tmp/node-versions/. Run after `npm run build`: some
// tests load the built package. Exits 1 if any version fails, 2 if a binary cannot be had.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The newest release of each line when last bumped; bump them here. */
const versions = ['22.23.3', '24.21.0', '26.12.1'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, '.tmp', 'node-versions');
const shimDir = path.join(root, 'packages', 'runtime-shim');
const vitestEntry = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

const platforms = { linux: 'linux', darwin: 'darwin' };

function fail(message, code) {
  console.error(`test:node-versions: ${message}`);
  process.exit(code);
}

/** The `node` binary of `version` for this machine, downloaded once into the cache. */
function nodeBinary(version) {
  const platform = platforms[process.platform];
  if (platform === undefined) fail(`no Node packages are fetched for ${process.platform}; run the shim's tests under each Node by hand`, 2);
  const spec = `node-${platform}-${process.arch}@${version}`;
  const dir = path.join(cacheDir, `${platform}-${process.arch}-${version}`);
  const binary = path.join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('npm', ['pack', spec, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack wrote no tarball');
    execFileSync('tar', ['xzf', tarball], { cwd: dir, stdio: 'inherit' });
    rmSync(path.join(dir, tarball));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    fail(`could not fetch ${spec} from the npm registry (${error.message}); check the network, or the version pinned in scripts/test-node-versions.mjs`, 2);
  }
  if (!existsSync(binary)) fail(`${spec} has no package/bin/node`, 2);
  return binary;
}

if (!existsSync(path.join(shimDir, 'dist'))) fail('packages/runtime-shim is not built: run `npm run build` (or `npm test`) first', 2);

const outcomes = [];
for (const version of versions) {
  const binary = nodeBinary(version);
  console.log(`\n━━ runtime-shim tests on Node ${version}`);
  // Children the tests start run on process.execPath, so on this Node too; PATH for anything that asks for `node`.
  const result = spawnSync(binary, [vitestEntry, 'run'], {
    cwd: shimDir,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${path.dirname(binary)}${path.delimiter}${process.env.PATH ?? ''}` },
  });
  outcomes.push({ version, passed: result.status === 0, how: result.signal ? `killed by ${result.signal}` : `exit ${result.status}` });
}

console.log('');
for (const { version, passed, how } of outcomes) console.log(`Node ${version}: runtime-shim tests ${passed ? 'passed' : `FAILED (${how})`}`);
process.exit(outcomes.every((outcome) => outcome.passed) ? 0 : 1);
