// @ts-check
import { execFile } from 'node:child_process';
import { cp, mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { fixturesDir, scratchDir, tscBin } from './paths.mjs';

const execFileAsync = promisify(execFile);
const SKIPPED_WHEN_COPYING = new Set(['dist', 'node_modules', '.data']);
let copies = 0;

/**
 * Copies `fixtures/<name>` to a fresh directory under test/.tmp (build output left behind).
 * @param {string} name fixture directory name, e.g. 'heat-engine'
 * @param {string} label what the copy is for, e.g. 'before'; part of the directory name
 * @returns {Promise<string>} the copy's directory
 */
export async function copyFixture(name, label) {
  const source = join(fixturesDir, name);
  copies += 1;
  const target = join(scratchDir, `${label}-${name}-${process.pid}-${copies}`);
  await rm(target, { recursive: true, force: true });
  await mkdir(scratchDir, { recursive: true });
  await cp(source, target, { recursive: true, filter: (path) => !SKIPPED_WHEN_COPYING.has(basename(path)) });
  return target;
}

/**
 * Makes the copy a git repository of its own with everything committed, as a user's checkout is
 * before running the codemod (the codemod respects the enclosing repo's .gitignore, and the
 * surrounding test/.tmp is ignored by this repo).
 * @param {string} dir
 */
export async function commitAsOwnRepo(dir) {
  const git = (/** @type {string[]} */ ...args) =>
    execFileAsync('git', ['-c', 'user.name=quiesce e2e', '-c', 'user.email=e2e@quiesce.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      timeout: 30_000,
    });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'service before quiesce');
}

/** @param {string} dir a directory made by copyFixture */
export async function removeCopy(dir) {
  if (!dir.startsWith(scratchDir)) throw new Error(`refusing to remove ${dir}: not under ${scratchDir}`);
  await rm(dir, { recursive: true, force: true });
}

/**
 * Runs the repo's TypeScript compiler on a project directory.
 * @param {string} projectDir directory with a tsconfig.json
 * @param {{ noEmit?: boolean }} [options]
 * @returns {Promise<{ ok: boolean, output: string }>} ok is false when tsc reported errors
 */
export async function runTsc(projectDir, options = {}) {
  const args = [tscBin, '-p', projectDir, '--pretty', 'false'];
  if (options.noEmit) args.push('--noEmit');
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, args, { timeout: 120_000 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failure = /** @type {{ stdout?: string, stderr?: string, message: string }} */ (error);
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` || failure.message };
  }
}

/**
 * Compiles a TypeScript fixture (or copy) to its dist/ and fails loudly when it does not compile.
 * @param {string} projectDir
 */
export async function buildTypeScript(projectDir) {
  const { ok, output } = await runTsc(projectDir);
  if (!ok) throw new Error(`tsc -p ${projectDir} failed:\n${output}`);
}
