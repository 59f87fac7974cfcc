#!/usr/bin/env node
// The codemod's real-code evaluation (issue #15, "How it is proven").
//
// For each fetched repository (a pristine checkout with its dependencies installed, described by
// eval/real/repos/<owner>__<name>.json) it copies the checkout to a scratch folder, runs quiesce-codemod with its
// defaults as a new user would, and records before → after: type-check errors, build, test pass/fail counts, the
// repository's own formatter/lint check on the changed files, the changed files (and which are tests or examples),
// whether a library was given process-wide behaviour, a second run's changes, review items, and for services the
// runtime outcome of a SIGTERM mid-work (recipes in eval/real/codemod/runtime.json).
//
//   node scripts/eval-real/codemod.mjs <folder> [--repo owner/name]… [--codemod <dir>] [--shim <dir>]
//        [--repos-dir <dir>] [--scratch <dir>] [--out <file>] [--fresh-before] [--no-runtime | --runtime-only] [--json]
//
// Also imported by scripts/eval-real/index.mjs (`npm run eval:real -- <folder> --codemod`): run(folder, options).
// Not part of CI: CI has no fetched repositories. Results hold figures and facts, never the repositories' code.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync, cpSync, statSync, renameSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const DEFAULTS = {
  codemod: path.join(ROOT, 'packages', 'codemod'),
  reposDir: path.join(ROOT, 'eval', 'real', 'repos'),
  out: path.join(ROOT, 'eval', 'real', 'codemod', 'results.json'),
  runtime: path.join(ROOT, 'eval', 'real', 'codemod', 'runtime.json'),
  notes: path.join(ROOT, 'eval', 'real', 'codemod', 'notes.json'),
};
const MINUTE = 60_000;
const LIMITS = { codemod: 20 * MINUTE, typecheck: 10 * MINUTE, build: 10 * MINUTE, test: 20 * MINUTE, format: 5 * MINUTE };
const GIT_ID = ['-c', 'user.name=quiesce-eval', '-c', 'user.email=eval@localhost', '-c', 'commit.gpgsign=false'];

// ---------------------------------------------------------------------------------------------------------------
// Processes: every command runs niced, in its own process group, bounded in time; the whole group is killed after.

function baseEnv(cwd) {
  const bins = [];
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    bins.push(path.join(dir, 'node_modules', '.bin'));
    if (path.dirname(dir) === dir) break;
  }
  return {
    ...process.env,
    PATH: [...bins, process.env.PATH].join(path.delimiter),
    CI: 'true',
    HUSKY: '0',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    NODE_ENV: process.env.NODE_ENV ?? 'test',
    npm_config_update_notifier: 'false',
  };
}

function killGroup(child, signal = 'SIGKILL') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Runs a shell command; resolves { code, signal, timedOut, ms, output } (stdout and stderr interleaved, capped). */
function sh(command, { cwd, timeout = 10 * MINUTE, env = {} } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('nice', ['-n', '10', 'bash', '-c', command], {
      cwd,
      env: { ...baseEnv(cwd), ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks = [];
    let size = 0;
    const take = (chunk) => {
      size += chunk.length;
      chunks.push(chunk);
      while (size > 32 * 1024 * 1024 && chunks.length > 1) size -= chunks.shift().length;
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeout);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child); // anything it left behind in its group
      resolve({ code, signal, timedOut, ms: Date.now() - started, output: stripAnsi(Buffer.concat(chunks).toString('utf8')) });
    });
  });
}

function git(cwd, ...args) {
  const result = spawnSync('git', [...GIT_ID, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd}: ${result.stderr.trim()}`);
  return result.stdout;
}

const stripAnsi = (text) => text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\r(?!\n)/g, '\n');

// ---------------------------------------------------------------------------------------------------------------
// Reading outputs.

/** Type-check errors: TypeScript's `error TS1234` lines (tsc, vue-tsc, tsc -b), with their codes. */
export function typeErrors(output) {
  const codes = {};
  const files = {};
  let count = 0;
  for (const match of output.matchAll(/^(.*?)error (TS\d+):/gm)) {
    count++;
    codes[match[2]] = (codes[match[2]] ?? 0) + 1;
    // "file(line,col): error", "file:line:col - error" (pretty), or no file (an options error)
    const file = match[1].match(/^\s*(\S.*?)(?:\(\d+,\d+\)|:\d+:\d+)/)?.[1];
    if (file) files[file] = (files[file] ?? 0) + 1;
  }
  return { count, codes, files };
}

/** Test counts from the runners' own summaries (jest, vitest, mocha, ava, tap, node:test); summed over runs. */
export function testCounts(output) {
  let passed = 0;
  let failed = 0;
  let found = false;
  const add = (p, f) => {
    found = true;
    passed += p;
    failed += f;
  };
  const num = (line, re) => Number(line.match(re)?.[1] ?? 0);
  for (const line of output.split('\n')) {
    const t = line.trim();
    // jest "Tests:       1 failed, 12 passed, 13 total"; vitest "Tests  1 failed | 12 passed (13)"
    if (/^Tests:?\s+.*\d+ (passed|failed)/.test(t) && !/Test Files/.test(t)) {
      add(num(t, /(\d+) passed/), num(t, /(\d+) failed/));
    } else if (/^\d+ passing\b/.test(t)) add(Number(t.match(/^(\d+)/)[1]), 0); // mocha
    else if (/^\d+ failing\b/.test(t)) add(0, Number(t.match(/^(\d+)/)[1]));
    else if (/^\d+ tests? passed\b/.test(t)) add(Number(t.match(/^(\d+)/)[1]), 0); // ava
    else if (/^\d+ tests? failed\b/.test(t)) add(0, Number(t.match(/^(\d+)/)[1]));
    else if (/^\d+ (uncaught exceptions?|unhandled rejections?)\b/.test(t)) add(0, Number(t.match(/^(\d+)/)[1]));
    // node:test (tap and spec reporters) and node-tap
    else if (/^(#|ℹ) pass \d+$/.test(t)) add(Number(t.split(' ')[2]), 0);
    else if (/^(#|ℹ) fail \d+$/.test(t)) add(0, Number(t.split(' ')[2]));
    else if (/^# \{ total: \d+/.test(t)) add(num(t, /pass: (\d+)/), num(t, /fail: (\d+)/));
    else if (/^Asserts:\s+\d+ pass/.test(t)) add(num(t, /(\d+) pass/), num(t, /(\d+) fail/));
  }
  // ava prints "N tests passed" only when nothing failed; otherwise its verbose lines (✔ per passing test) say it.
  if (/^\s*\d+ tests? failed\b/m.test(output) && !/^\s*\d+ tests? passed\b/m.test(output)) {
    passed += [...output.matchAll(/^\s*✔ (?!.*\bknown failure\b)/gm)].length;
  }
  if (!found) {
    // Raw TAP with no summary (old node-tap): top-level points are the test files, one level in are the tests.
    const nested = /^(?:not )?ok \d+ - \S+\.[cm]?[jt]s\b/m.test(output);
    const point = nested ? /^ {4}(not )?ok \d+ - /gm : /^(not )?ok \d+ - /gm;
    for (const m of output.matchAll(point)) add(m[1] ? 0 : 1, m[1] ? 1 : 0);
  }
  return found ? { passed, failed } : { passed: null, failed: null };
}

// ---------------------------------------------------------------------------------------------------------------
// What a repository is.

const TEST_OR_EXAMPLE = /(^|\/)[\w.-]+-tests?\/|(^|\/)examples?\.[cm]?[jt]sx?$|(^|\/)(tests?|__tests__|__mocks__|specs?|e2e|integration-?tests?|examples?|fixtures?|benchmarks?|bench|docs?|demo|samples?|perf-?tests?|test-d|loadtests?)(\/|$)|\.(test|spec|bench|e2e-spec|test-d)\.[cm]?[jt]sx?$/i;
export const isTestOrExample = (file) => TEST_OR_EXAMPLE.test(file);

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function describeRepo(key, reposDir) {
  const file = path.join(reposDir, `${key}.json`);
  if (!existsSync(file)) return undefined;
  const description = readJson(file);
  return description.commands ? description : undefined; // still being described
}

/** Expands `npm run x` / `yarn x` / `pnpm x` in a script into the scripts' own text, to find the tools it runs. */
function expandScripts(command, scripts, depth = 0) {
  if (!command || depth > 5) return command ?? '';
  return command.replace(/\b(?:npm(?:@[\w.-]+)? run(?:-script)?|yarn(?:@[\w.-]+)?(?: run)?|pnpm(?:@[\w.-]+)?(?: run)?)\s+([\w:.-]+)/g, (whole, name) =>
    scripts[name] ? `(${expandScripts(scripts[name], scripts, depth + 1)})` : whole,
  );
}

const FORMATTERS = ['prettier', 'eslint', 'xo', 'standard', 'biome', 'dprint'];

/** The formatter/lint tools the repository's own check runs (from its described format command and scripts). */
function checkTools(repoDir, description) {
  const pkg = existsSync(path.join(repoDir, 'package.json')) ? readJson(path.join(repoDir, 'package.json')) : {};
  const scripts = pkg.scripts ?? {};
  const command = expandScripts(description.commands?.format ?? '', scripts);
  return FORMATTERS.filter((tool) => new RegExp(`(^|[\\s/(&|;"'])${tool}(\\s|$|[)&|;"'])`).test(command));
}

/** Runs one tool's check on the given files; returns { problems, files, code } (problems: errors it reports). */
async function checkFiles(tool, files, cwd) {
  if (files.length === 0) return { problems: 0, filesWithProblems: 0, code: 0 };
  const list = files.map((f) => `'${f.replace(/'/g, `'\\''`)}'`).join(' ');
  const run = (cmd) => sh(cmd, { cwd, timeout: LIMITS.format });
  if (tool === 'prettier') {
    const r = await run(`prettier --list-different --ignore-unknown ${list}`);
    const bad = r.output.split('\n').filter((l) => files.includes(l.trim()));
    const error = r.code === 2 ? r.output.slice(-300) : undefined;
    return { problems: bad.length, filesWithProblems: bad.length, code: r.code, files: bad.map((l) => l.trim()), error };
  }
  if (tool === 'eslint' || tool === 'xo') {
    const r = await run(tool === 'eslint' ? `eslint --format json ${list}` : `xo --reporter=json ${list}`);
    const start = r.output.indexOf('[{');
    const end = r.output.lastIndexOf('}]');
    if (start < 0 || end < 0) {
      const empty = /^\s*\[\]\s*$/m.test(r.output);
      return { problems: empty ? 0 : null, code: r.code, error: empty ? undefined : r.output.slice(-400) };
    }
    try {
      const reports = JSON.parse(r.output.slice(start, end + 2));
      const withProblems = reports.filter((x) => x.errorCount > 0);
      const rules = {};
      for (const x of reports) for (const m of x.messages ?? []) if (m.severity === 2) rules[m.ruleId ?? 'parse'] = (rules[m.ruleId ?? 'parse'] ?? 0) + 1;
      return {
        problems: reports.reduce((n, x) => n + x.errorCount, 0),
        warnings: reports.reduce((n, x) => n + x.warningCount, 0),
        filesWithProblems: withProblems.length,
        files: withProblems.map((x) => path.relative(cwd, x.filePath)),
        rules,
        code: r.code,
      };
    } catch (error) {
      return { problems: null, code: r.code, error: String(error).slice(0, 200) };
    }
  }
  if (tool === 'standard') {
    const r = await run(`standard ${list}`);
    const lines = r.output.split('\n').filter((l) => /:\d+:\d+: /.test(l));
    return { problems: lines.length, filesWithProblems: new Set(lines.map((l) => l.trim().split(':')[0])).size, code: r.code };
  }
  if (tool === 'biome') {
    const r = await run(`biome check ${list}`);
    const found = r.output.match(/Found (\d+) errors?/);
    return { problems: found ? Number(found[1]) : r.code === 0 ? 0 : null, code: r.code };
  }
  const r = await run(`dprint check ${list}`);
  const found = r.output.match(/Found (\d+) not formatted files?/);
  return { problems: found ? Number(found[1]) : r.code === 0 ? 0 : null, code: r.code };
}

async function checkAll(tools, files, cwd) {
  const out = {};
  for (const tool of tools) out[tool] = await checkFiles(tool, files, cwd);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements.

/** Runs a command in a network namespace of its own (loopback only) with a Redis on its default port, for test suites that expect one at 127.0.0.1:6379. */
export async function withTestServices(command, recipe, scratch) {
  const needs = recipe?.testNeeds;
  if (!needs?.length) return command;
  const start = ['ip link set lo up'];
  const stop = [];
  if (needs.includes('redis')) {
    start.push(`redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile /tmp/eval-redis-$$.pid >/dev/null && sleep 1`);
    stop.push('kill $(cat /tmp/eval-redis-$$.pid) 2>/dev/null');
  }
  if (needs.includes('postgres')) {
    const data = path.join(scratch, '.postgres-tests');
    await ensurePostgresCluster(data);
    const pgctl = `runuser -u postgres -- ${PG_BIN}/pg_ctl -D ${data} -w`;
    start.push(`(${pgctl} -m immediate stop >/dev/null 2>&1; true)`, `${pgctl} -l ${data}/log -o "-p 5432 -c listen_addresses=127.0.0.1 -k ${data}" start >/dev/null`);
    stop.push(`${pgctl} -m fast stop >/dev/null`);
  }
  if (recipe.testSetup) start.push(`(${recipe.testSetup})`);
  const script = `${start.join(' && ')} && (${command}); rc=$?; ${stop.join('; ')}; exit $rc`;
  return `unshare -n -- bash -c ${shellQuote(script)}`;
}

const shellQuote = (text) => `'${text.replace(/'/g, `'\\''`)}'`;

async function measure(dir, commands, recipe, scratch) {
  const testNeeds = recipe?.testNeeds;
  const result = {};
  if (commands.typecheck) {
    const r = await sh(commands.typecheck, { cwd: dir, timeout: LIMITS.typecheck });
    const errors = typeErrors(r.output);
    result.typecheck = { errors: errors.count, codes: errors.codes, files: errors.files, exitCode: r.code, timedOut: r.timedOut, ms: r.ms };
    if (errors.count === 0 && r.code !== 0) result.typecheck.tail = r.output.slice(-600);
  }
  if (commands.build) {
    const r = await sh(commands.build, { cwd: dir, timeout: LIMITS.build });
    result.build = { ok: r.code === 0, exitCode: r.code, timedOut: r.timedOut, ms: r.ms };
    if (r.code !== 0) {
      result.build.tail = r.output.slice(-600);
      const errors = typeErrors(r.output);
      if (errors.count) result.build.typeErrors = { count: errors.count, codes: errors.codes, files: errors.files };
    }
  }
  if (commands.test) {
    // ava prints how many tests passed only when none failed; its TAP reporter always counts (same tests, same run).
    const testCommand = commands.test.replace(/\bava(?=\s*$)/, 'ava --tap');
    const r = await sh(await withTestServices(testCommand, recipe, scratch), { cwd: dir, timeout: LIMITS.test });
    if (testNeeds?.length) result.testServices = testNeeds;
    const counts = testCounts(r.output);
    result.test = { ...counts, exitCode: r.code, timedOut: r.timedOut, ms: r.ms, ...(testCommand !== commands.test ? { reporter: 'tap' } : {}) };
    const errors = typeErrors(r.output);
    if (errors.count) result.test.typeErrors = { count: errors.count, codes: errors.codes, files: errors.files };
    result.test.failures = failureTitles(r.output);
    if (counts.passed === null || r.code !== 0) result.test.tail = r.output.slice(-800);
  }
  return result;
}

/** Names of failing tests (the runners' own lines), to compare before and after; at most 40. */
function failureTitles(output) {
  const titles = new Set();
  for (const line of output.split('\n')) {
    const t = line.trim();
    let m;
    if ((m = t.match(/^(?:✕|×|✖|✘)\s+(.+?)(?:\s+\(\d+(?:\.\d+)?\s*m?s\))?$/))) titles.add(m[1]);
    else if ((m = t.match(/^not ok \d+ - (.+?)(?:\s+#.*)?$/))) titles.add(m[1]);
    else if ((m = t.match(/^●\s+(.+)$/)) && !/Console|Test suite failed/.test(m[1])) titles.add(m[1]);
    else if ((m = t.match(/^FAIL\s+(\S+)/))) titles.add(`FAIL ${m[1]}`);
    else if ((m = t.match(/^\d+\) (.+)$/))) titles.add(m[1]);
    if (titles.size >= 40) break;
  }
  return [...titles];
}

// ---------------------------------------------------------------------------------------------------------------
// The codemod.

function codemodBin(codemodDir) {
  const pkg = readJson(path.join(codemodDir, 'package.json'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['quiesce-codemod'];
  if (!bin) throw new Error(`${codemodDir}/package.json has no quiesce-codemod bin: pass --codemod <dir of @quiesce/codemod>`);
  return path.join(codemodDir, bin);
}

/** Which build ran: the codemod's git commit (and whether its tree had changes) and when its dist was built. */
function codemodBuild(codemodDir) {
  const run = (...args) => spawnSync('git', args, { cwd: codemodDir, encoding: 'utf8' }).stdout.trim();
  const dist = path.join(codemodDir, 'dist');
  const builtAt = existsSync(dist) ? Math.max(...readdirSync(dist).filter((f) => f.endsWith('.js')).map((f) => statSync(path.join(dist, f)).mtimeMs), 0) : 0;
  const source = path.join(codemodDir, 'SOURCE_COMMIT'); // a snapshot of a build: "<commit>\n<files changed since>"
  if (existsSync(source)) {
    const [commit, changedSince] = readFileSync(source, 'utf8').trim().split('\n');
    return { commit, uncommitted: Number(changedSince) > 0, builtAt: builtAt ? new Date(builtAt).toISOString() : null, snapshot: true };
  }
  return { commit: run('rev-parse', '--short', 'HEAD'), uncommitted: run('status', '--porcelain', '--', '.') !== '', builtAt: builtAt ? new Date(builtAt).toISOString() : null };
}

/** A hash of every file under a directory (names and contents), to know whether two builds are the same. */
function treeHash(dir) {
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(path.relative(dir, full)).update(readFileSync(full));
    }
  };
  if (existsSync(dir)) walk(dir);
  return hash.digest('hex').slice(0, 16);
}

async function runCodemod(bin, dir, extra = []) {
  const r = await sh(`node '${bin}' --format json ${extra.join(' ')}`, { cwd: dir, timeout: LIMITS.codemod, env: { NODE_ENV: '' } });
  const start = r.output.indexOf('{\n');
  let report;
  try {
    report = JSON.parse(r.output.slice(start, r.output.lastIndexOf('}') + 1));
  } catch {
    report = undefined;
  }
  return { exitCode: r.code, timedOut: r.timedOut, ms: r.ms, report, tail: report ? undefined : r.output.slice(-1200) };
}

/** Installs the built shim into the copy as `npm install @quiesce/runtime-shim` would (it has no dependencies). */
function installShim(shimDir, dir) {
  const target = path.join(dir, 'node_modules', '@quiesce', 'runtime-shim');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const pkg = readJson(path.join(shimDir, 'package.json'));
  for (const entry of ['package.json', 'README.md', ...(pkg.files ?? ['dist'])]) {
    const from = path.join(shimDir, entry);
    if (existsSync(from)) cpSync(from, path.join(target, entry), { recursive: true });
  }
}

function changedFiles(dir, from, to) {
  return git(dir, 'diff', '--name-only', from, to).split('\n').filter(Boolean);
}

function diffStat(dir, from, to) {
  const out = git(dir, 'diff', '--numstat', from, to);
  let added = 0;
  let removed = 0;
  for (const line of out.split('\n').filter(Boolean)) {
    const [a, r] = line.split('\t');
    added += Number(a) || 0;
    removed += Number(r) || 0;
  }
  return { added, removed };
}

/** Base names of the package.json `bin` targets of the repository's packages (build output maps to its source by name). */
function binFiles(dir) {
  const names = new Set();
  const visit = (pkgFile) => {
    try {
      const pkg = readJson(pkgFile);
      const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
      for (const b of bins) names.add(path.basename(String(b)).replace(/\.[cm]?[jt]sx?$/, ''));
    } catch {
      /* not a package */
    }
  };
  visit(path.join(dir, 'package.json'));
  for (const folder of ['packages', 'apps']) {
    const root = path.join(dir, folder);
    if (existsSync(root)) for (const d of readdirSync(root)) visit(path.join(root, d, 'package.json'));
  }
  return names;
}

/** What the rewrite gave a library: files that now import the shim, and which of them got process-wide handling. */
function shimUse(dir, from, to, files) {
  const uses = { register: [], onShutdown: [], shimImports: [], packageJsonDependency: [] };
  for (const file of files) {
    const patch = git(dir, 'diff', '-U0', from, to, '--', file);
    const added = patch.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    const text = added.join('\n');
    if (path.basename(file) === 'package.json') {
      if (/@quiesce\/runtime-shim/.test(text)) uses.packageJsonDependency.push(file);
      continue;
    }
    if (/@quiesce\/runtime-shim\/register/.test(text)) uses.register.push(file);
    if (/\bonShutdown\s*\(/.test(text)) uses.onShutdown.push(file);
    if (/@quiesce\/runtime-shim['"]/.test(text)) uses.shimImports.push(file);
  }
  return uses;
}

// ---------------------------------------------------------------------------------------------------------------
// Runtime: start a service, put it to work, SIGTERM it, see what was lost.

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

function request(agent, port, { method = 'GET', path: urlPath = '/', body, headers = {} }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Date.now() - started, close: res.headers.connection === 'close' }));
      res.on('error', (error) => resolve({ error: error.code ?? 'ERR', ms: Date.now() - started }));
    });
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error) => resolve({ error: error.code ?? error.message, ms: Date.now() - started }));
    if (body) req.write(typeof body === 'string' ? body : JSON.stringify(body));
    req.end();
  });
}

/**
 * One SIGTERM run of a service: starts `recipe.start` (node as PID of its own group, loopback, recipe.env), waits for
 * its port, drives `recipe.load` (keep-alive clients in a loop) for `recipe.loadMs`, sends SIGTERM to the node process,
 * keeps the load going, and records exit code, time to exit, and requests by outcome before/after the signal.
 */
async function runtimeOnce(dir, recipe, services) {
  const port = await freePort();
  const vars = { PORT: String(port), ...(await services.fresh()) };
  const fill = (text) => String(text).replace(/\$([A-Z_]+)/g, (whole, name) => vars[name] ?? whole);
  const env = { ...baseEnv(dir), NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ...Object.fromEntries(Object.entries(recipe.env ?? {}).map(([k, v]) => [k, fill(v)])) };
  if (recipe.setup) {
    const r = await sh(fill(recipe.setup), { cwd: dir, timeout: 5 * MINUTE, env });
    if (r.code !== 0) return { ran: false, why: `setup failed (exit ${r.code})`, tail: r.output.slice(-400) };
  }
  const args = recipe.start.map(fill);
  const child = spawn(args[0], args.slice(1), { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (c) => (log = (log + c).slice(-20_000)));
  child.stderr.on('data', (c) => (log = (log + c).slice(-20_000)));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  try {
    const up = await waitForPort(recipe.port === 'PORT' || !recipe.port ? port : recipe.port, recipe.readyMs ?? 30_000);
    if (!up) return { ran: false, why: 'never listened', log: stripAnsi(log).slice(-3000) };
    const target = recipe.port && recipe.port !== 'PORT' ? recipe.port : port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: recipe.concurrency ?? 20 });
    const outcomes = [];
    let signalledAt;
    let stop = false;
    const requests = recipe.load ?? [{ path: '/' }];
    const worker = async (n) => {
      for (let i = 0; !stop && i < 100_000; i++) {
        const spec = requests[(n + i) % requests.length];
        const sentAt = Date.now();
        const outcome = await request(agent, target, spec);
        outcomes.push({ ...outcome, afterSignal: signalledAt !== undefined && sentAt >= signalledAt, inFlightAtSignal: signalledAt !== undefined && sentAt < signalledAt && sentAt + outcome.ms >= signalledAt });
        if (outcome.error === 'ECONNREFUSED') await new Promise((r) => setTimeout(r, 50));
      }
    };
    const workers = Array.from({ length: recipe.concurrency ?? 20 }, (_, n) => worker(n));
    await new Promise((r) => setTimeout(r, recipe.loadMs ?? 2000));
    signalledAt = Date.now();
    process.kill(child.pid, 'SIGTERM');
    const deadline = recipe.deadlineMs ?? 35_000;
    const exit = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), deadline))]);
    stop = true;
    if (!exit) killGroup(child);
    await Promise.race([Promise.all(workers), new Promise((r) => setTimeout(r, 5000))]);
    agent.destroy();
    const tally = (list) => {
      const t = {};
      for (const o of list) {
        const key = o.error ?? (o.status >= 500 ? `http ${o.status}` : 'ok');
        t[key] = (t[key] ?? 0) + 1;
      }
      return t;
    };
    const inFlight = outcomes.filter((o) => o.inFlightAtSignal);
    const after = outcomes.filter((o) => o.afterSignal);
    // Lost: a request in flight at the signal that got no answer or a 5xx, and a later one reset rather than refused
    // (a refused connection is the clean outcome: the client knows nothing was done and tries elsewhere).
    const lostInFlight = inFlight.filter((o) => o.error || o.status >= 500).length;
    const resetAfterSignal = after.filter((o) => (o.error && o.error !== 'ECONNREFUSED') || o.status >= 500).length;
    const lost = lostInFlight + resetAfterSignal;
    return {
      ran: true,
      exitCode: exit ? exit.code : null,
      exitSignal: exit ? exit.signal : null,
      exitedMs: exit ? exit.at - signalledAt : null,
      killedAfterMs: exit ? null : deadline,
      requests: { beforeSignal: outcomes.length - inFlight.length - after.length, inFlightAtSignal: tally(inFlight), afterSignal: tally(after) },
      lost,
      lostInFlight,
      resetAfterSignal,
      logTail: stripAnsi(log).split('\n').slice(-12).join('\n').slice(-1500),
    };
  } finally {
    killGroup(child);
    if (recipe.teardown) await sh(recipe.teardown, { cwd: dir, timeout: MINUTE, env });
  }
}

const PG_BIN = '/usr/lib/postgresql/15/bin';
const asPostgres = (cmd) => sh(`runuser -u postgres -- ${cmd}`, { cwd: '/', timeout: 2 * MINUTE });

/** A Postgres cluster (trust auth, TLS with a self-signed certificate) in `data`, created once. */
async function ensurePostgresCluster(data) {
  if (existsSync(path.join(data, 'PG_VERSION'))) return;
  mkdirSync(data, { recursive: true });
  spawnSync('chown', ['postgres:postgres', data]);
  const init = await asPostgres(`${PG_BIN}/initdb -D ${data} -A trust -U postgres`);
  if (init.code !== 0) throw new Error(`postgres initdb failed: ${init.output.slice(-300)}`);
  // TLS too, for services that connect with ssl in production (loopback only).
  await sh(`openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=127.0.0.1 -keyout ${data}/server.key -out ${data}/server.crt && chown postgres:postgres ${data}/server.* && chmod 600 ${data}/server.key`, { cwd: data, timeout: MINUTE });
}

/**
 * The databases a service needs, on loopback and on ports of their own, started for one runtime step and stopped
 * after it: `postgres` (a cluster under <scratch>/.postgres, run as the postgres user; a fresh database per run) and
 * `redis` (no persistence). fresh() returns the variables recipes use: $PGHOST $PGPORT $PGUSER $PGPASSWORD
 * $PGDATABASE $DATABASE_URL $REDIS_PORT $REDIS_URL.
 */
async function startServices(needs, scratch) {
  const stops = [];
  const vars = {};
  let freshDatabase = async () => ({});
  if (needs.includes('postgres')) {
    const data = path.join(scratch, '.postgres');
    const pgPort = 5432; // the runtime runs in a network namespace of its own: the default ports are free
    await ensurePostgresCluster(data);
    if (existsSync(path.join(data, 'postmaster.pid'))) await asPostgres(`${PG_BIN}/pg_ctl -D ${data} -m immediate -w stop`); // left by a killed run
    const started = await asPostgres(`${PG_BIN}/pg_ctl -D ${data} -w -l ${data}/log -o "-p ${pgPort} -c listen_addresses=127.0.0.1 -k ${data}${existsSync(path.join(data, 'server.crt')) ? ' -c ssl=on' : ''}" start`);
    if (started.code !== 0) throw new Error(`postgres did not start: ${started.output.slice(-300)}`);
    stops.push(() => asPostgres(`${PG_BIN}/pg_ctl -D ${data} -m fast -w stop`));
    let n = 0;
    Object.assign(vars, { PGHOST: '127.0.0.1', PGPORT: String(pgPort), PGUSER: 'postgres', PGPASSWORD: 'postgres' });
    freshDatabase = async () => {
      const name = `eval_${Date.now()}_${n++}`;
      const made = await sh(`psql -h 127.0.0.1 -p ${pgPort} -U postgres -c "create database ${name}"`, { cwd: '/', timeout: MINUTE });
      if (made.code !== 0) throw new Error(`create database failed: ${made.output.slice(-300)}`);
      return { PGDATABASE: name, DATABASE_URL: `postgresql://postgres:postgres@127.0.0.1:${pgPort}/${name}` };
    };
  }
  if (needs.includes('mysql')) {
    const data = path.join(scratch, '.mariadb');
    const sock = path.join(data, 'socket');
    const myPort = 3306;
    if (!existsSync(path.join(data, 'mysql'))) {
      mkdirSync(data, { recursive: true });
      const init = await sh(`mariadb-install-db --datadir=${data} --user=root --skip-test-db --auth-root-authentication-method=normal`, { cwd: data, timeout: 3 * MINUTE });
      if (init.code !== 0) throw new Error(`mariadb-install-db failed: ${init.output.slice(-300)}`);
    }
    const child = spawn('mariadbd', [`--datadir=${data}`, `--socket=${sock}`, `--port=${myPort}`, '--bind-address=127.0.0.1', '--user=root', '--skip-log-bin', `--pid-file=${data}/pid`], { detached: true, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    stops.push(async () => {
      killGroup(child, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      killGroup(child);
    });
    if (!(await waitForPort(myPort, 60_000))) throw new Error('mariadbd did not start (apt-get install mariadb-server)');
    await sh(`mariadb -S ${sock} -u root -e "create user if not exists 'eval'@'%' identified by 'eval'; grant all on *.* to 'eval'@'%'; create user if not exists 'eval'@'localhost' identified by 'eval'; grant all on *.* to 'eval'@'localhost'"`, { cwd: data, timeout: MINUTE });
    Object.assign(vars, { MYSQL_HOST: '127.0.0.1', MYSQL_PORT: String(myPort), MYSQL_USER: 'eval', MYSQL_PASSWORD: 'eval' });
    const previous = freshDatabase;
    let n = 0;
    freshDatabase = async () => {
      const name = `eval_${Date.now()}_${n++}`;
      const made = await sh(`mariadb -S ${sock} -u root -e "create database ${name}"`, { cwd: data, timeout: MINUTE });
      if (made.code !== 0) throw new Error(`create database failed: ${made.output.slice(-300)}`);
      return { ...(await previous()), MYSQL_DATABASE: name };
    };
  }
  if (needs.includes('redis')) {
    const redisPort = 6379;
    const child = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { detached: true, stdio: 'ignore' });
    stops.push(async () => killGroup(child));
    if (!(await waitForPort(redisPort, 10_000))) throw new Error('redis-server did not start (apt-get install redis-server)');
    Object.assign(vars, { REDIS_PORT: String(redisPort), REDIS_HOST: '127.0.0.1', REDIS_URL: `redis://127.0.0.1:${redisPort}` });
  }
  return {
    fresh: async () => ({ ...vars, ...(await freshDatabase()) }),
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One repository.

async function evaluateRepo(key, options, previous) {
  const pristine = path.join(options.folder, key);
  const description = describeRepo(key, options.reposDir);
  const result = { repository: key.replace('__', '/'), key, at: new Date().toISOString() };
  if (!description) return { ...result, skipped: `no ${key}.json in the repos directory yet` };
  if (!existsSync(pristine)) return { ...result, skipped: `no checkout at <folder>/${key}` };
  Object.assign(result, {
    repository: description.repository ?? result.repository,
    commit: description.commit,
    kind: description.kind,
    language: description.language,
    framework: description.framework,
    packageManager: description.packageManager,
  });
  const commands = description.commands ?? {};
  const dir = path.join(options.scratch, key);
  const log = (msg) => options.log(`[${key}] ${msg}`);

  // 1. A copy of the pristine checkout, everything in it committed as the baseline.
  let base;
  const reusable = !options.freshCopy && previous?.revisions?.base && previous.commit === result.commit && existsSync(path.join(dir, '.git'));
  if (reusable && spawnSync('git', ['cat-file', '-e', previous.revisions.base], { cwd: dir }).status === 0) {
    // The copy an earlier run made of the same commit: back to its baseline (tracked files and untracked ones).
    log('reusing the copy at its baseline');
    git(dir, 'checkout', '-q', '-f', previous.revisions.base);
    git(dir, 'clean', '-q', '-fd');
    rmSync(path.join(dir, 'node_modules', '@quiesce', 'runtime-shim'), { recursive: true, force: true });
    base = previous.revisions.base;
  } else {
    log('copying');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(options.scratch, { recursive: true });
    spawnSync('cp', ['-a', pristine, dir]);
    if (!existsSync(path.join(dir, '.git'))) git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    if (git(dir, 'status', '--porcelain').trim()) git(dir, 'commit', '-q', '--no-verify', '-m', 'eval baseline');
    base = git(dir, 'rev-parse', 'HEAD').trim();
  }
  const restore = (rev) => {
    git(dir, 'checkout', '-q', '-f', rev);
    git(dir, 'clean', '-q', '-fd');
  };

  // 2. Before: measured in this copy (or reused from the last results for the same commit and commands).
  const sameBefore = previous && previous.commit === result.commit && JSON.stringify(previous.commands) === JSON.stringify(commands) && JSON.stringify(previous.before?.testServices) === JSON.stringify(options.recipes[key]?.testNeeds) && !(commands.test && previous.before?.test?.passed == null) && (previous.before?.test?.reporter === 'tap') === /\bava\s*$/.test(commands.test ?? '') && previous.before;
  if (sameBefore && !options.freshBefore) {
    log('before: reused from the last results (same commit and commands)');
    result.before = previous.before;
  } else {
    log('before: typecheck, build, test');
    result.before = await measure(dir, commands, options.recipes[key], options.scratch);
  }
  result.commands = commands;
  restore(base);

  // 3. The codemod with its defaults.
  log('codemod');
  result.codemodBuild = codemodBuild(options.codemod);
  const first = await runCodemod(options.bin, dir);
  result.codemod = summariseRun(first);
  installShim(options.shim, dir);
  result.shimBuild = { ...codemodBuild(options.shim), hash: treeHash(path.join(options.shim, 'dist')) };
  const files = git(dir, 'status', '--porcelain').split('\n').filter(Boolean);
  if (files.length > 0) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--no-verify', '-m', 'quiesce-codemod');
  }
  const after = git(dir, 'rev-parse', 'HEAD').trim();
  const changed = base === after ? [] : changedFiles(dir, base, after);
  result.changed = {
    files: changed.length,
    testsOrExamples: changed.filter(isTestOrExample),
    list: changed,
    lines: base === after ? { added: 0, removed: 0 } : diffStat(dir, base, after),
  };
  result.changed.diffHash = base === after ? null : createHash('sha256').update(git(dir, 'diff', base, after)).digest('hex').slice(0, 16);
  result.shim = base === after ? shimUse(dir, base, base, []) : shimUse(dir, base, after, changed);
  // The same rewrite as last time, measured on the same commit with the same commands and the same shim build (the
  // type-check and build read the shim's declaration files): its figures still hold.
  const sameShim = previous?.shimBuild?.hash === result.shimBuild.hash;
  const sameAfter = sameBefore && !options.freshBefore && previous.changed?.diffHash === result.changed.diffHash && previous.after && !previous.afterIsBefore === (base !== after) && (base === after || sameShim);
  const sameRuntime = sameAfter && sameShim && previous.runtime?.after;
  // A library's own executables (package.json bin, or a bin/ folder) own their process: handlers there are not the library's.
  const executables = binFiles(dir);
  const isExecutable = (f) => /(^|\/)bin\//.test(f) || executables.has(path.basename(f).replace(/\.[cm]?[jt]sx?$/, ''));
  result.shim.inExecutables = [...new Set([...result.shim.register, ...result.shim.onShutdown])].filter(isExecutable);
  result.processWideInLibrary = description.kind === 'library' ? [...result.shim.register, ...result.shim.onShutdown].some((f) => !isExecutable(f) && !isTestOrExample(f)) : null;

  // 4. The repository's own formatter/lint check on the changed (source) files, before and after.
  const tools = checkTools(dir, description);
  if (sameAfter) {
    log('after: the same diff and shim as the last results: their format, type-check, build and test figures reused');
    result.format = previous.format;
    result.after = previous.after;
    result.afterReused = true;
  }
  const checked = changed.filter((f) => /\.[cm]?[jt]sx?$/.test(f) && existsSync(path.join(dir, f)));
  if (!sameAfter) result.format = { tools, files: checked.length };
  if (!sameAfter && tools.length && checked.length) {
    log(`format check (${tools.join(', ')}) on ${checked.length} file(s)`);
    result.format.after = await checkAll(tools, checked, dir);
    git(dir, 'checkout', '-q', base, '--', ...checked);
    result.format.before = await checkAll(tools, checked, dir);
    restore(after);
  }

  // 5. After: the same measurements on the rewritten copy.
  if (sameAfter) {
    /* reused above */
  } else if (base !== after) {
    log('after: typecheck, build, test');
    result.after = await measure(dir, commands, options.recipes[key], options.scratch);
    // A test that fails after but not before is run once more, to tell a regression from a flaky test.
    const newFailures = (result.after.test?.failures ?? []).filter((t) => !(result.before.test?.failures ?? []).includes(t));
    if (commands.test && result.before.test && (result.after.test.failed ?? 0) > (result.before.test.failed ?? 0) && newFailures.length) {
      log('after: tests again (new failures)');
      const again = await measure(dir, { test: commands.test }, options.recipes[key], options.scratch);
      result.after.testRerun = again.test;
      const still = (again.test.failures ?? []).filter((t) => newFailures.includes(t));
      result.after.test.newFailures = newFailures;
      result.after.test.flaky = newFailures.filter((t) => !still.includes(t));
    }
    restore(after);
  } else {
    result.after = result.before;
    result.afterIsBefore = true;
  }

  // 6. A second run, as the user would run it again (or `--check` in CI) after committing the first.
  log('second run');
  const second = await runCodemod(options.bin, dir);
  result.secondRun = { ...summariseRun(second), changedFiles: git(dir, 'status', '--porcelain').split('\n').filter(Boolean).map((l) => l.slice(3)) };
  if (result.secondRun.changedFiles.length) writeFileSync(path.join(options.scratch, `${key}.second-run.diff`), git(dir, 'diff'));
  restore(after);

  // 7. Runtime, for services with a recipe.
  result.revisions = { base, after };
  if (sameRuntime && options.runtime) {
    log('runtime: the same diff and shim as the last results: their runtime figures reused');
    result.runtime = { ...previous.runtime, reused: true };
  } else await runtimeStep(key, dir, result, options, previous);
  restore(after);

  result.aims = aims(result);
  result.note = options.notes[key];
  log(`done: ${JSON.stringify(result.aims)}`);
  return result;
}

async function runtimeStep(key, dir, result, options, previous) {
  const recipe = options.recipes[key]?.start || options.recipes[key]?.cannotRun ? options.recipes[key] : undefined;
  if (result.kind !== 'service' && !recipe) return;
  if (recipe?.cannotRun) result.runtime = { ran: false, why: recipe.cannotRun };
  else if (!options.runtime) result.runtime = previous?.runtime ?? { ran: false, why: 'not run (--no-runtime)' };
  else if (!recipe) result.runtime = { ran: false, why: 'no runtime recipe' };
  else {
    result.runtime = { recipe: recipe.describe };
    for (const label of ['before', 'after']) {
      options.log(`[${key}] runtime ${label}`);
      git(dir, 'checkout', '-q', '-f', label === 'before' ? result.revisions.base : result.revisions.after);
      git(dir, 'clean', '-q', '-fd');
      // A build with type errors still emits (tsc's default); the run says so, and the static part records the failure.
      let buildExitCode;
      if (recipe.build) buildExitCode = (await sh(recipe.build, { cwd: dir, timeout: LIMITS.build })).code;
      const runs = await runtimeIsolated(dir, recipe, options.scratch);
      result.runtime[label] = { ...(runs.length === 1 ? runs[0] : { ...runs.at(-1), runs }), ...(buildExitCode ? { buildExitCode } : {}) };
    }
  }
}

/** The service and its load in a network namespace of their own, whose only interface is loopback. */
async function runtimeIsolated(dir, recipe, scratch) {
  const job = path.join(scratch, `.runtime-job-${process.pid}.json`);
  const out = `${job}.out`;
  writeFileSync(job, JSON.stringify({ dir, recipe, scratch }));
  rmSync(out, { force: true });
  const self = fileURLToPath(import.meta.url);
  const r = await sh(`unshare -n -- bash -c 'ip link set lo up && exec node "${self}" --runtime-child "${job}"'`, { cwd: dir, timeout: 10 * MINUTE });
  rmSync(job, { force: true });
  if (!existsSync(out)) return [{ ran: false, why: `runtime child failed (exit ${r.code})`, tail: r.output.slice(-500) }];
  const runs = readJson(out);
  rmSync(out, { force: true });
  return runs;
}

async function runtimeChild(jobFile) {
  const { dir, recipe, scratch } = readJson(jobFile);
  const runs = [];
  const services = await startServices(recipe.needs ?? [], scratch);
  try {
    for (let i = 0; i < (recipe.runs ?? 1); i++) runs.push(await runtimeOnce(dir, recipe, services));
  } catch (error) {
    runs.push({ ran: false, why: String(error.message ?? error).slice(0, 300) });
  } finally {
    await services.stop();
  }
  writeFileSync(`${jobFile}.out`, JSON.stringify(runs));
}

/** Only the runtime step, on the scratch copy a full evaluation left (same revisions). */
async function runtimeOnly(key, options, previous) {
  const dir = path.join(options.scratch, key);
  if (previous && !previous.revisions && existsSync(path.join(dir, '.git'))) {
    // Results written before revisions were recorded: the codemod's commit is the one named quiesce-codemod.
    const head = git(dir, 'log', '--format=%H %s', '-n', '2').trim().split('\n');
    const codemodCommit = head.find((line) => line.endsWith(' quiesce-codemod'));
    previous = { ...previous, revisions: codemodCommit ? { base: head[1].split(' ')[0], after: codemodCommit.split(' ')[0] } : { base: head[0].split(' ')[0], after: head[0].split(' ')[0] } };
  }
  if (!previous?.revisions || !existsSync(dir)) return { ...(previous ?? { key, repository: key.replace('__', '/') }), skipped: previous?.skipped ?? 'no full evaluation to add the runtime to' };
  const result = { ...previous };
  await runtimeStep(key, dir, result, { ...options, runtime: true }, previous);
  git(dir, 'checkout', '-q', '-f', result.revisions.after);
  result.aims = aims(result);
  return result;
}

function summariseRun(run) {
  const report = run.report;
  if (!report) return { exitCode: run.exitCode, timedOut: run.timedOut, ms: run.ms, crashed: true, tail: run.tail };
  const fixes = {};
  for (const f of report.files ?? []) for (const [rule, n] of Object.entries(f.fixes ?? {})) fixes[rule] = (fixes[rule] ?? 0) + n;
  const skipped = (report.files ?? []).filter((f) => f.status === 'skipped').map((f) => ({ file: f.file, reason: f.reason?.slice(0, 160) }));
  const reviewReasons = {};
  for (const r of report.reviews ?? []) {
    const key = `${r.ruleId}: ${r.reason.replace(/`[^`]*`/g, '`…`').slice(0, 120)}`;
    reviewReasons[key] = (reviewReasons[key] ?? 0) + 1;
  }
  return {
    exitCode: run.exitCode,
    ms: run.ms,
    typeChecked: report.typeChecked,
    summary: report.summary,
    fixes,
    reviews: (report.reviews ?? []).map((r) => ({ file: r.file, line: r.line, ruleId: r.ruleId, marker: r.marker })),
    reviewReasons,
    errors: (report.errors ?? []).map((e) => ({ file: e.file, message: e.message.slice(0, 200) })),
    skipped: skipped.slice(0, 30),
    ...(report.skippedByDefault !== undefined ? { skippedByDefault: report.skippedByDefault } : {}),
  };
}

/** Which of the issue's aims this repository meets (true, false, or null when not measurable here). */
function aims(r) {
  const b = r.before ?? {};
  const a = r.after ?? {};
  const typecheck = b.typecheck ? a.typecheck?.errors === b.typecheck.errors : null;
  const build = b.build ? a.build?.ok === b.build.ok : null;
  // No test lost: as many pass and no more fail (node:test cancels a few timing-bound subtests differently per run).
  const sameTests = (t) => b.test.passed !== null && t?.passed >= b.test.passed && t?.failed <= b.test.failed;
  // Unchanged counts, or every new failure passed when run again (flaky) and the re-run matches.
  const tests = b.test ? sameTests(a.test) || (a.testRerun !== undefined && a.test.newFailures?.length > 0 && a.test.flaky?.length === a.test.newFailures.length) : null;
  let format = null;
  if (r.format?.after) {
    format = Object.keys(r.format.after).every((tool) => {
      const x = r.format.before?.[tool]?.problems;
      const y = r.format.after[tool].problems;
      return x !== null && y !== null && y <= x;
    });
  }
  const secondRun = r.secondRun ? r.secondRun.changedFiles.length === 0 && !r.secondRun.crashed : null;
  const library = r.kind === 'library' ? !r.processWideInLibrary : null;
  // Drains with nothing lost: after the codemod no request or job is lost and the process exits within the deadline.
  let runtime = null;
  if (r.runtime?.after?.ran) runtime = r.runtime.after.lost === 0 && r.runtime.after.exitedMs !== null;
  return { typecheck, build, tests, format, secondRun, library, runtime, crashed: !!r.codemod?.crashed };
}

// ---------------------------------------------------------------------------------------------------------------
// Tables.

const cell = (x) => (x === null || x === undefined ? '–' : String(x));
const arrow = (b, a) => (b === a ? cell(b) : `${cell(b)} → ${cell(a)}`);
const mark = (ok) => (ok === null ? '–' : ok ? 'ok' : 'FAIL');

function formatProblems(r) {
  if (!r.format?.after) return r.format?.tools?.length ? 'no files' : 'none';
  return Object.entries(r.format.after)
    .map(([tool, x]) => `${tool} ${arrow(r.format.before?.[tool]?.problems, x.problems)}`)
    .join(', ');
}

function runtimeCell(r) {
  const rt = r.runtime;
  if (!rt) return '';
  if (rt.ran === false) return `not run: ${rt.why.split(' — ')[0]}`;
  const one = (x) => (x.ran ? `exit ${x.exitCode ?? x.exitSignal ?? 'killed'} in ${x.exitedMs ?? '>' + x.killedAfterMs} ms, lost ${x.lostInFlight ?? x.lost} in flight + ${x.resetAfterSignal ?? 0} reset later` : `not run: ${x.why}`);
  return `${one(rt.before)} → ${one(rt.after)}`;
}

function libraryCell(r) {
  const source = r.shim.shimImports.filter((f) => !isTestOrExample(f)).length;
  const wide = r.processWideInLibrary ? `YES (register ${r.shim.register.length}, onShutdown ${r.shim.onShutdown.length})` : 'no';
  return source ? `${wide}; shim imported in ${source} source file(s)` : wide;
}

export function formatTable(results) {
  const header = ['repository', 'kind', 'typecheck errors', 'build', 'tests passed/failed', 'format/lint problems (changed files)', 'changed (tests/examples)', 'process-wide in library', '2nd run', 'reviews', 'SIGTERM mid-work'];
  const rows = results.map((r) => {
    if (r.skipped) return [r.repository, r.kind ?? '', `skipped: ${r.skipped}`];
    const b = r.before ?? {};
    const a = r.after ?? {};
    return [
      r.repository,
      r.kind,
      b.typecheck ? arrow(b.typecheck.errors, a.typecheck?.errors) : '–',
      b.build ? arrow(b.build.ok ? 'ok' : 'fails', a.build?.ok ? 'ok' : 'fails') : '–',
      b.test ? arrow(`${cell(b.test.passed)}/${cell(b.test.failed)}`, `${cell(a.test?.passed)}/${cell(a.test?.failed)}`) + (a.test?.flaky?.length ? ` (${a.test.flaky.length} new failure${a.test.flaky.length > 1 ? 's' : ''} passed when run again)` : '') : '–',
      formatProblems(r),
      r.codemod?.crashed ? `codemod failed (exit ${r.codemod.exitCode})` : `${r.changed.files} (${r.changed.testsOrExamples.length})`,
      r.kind === 'library' ? libraryCell(r) : '–',
      r.secondRun ? `${r.secondRun.changedFiles.length} files` : '–',
      r.codemod?.summary ? String(r.codemod.summary.reviews) : '–',
      runtimeCell(r) || '–',
    ];
  });
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
  const done = results.filter((r) => !r.skipped);
  const count = (name) => {
    const v = done.map((r) => aims(r)[name]).filter((x) => x !== null);
    return `${v.filter(Boolean).length}/${v.length}`;
  };
  lines.push(
    '',
    `Totals over ${done.length} repositories: type-check unchanged ${count('typecheck')}, build ${count('build')}, tests ${count('tests')}, ` +
      `format/lint ${count('format')}, second run clean ${count('secondRun')}, libraries without process-wide behaviour ${count('library')}, ` +
      `services drain with nothing lost ${count('runtime')}; codemod crashes ${done.filter((r) => aims(r).crashed).length}; ` +
      `files changed ${done.reduce((n, r) => n + (r.changed?.files ?? 0), 0)} (tests/examples ${done.reduce((n, r) => n + (r.changed?.testsOrExamples.length ?? 0), 0)}), ` +
      `review items ${done.reduce((n, r) => n + (r.codemod?.summary?.reviews ?? 0), 0)}.`,
  );
  return lines.join('\n');
}

/** The codemod README's "On real code" section, from the results and the hand-written verdicts (notes.json). */
export function formatReadmeSection(resultsFile = DEFAULTS.out, notesFile = DEFAULTS.notes) {
  const results = readJson(resultsFile);
  const notes = existsSync(notesFile) ? readJson(notesFile) : {};
  const repos = results.repositories.filter((r) => !r.skipped);
  const lines = [
    '## On real code',
    '',
    ...(notes.intro ?? []),
    '',
    `Latest run: ${results.updated.slice(0, 16).replace('T', ' ')} UTC, codemod at ${results.codemodCommit}, Node ${results.node}; every repository's own figures, build and shim are in \`eval/real/codemod/results.json\`.`,
    '',
    formatTable(repos),
    '',
    '### Would a maintainer merge it?',
    '',
    'Three diffs per repository read as its maintainer would (all of them where fewer changed):',
    '',
  ];
  for (const r of repos) {
    const n = notes.repositories?.[r.key];
    lines.push(`- **${r.repository}** (${r.kind}): ${n ? `${n.verdict}. ${n.why}` : 'not read yet.'}`);
  }
  if (notes.classes?.length) lines.push('', '### What went wrong, by class', '', ...notes.classes.map((c) => `- ${c}`));
  if (notes.rerun) lines.push('', ...notes.rerun);
  return lines.join('\n') + '\n';
}

const README_START = '<!-- eval-real codemod: generated by `node scripts/eval-real/codemod.mjs --write-readme` -->';
const README_END = '<!-- eval-real codemod: end -->';

/** Puts the section between its markers at the end of the README (appended the first time); the rest is untouched. */
function writeReadmeSection(readme) {
  const text = readFileSync(readme, 'utf8');
  const block = `${README_START}\n${formatReadmeSection()}${README_END}\n`;
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  const next = start >= 0 && end > start ? text.slice(0, start) + block + text.slice(end + README_END.length + 1) : `${text.replace(/\n*$/, '\n\n')}${block}`;
  writeFileSync(readme, next);
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points.

/** Evaluates the codemod on the repositories under `folder`; returns { results, table } and writes options.out. */
export async function run(folder, options = {}) {
  const resolved = {
    folder: path.resolve(folder),
    codemod: path.resolve(options.codemod ?? DEFAULTS.codemod),
    reposDir: path.resolve(options.reposDir ?? DEFAULTS.reposDir),
    scratch: path.resolve(options.scratch ?? path.join(path.dirname(path.resolve(folder)), 'codemod-eval')),
    out: options.out === false ? undefined : path.resolve(options.out ?? DEFAULTS.out),
    runtime: options.runtime !== false,
    freshBefore: !!options.freshBefore,
    freshCopy: !!options.freshCopy,
    log: options.log ?? ((msg) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`)),
  };
  resolved.shim = path.resolve(options.shim ?? path.join(resolved.codemod, '..', 'runtime-shim'));
  resolved.bin = codemodBin(resolved.codemod);
  if (!existsSync(path.join(resolved.shim, 'package.json'))) throw new Error(`--shim ${resolved.shim}: no package.json (the built @quiesce/runtime-shim)`);
  resolved.recipes = existsSync(options.runtimeFile ?? DEFAULTS.runtime) ? readJson(options.runtimeFile ?? DEFAULTS.runtime) : {};
  resolved.notes = existsSync(DEFAULTS.notes) ? (readJson(DEFAULTS.notes).repositories ?? {}) : {};
  const wanted = (options.repos ?? (options.repo ? [options.repo].flat() : [])).map((r) => r.replace('/', '__'));
  const available = readdirSync(resolved.folder).filter((d) => statSync(path.join(resolved.folder, d)).isDirectory() && d.includes('__'));
  const keys = wanted.length ? wanted : available.sort();
  const previous = resolved.out && existsSync(resolved.out) ? readJson(resolved.out) : { repositories: [] };
  const byKey = Object.fromEntries((previous.repositories ?? []).map((r) => [r.key, r]));
  const results = [];
  for (const key of keys) {
    let result;
    try {
      result = options.runtimeOnly ? await runtimeOnly(key, resolved, byKey[key]) : await evaluateRepo(key, resolved, byKey[key]);
    } catch (error) {
      result = { repository: key.replace('__', '/'), key, skipped: `evaluation failed: ${String(error.message ?? error).slice(0, 300)}` };
    }
    results.push(result);
    if (resolved.out && !(result.skipped && byKey[key] && !byKey[key].skipped)) writeResults(resolved, result);
  }
  return { results, table: formatTable(results) };
}

const OUTPUT_KEYS = new Set(['tail', 'logTail', 'log', 'error']);

/**
 * What goes into the committed results: figures and facts. Output excerpts (which can quote the repositories' code
 * in stack traces and code frames) go to <scratch>/<key>.details.json instead, and this machine's paths are replaced.
 */
function forCommit(result, resolved) {
  const details = {};
  const strip = (value, where) => {
    if (Array.isArray(value)) return value.map((v, i) => strip(v, `${where}[${i}]`));
    if (value && typeof value === 'object') {
      const out = {};
      for (const [k, v] of Object.entries(value)) {
        if (OUTPUT_KEYS.has(k) && typeof v === 'string') details[`${where}.${k}`] = v;
        else out[k] = strip(v, `${where}.${k}`);
      }
      return out;
    }
    if (typeof value === 'string') return value.split(resolved.scratch).join('<copy>').split(resolved.folder).join('<repos>').split(ROOT).join('.');
    return value;
  };
  const clean = strip(result, result.key);
  if (Object.keys(details).length) writeFileSync(path.join(resolved.scratch, `${result.key}.details.json`), JSON.stringify(details, null, 2));
  return clean;
}

/** Merges one repository's result into the results file, read afresh (other runs may have written since). */
function writeResults(resolved, result) {
  const current = existsSync(resolved.out) ? readJson(resolved.out) : { repositories: [] };
  const byKey = Object.fromEntries((current.repositories ?? []).map((r) => [r.key, r]));
  byKey[result.key] = result;
  for (const key of Object.keys(byKey)) byKey[key] = forCommit(byKey[key], resolved);
  const head = codemodBuild(resolved.codemod).commit; // a snapshot's SOURCE_COMMIT, or the checkout's HEAD
  const repositories = Object.values(byKey).sort((a, b) => a.key.localeCompare(b.key));
  mkdirSync(path.dirname(resolved.out), { recursive: true });
  const temporary = `${resolved.out}.${process.pid}.tmp`;
  writeFileSync(
    temporary,
    JSON.stringify(
      {
        about: 'quiesce-codemod with its defaults on fetched public repositories, before → after (scripts/eval-real/codemod.mjs). Figures and facts only.',
        codemodCommit: head,
        node: process.version,
        updated: new Date().toISOString(),
        totals: formatTable(repositories).split('\n').at(-1),
        repositories,
      },
      null,
      2,
    ) + '\n',
  );
  renameSync(temporary, resolved.out); // whole or not at all: another run may be reading it
}

async function main() {
  if (process.argv[2] === '--runtime-child') return runtimeChild(process.argv[3]);
  if (process.argv[2] === '--write-readme') return writeReadmeSection(process.argv[3] ? path.resolve(process.argv[3]) : path.join(ROOT, 'packages', 'codemod', 'README.md'));
  if (process.argv[2] === '--readme') return void process.stdout.write(formatReadmeSection(process.argv[3] ? path.resolve(process.argv[3]) : undefined));
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      repo: { type: 'string', multiple: true, default: [] },
      codemod: { type: 'string' },
      shim: { type: 'string' },
      'repos-dir': { type: 'string' },
      scratch: { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      'fresh-before': { type: 'boolean', default: false },
      'fresh-copy': { type: 'boolean', default: false },
      'no-runtime': { type: 'boolean', default: false },
      'runtime-only': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    process.stderr.write('Usage: node scripts/eval-real/codemod.mjs <folder of fetched repos> [--repo owner/name]… [--codemod <dir>] [--shim <dir>] [--repos-dir <dir>] [--scratch <dir>] [--out <file> | --no-write] [--fresh-before] [--no-runtime | --runtime-only] [--json]\n');
    process.exit(values.help ? 0 : 2);
  }
  const { results, table } = await run(positionals[0], {
    repos: values.repo,
    codemod: values.codemod,
    shim: values.shim,
    reposDir: values['repos-dir'],
    scratch: values.scratch,
    out: values['no-write'] ? false : values.out,
    freshBefore: values['fresh-before'],
    freshCopy: values['fresh-copy'],
    runtime: !values['no-runtime'],
    runtimeOnly: values['runtime-only'],
  });
  process.stdout.write(values.json ? JSON.stringify(results, null, 2) + '\n' : table + '\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}

