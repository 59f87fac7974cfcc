// @ts-check
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { codemodBin } from './paths.mjs';
import { commitAsOwnRepo, copyFixture } from './workspace.mjs';

/**
 * Runs the `quiesce-codemod` CLI (the built bin of @quiesce/codemod) in `dir`.
 * @param {string} dir
 * @param {string[]} [args]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function runCodemod(dir, args = []) {
  return new Promise((resolve) => {
    execFile(process.execPath, [codemodBin, ...args], { cwd: dir, timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A copy of `fixtures/<name>`, committed in a git repository of its own, then rewritten by the
 * codemod; throws with the codemod's output when it fails.
 * @param {string} name
 * @param {string} label
 */
export async function rewriteFixtureCopy(name, label) {
  const dir = await copyFixture(name, label);
  await commitAsOwnRepo(dir);
  const run = await runCodemod(dir);
  if (run.code !== 0) throw new Error(`quiesce-codemod exited ${run.code} on a copy of ${name}:\n${run.stdout}\n${run.stderr}`);
  return { dir, run };
}

/**
 * Every file under `dir/sub` with its text, to compare before and after a run.
 * @param {string} dir
 * @param {string} [sub]
 * @returns {Promise<Map<string, string>>}
 */
export async function snapshotSources(dir, sub = 'src') {
  const files = new Map();
  for (const entry of await readdir(join(dir, sub), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return files;
}
