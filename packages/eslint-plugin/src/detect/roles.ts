import fs from 'node:fs';
import path from 'node:path';

import { minimatch } from 'minimatch';

import { readSettings, type QuiesceSettings, type Role } from '../util/settings.js';
import ts from './typescript.cjs';

export type { Role } from '../util/settings.js';

/**
 * What a file is, which decides which rules apply to it (see {@link ruleAppliesTo}):
 * - `service`: runs as (part of) a process it owns: every rule applies, advice points at the shim;
 * - `library`: a published package whose shutdown contract is a working `close()`/`stop()`: no process-wide advice;
 * - `browser`: runs in browsers, where a Node shim cannot apply: no shutdown rules;
 * - `test`: tests and their fixtures: no shutdown rules.
 */
export interface FileRole {
  readonly role: Role;
  /** Why, in words a user can act on: `settings.quiesce.role`, `package.json "bin"`, `test folder "test"`, … */
  readonly reason: string;
  /** The directory of the nearest package.json, or undefined when the file has none above it. */
  readonly packageDir: string | undefined;
}

export interface RoleOptions {
  /** ESLint's working directory: `settings.quiesce.entries` globs are relative to it. */
  readonly cwd: string;
  /** `settings.quiesce` as written in an ESLint config (validated: a TypeError names the bad setting). */
  readonly settings?: unknown;
}

export interface EntryFileOptions extends RoleOptions {
  /** More globs relative to `cwd` (`quiesce/require-shutdown-handler`'s `entries` option). */
  readonly entries?: readonly string[];
}

/** The role of a file: forced by `settings.quiesce.role`, else inferred from its path and its package. */
export function roleOf(fileName: string, options: RoleOptions): FileRole {
  return roleOfFile(fileName, options.cwd, parseQuiesceSettings(options.settings));
}

/**
 * Whether a file is a service entry: a package `bin`, the file the `start` script runs (through `npm run`, `node`,
 * `tsx`, `ts-node`, `nodemon`, pm2's ecosystem file, `nest start`), the file of a Dockerfile `CMD`/`ENTRYPOINT` or of a
 * Procfile `web:`/`worker:` command, or a match of `settings.quiesce.entries` or `entries` (globs relative to `cwd`).
 * A built path (`node dist/main.js`) names its source too (`src/main.ts`, by the package's tsconfig `outDir`/`rootDir`).
 */
export function isEntryFile(fileName: string, options: EntryFileOptions): boolean {
  return isEntry(fileName, options.cwd, parseQuiesceSettings(options.settings), options.entries ?? []);
}

/** The rules that apply to a role: the one place that decides it (the rule factory and `detect()` ask it). */
export function ruleAppliesTo(rule: string, role: Role): boolean {
  if (role === 'service') return true;
  if (role === 'library') return !serviceOnlyRules.has(rule);
  return !shutdownRules.has(rule);
}

/** Rules about shutdown hazards; browser and test files get none of them. */
const shutdownRules: ReadonlySet<string> = new Set([
  'no-untracked-timer',
  'no-untracked-promise',
  'no-untracked-async-callback',
  'no-abrupt-exit',
  'no-untracked-server',
  'require-shutdown-handler',
  'no-unclosed-resource',
]);

/** Rules about owning the process, for services only: a library must never install process-wide behaviour. */
const serviceOnlyRules: ReadonlySet<string> = new Set(['require-shutdown-handler', 'no-unclosed-resource']);

function parseQuiesceSettings(settings: unknown): QuiesceSettings {
  return readSettings(settings === undefined ? undefined : { quiesce: settings });
}

/** The role of a file with settings already read (what the rules call). */
export function roleOfFile(fileName: string, cwd: string, settings: QuiesceSettings): FileRole {
  const absolute = path.resolve(cwd, fileName);
  const pkg = packageOf(path.dirname(absolute));
  const packageDir = pkg?.dir;
  if (settings.role !== undefined) return { role: settings.role, reason: 'settings.quiesce.role', packageDir };
  // Declared entries first: a `start` script that runs `scripts/server.js` makes it the service, whatever its folder.
  if (matchesGlobs(absolute, cwd, settings.entries)) return { role: 'service', reason: 'settings.quiesce.entries', packageDir };
  // A package inside an enclosing package's examples or tests is one of them, whatever it runs itself.
  const nested = pkg ? nestedPackageReason(pkg.dir) : undefined;
  if (nested !== undefined) return { role: 'test', reason: nested, packageDir };
  const entry = pkg?.entries.get(absolute);
  if (entry !== undefined) return { role: 'service', reason: entry, packageDir };
  // A command-line tool or a developer's script the package runs besides its service: its whole run is the work.
  const tool = pkg?.tools.get(absolute);
  if (tool !== undefined) return { role: 'test', reason: tool, packageDir };
  const relative = pkg ? path.relative(pkg.dir, absolute) : path.relative(cwd, absolute);
  const servedToBrowsers = browserPathReason(relative);
  if (servedToBrowsers !== undefined) return { role: 'browser', reason: servedToBrowsers, packageDir };
  const testReason = testPathReason(relative);
  if (testReason !== undefined) return { role: 'test', reason: testReason, packageDir };
  if (!pkg) return { role: 'service', reason: 'no package.json above the file', packageDir };
  const browser = pkg.browserFiles.get(absolute) ?? pkg.browserReason;
  if (browser !== undefined) return { role: 'browser', reason: browser, packageDir };
  return { role: pkg.role, reason: pkg.reason, packageDir };
}

/** An import of a stylesheet or a single-file component: only a bundler for browsers can load it (`import './app.scss'`). */
const bundledImport = /^\s*import\s+(?:[\w*{}\s,$]+\s+from\s+)?["'][^"'\n]+\.(?:css|scss|sass|less|styl|vue|svelte)["']/m;

/**
 * The role of a file once its text is known: a service or library file that imports a stylesheet or a `.vue`/`.svelte`
 * component is a browser bundle's (a front end in the service's repository). A role set in `settings.quiesce.role` stays.
 */
export function roleWithText(role: FileRole, text: string): FileRole {
  if ((role.role !== 'service' && role.role !== 'library') || role.reason === 'settings.quiesce.role') return role;
  const match = bundledImport.exec(text);
  if (!match) return role;
  const specifier = /["']([^"']+)["']/.exec(match[0])?.[1] ?? '';
  return { role: 'browser', reason: `imports "${specifier}", which only a browser bundler loads`, packageDir: role.packageDir };
}

/** {@link isEntryFile} with settings already read. */
export function isEntry(fileName: string, cwd: string, settings: QuiesceSettings, entries: readonly string[]): boolean {
  const absolute = path.resolve(cwd, fileName);
  if (matchesGlobs(absolute, cwd, settings.entries) || matchesGlobs(absolute, cwd, entries)) return true;
  return packageOf(path.dirname(absolute))?.entries.has(absolute) === true;
}

function matchesGlobs(absolute: string, cwd: string, globs: readonly string[]): boolean {
  if (globs.length === 0) return false;
  const relative = path.relative(cwd, absolute).split(path.sep).join('/');
  return globs.some((glob) => minimatch(relative, glob, { dot: true }));
}

// --- tests -------------------------------------------------------------------------------------------------------

const testFolders = new Set(['test', 'tests', '__tests__', '__test__', 'spec', 'specs', '__mocks__', '__fixtures__', 'test-d', 'e2e']);
const testFolderPattern = /^(?:(?:unit|integration|e2e|load|functional|smoke|system|acceptance)[-_]?tests?|[a-z0-9]+[-_]tests?|tests?[-_][a-z0-9]+)$/i;
/** `perfTest`, `loadTests`: a camel-case name ending in Test (never `latest`). */
const camelTestFolderPattern = /^[a-z][a-z0-9]*Tests?$/;
/**
 * Programs that ship with the repository but are not the package: examples, benchmarks and developers' one-shot scripts
 * (migrations, seeds, release tools), out of scope like tests.
 */
const unshippedFolders = new Map([
  ...['example', 'examples', 'demo', 'demos'].map((name) => [name, 'example'] as const),
  ...['benchmark', 'benchmarks', 'bench', 'perf'].map((name) => [name, 'benchmark'] as const),
  ['scripts', 'script'] as const,
]);
/** The same folders with a qualifier: `push-examples`, `examples_v2`, `node-benchmarks`. */
const qualifiedUnshippedFolder = /^(?:[a-z0-9]+[-_])?(examples?|demos?|benchmarks?)(?:[-_][a-z0-9]+)?$/i;
/** A program at a package's root named as one: `example.ts`, `demo.js`, `benchmark.mjs`. */
const unshippedFilePattern = /^(?:examples?|demo|bench(?:mark)?s?)\.[cm]?[jt]sx?$/i;
const testFilePattern = /(?:^|[.-])(?:test|spec|e2e-spec|test-d)\.[cm]?[jt]sx?$|^(?:tests?|setup-?tests|jest\.setup|vitest\.setup)\.[cm]?[jt]sx?$/i;
/** Build and tool configuration at a package's root (`vite.config.ts`, `esbuild.js`, `gulpfile.js`): run by developers. */
const toolFilePattern = /^(?:[\w-]+\.config|\.?[\w-]+rc|esbuild|rollup|webpack|gulpfile|gruntfile|jakefile)\.[cm]?[jt]s$/i;
/** Folders whose scripts a web server sends to browsers, and minified bundles. */
const browserFolders = new Set(['public', 'static', 'www', 'wwwroot']);

/** Why a path (relative to its package) is test code (or other code that is not shipped), or undefined. */
function testPathReason(relative: string): string | undefined {
  const segments = relative.split(/[\\/]/);
  const file = segments.pop() ?? '';
  for (const segment of segments) {
    if (segment === '..' || segment === '.') continue;
    if (testFolders.has(segment) || testFolderPattern.test(segment) || camelTestFolderPattern.test(segment)) return `test folder "${segment}"`;
    const unshipped = unshippedFolders.get(segment) ?? unshippedFolders.get(qualifiedUnshippedFolder.exec(segment)?.[1]?.toLowerCase() ?? '');
    if (unshipped !== undefined) return `${unshipped} folder "${segment}"`;
  }
  if (testFilePattern.test(file)) return `test file name "${file}"`;
  if (segments.length === 0 && toolFilePattern.test(file)) return `build or tool configuration "${file}"`;
  if (segments.length === 0 && unshippedFilePattern.test(file)) return `example or benchmark program "${file}"`;
  return undefined;
}

/**
 * Why a package is test code or an example by where it sits in an enclosing package (`examples/chat/package.json`,
 * `electron-test/package.json`): the folders between the outermost package above it and the package itself.
 */
function nestedPackageReason(packageDir: string): string | undefined {
  let outer: string | undefined;
  for (let parent = findPackageDir(path.dirname(packageDir)); parent !== undefined; parent = findPackageDir(path.dirname(parent))) {
    outer = parent;
    if (path.dirname(parent) === parent) break;
  }
  if (outer === undefined) return undefined;
  // Examples and benchmarks anywhere between the two; a test folder only as the package's own folder (`electron-test`):
  // a project a tool or test writes under its own test folder (a scratch directory) is still a project of its own.
  const segments = path.relative(outer, packageDir).split(/[\\/]/);
  for (const segment of segments) {
    const unshipped = unshippedFolders.get(segment) ?? unshippedFolders.get(qualifiedUnshippedFolder.exec(segment)?.[1]?.toLowerCase() ?? '');
    if (unshipped !== undefined && unshipped !== 'script') return `${unshipped} folder "${segment}"`;
  }
  const own = segments[segments.length - 1] ?? '';
  if (testFolders.has(own) || testFolderPattern.test(own) || camelTestFolderPattern.test(own)) return `test folder "${own}"`;
  return undefined;
}

/** Why a path (relative to its package) is browser code by where it lives, or undefined. */
function browserPathReason(relative: string): string | undefined {
  const segments = relative.split(/[\\/]/);
  const file = segments.pop() ?? '';
  const folder = segments.find((segment) => browserFolders.has(segment));
  if (folder !== undefined) return `served to browsers from "${folder}"`;
  return /\.min\.[cm]?js$/.test(file) ? `minified bundle "${file}"` : undefined;
}

// --- packages ----------------------------------------------------------------------------------------------------

interface PackageInfo {
  readonly dir: string;
  readonly role: 'service' | 'library';
  readonly reason: string;
  /** Absolute paths of entry files (built paths and their sources), with the reason. */
  readonly entries: ReadonlyMap<string, string>;
  /**
   * Absolute paths of programs the package runs besides its service, with the reason: a library's `bin` or a `bin` of a
   * service whose `start` runs another file (command-line tools), and files that its developer scripts or CI workflows
   * run (migrations, seeds, maintenance). Their whole run is the work: no shutdown rules.
   */
  readonly tools: ReadonlyMap<string, string>;
  /** Absolute paths of files a `browser` field or export condition names (and their sources). */
  readonly browserFiles: ReadonlyMap<string, string>;
  /** Set when the whole package is browser code (its tsconfig has `dom` and no Node types). */
  readonly browserReason: string | undefined;
}

interface PackageJson {
  readonly name?: unknown;
  readonly private?: unknown;
  readonly main?: unknown;
  readonly module?: unknown;
  readonly exports?: unknown;
  readonly bin?: unknown;
  readonly browser?: unknown;
  readonly scripts?: unknown;
  readonly workspaces?: unknown;
}

/** The nearest package directory of each directory asked about, and each package read once: lint runs over thousands of files. */
const nearestPackageDir = new Map<string, string | null>();
const packages = new Map<string, PackageInfo | null>();

function packageOf(dir: string): PackageInfo | undefined {
  const packageDir = findPackageDir(dir);
  if (packageDir === undefined) return undefined;
  let info = packages.get(packageDir);
  if (info === undefined) {
    info = readPackage(packageDir);
    packages.set(packageDir, info);
  }
  return info ?? undefined;
}

function findPackageDir(start: string): string | undefined {
  const visited: string[] = [];
  let found: string | null = null;
  for (let dir = start; ; ) {
    const cached = nearestPackageDir.get(dir);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(dir);
    // A package's own node_modules are other packages' code; a file there belongs to the package that contains it.
    if (isFile(path.join(dir, 'package.json'))) {
      found = dir;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const dir of visited) nearestPackageDir.set(dir, found);
  return found ?? undefined;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readPackage(dir: string): PackageInfo | null {
  const text = readText(path.join(dir, 'package.json'));
  if (text === undefined) return null;
  let json: PackageJson;
  try {
    const parsed: unknown = JSON.parse(text);
    // A package.json that is not an object (a fixture, a broken file) says nothing about the package.
    json = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as PackageJson) : {};
  } catch {
    json = {};
  }
  const layout = buildLayout(dir);
  const scripts = stringRecord(json.scripts);
  const entries = new Map<string, string>();
  const addEntry = (file: string, reason: string): void => {
    for (const candidate of sourceCandidates(path.resolve(dir, file), layout)) if (!entries.has(candidate)) entries.set(candidate, reason);
  };
  const start = scripts['start'];
  if (start !== undefined) {
    for (const file of commandFiles(start, dir, scripts, 0)) addEntry(file, 'the file package.json "start" runs');
  }
  const dockerfile = readText(path.join(dir, 'Dockerfile'));
  const dockerCommands = dockerfile === undefined ? [] : dockerfileCommands(dockerfile);
  for (const command of dockerCommands) {
    for (const file of commandFiles(command, dir, scripts, 0)) addEntry(file, 'the file the Dockerfile runs');
  }
  const procfile = readText(path.join(dir, 'Procfile'));
  const procCommands = procfile === undefined ? [] : procfileCommands(procfile);
  for (const command of procCommands) {
    for (const file of commandFiles(command, dir, scripts, 0)) addEntry(file, 'the file the Procfile runs');
  }
  for (const command of composeCommands(dir)) {
    for (const file of commandFiles(command, dir, scripts, 0)) addEntry(file, 'the file a docker compose command runs');
  }
  const published = json.main !== undefined || json.module !== undefined || json.exports !== undefined;
  const runsService = entries.size > 0;
  const isLibrary = json.private !== true && start === undefined && dockerCommands.length === 0 && procCommands.length === 0 && typeof json.name === 'string';

  const tools = new Map<string, string>();
  const addTool = (file: string, reason: string): void => {
    for (const candidate of sourceCandidates(path.resolve(dir, file), layout)) if (!entries.has(candidate) && !tools.has(candidate)) tools.set(candidate, reason);
  };
  const bins = binEntries(json);
  // A package in a service's repository that runs nothing itself (no start, Dockerfile, Procfile or compose command): its
  // bin is a developer's tool of that repository unless the service's own start runs it.
  const enclosingService = bins.length > 0 && !runsService ? enclosingServiceOf(dir) : undefined;
  for (const [name, file] of bins) {
    // A library's bin, or a service's bin beside the file its start runs, is a command-line tool shipped with it.
    if (isLibrary && published) addTool(file, `a command-line tool of the library (package.json "bin" ${name})`);
    else if (runsService) addTool(file, `a command-line tool beside the service (package.json "bin" ${name})`);
    else if (enclosingService && !sourceCandidates(path.resolve(dir, file), layout).some((candidate) => enclosingService.entries.has(candidate))) {
      addTool(file, `a command-line tool in the repository of the service at "${path.relative(dir, enclosingService.dir) || '.'}" (package.json "bin" ${name})`);
    } else addEntry(file, `package.json "bin" (${name})`);
  }
  // Only beside a service whose entry is known: without one, a script may be the only way the service is run.
  if (runsService) {
    for (const [name, command] of Object.entries(scripts)) {
      if (name === 'start' || serviceScriptName.test(name)) continue;
      for (const file of commandFiles(command, dir, scripts, 0)) addTool(file, `a developer script (package.json "${name}")`);
    }
    for (const command of workflowCommands(dir)) {
      for (const file of commandFiles(command, dir, scripts, 0)) addTool(file, 'a CI workflow script (.github/workflows)');
    }
  }

  const browserFiles = new Map<string, string>();
  for (const [file, reason] of [...browserEntries(json), ...htmlModuleEntries(dir)]) {
    for (const candidate of sourceCandidates(path.resolve(dir, file), layout)) browserFiles.set(candidate, reason);
  }

  let role: 'service' | 'library';
  let reason: string;
  if (json.private === true) {
    // A workspace's internal package that others import (it has an entry point and runs nothing itself) is a library.
    if (published && start === undefined && json.bin === undefined && dockerfile === undefined && isWorkspaceMember(dir)) {
      role = 'library';
      reason = 'a private workspace package with "main"/"exports" and no "start"';
    } else {
      role = 'service';
      reason = 'package.json "private"';
    }
  } else if (start !== undefined) {
    role = 'service';
    reason = 'package.json "start" script';
  } else if (dockerCommands.length > 0 || procCommands.length > 0) {
    role = 'service';
    reason = dockerCommands.length > 0 ? 'a Dockerfile command' : 'a Procfile command';
  } else if (typeof json.name === 'string') {
    role = 'library';
    reason = published ? 'a published package ("main"/"exports", not "private")' : 'a published package (not "private")';
  } else {
    role = 'service';
    reason = 'package.json neither names a package nor is "private"';
  }
  return { dir, role, reason, entries, tools, browserFiles, browserReason: layout.browserReason };
}

/** Scripts that run the service itself in some mode (`dev`, `start:prod`, `serve`, `watch-server`, `worker`), not a tool. */
const serviceScriptName = /^(?:start|dev|develop|serve|server|watch|debug|prod|production|preview|worker|workers|consumer|scheduler|cron|bot|app|api)(?:$|[:_-])/i;

/** The `run:` commands of the repository's GitHub workflows at `dir` (each line of a multi-line run). */
function workflowCommands(dir: string): string[] {
  const folder = path.join(dir, '.github', 'workflows');
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((name) => /\.ya?ml$/.test(name));
  } catch {
    return [];
  }
  const commands: string[] = [];
  for (const name of names) {
    const text = readText(path.join(folder, name)) ?? '';
    // Lines of run blocks look like shell commands; any other YAML line names no file a Node runner runs.
    for (const line of text.split(/\r?\n/)) commands.push(line.replace(/^\s*-?\s*run\s*:\s*\|?/, '').trim());
  }
  return commands;
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const record: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') record[key] = item;
  return record;
}

function binEntries(json: PackageJson): [string, string][] {
  if (typeof json.bin === 'string') return [[typeof json.name === 'string' ? json.name : 'bin', json.bin]];
  return Object.entries(stringRecord(json.bin));
}

/** Files named by `browser` (a string, or the replacement values of its object form) and by `browser` export conditions. */
function browserEntries(json: PackageJson): [string, string][] {
  const found: [string, string][] = [];
  if (typeof json.browser === 'string') found.push([json.browser, 'package.json "browser"']);
  else {
    for (const [from, to] of Object.entries(stringRecord(json.browser))) {
      if (to.startsWith('.') && from !== to) found.push([to, 'package.json "browser" replacement']);
    }
  }
  const visit = (value: unknown, inBrowser: boolean, depth: number): void => {
    if (depth > 6) return;
    if (typeof value === 'string') {
      if (inBrowser && value.startsWith('.')) found.push([value, 'package.json "exports" browser condition']);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, inBrowser, depth + 1);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(item, inBrowser || key === 'browser', depth + 1);
    }
  };
  visit(json.exports, false, 0);
  return found;
}

/** The nearest package above `dir` whose service entries are known (its start, Dockerfile, Procfile or compose runs a file). */
function enclosingServiceOf(dir: string): PackageInfo | undefined {
  const parent = path.dirname(dir);
  if (parent === dir) return undefined;
  const info = packageOf(parent);
  return info && info.entries.size > 0 && info.role === 'service' ? info : undefined;
}

/**
 * The scripts a front end's `index.html` at the package root loads as modules (`<script type="module" src="/src/main.js">`):
 * the entries Vite (and bundlers that read the page the same way) build for browsers. A `src` on another host is none.
 */
function htmlModuleEntries(dir: string): [string, string][] {
  const html = readText(path.join(dir, 'index.html'));
  if (html === undefined) return [];
  const found: [string, string][] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>/gi)) {
    const attributes = match[1]!;
    if (!/\btype\s*=\s*["']?module\b/i.test(attributes)) continue;
    const src = /\bsrc\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s>]+))/i.exec(attributes);
    const value = src ? (src[1] ?? src[2] ?? src[3])! : undefined;
    if (value === undefined || /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(value)) continue;
    found.push([`./${value.replace(/^\.?\//, '').replace(/[?#].*$/, '')}`, 'index.html loads it as a module script (a front end for browsers)']);
  }
  return found;
}

function isWorkspaceMember(dir: string): boolean {
  for (let parent = path.dirname(dir); parent !== path.dirname(parent); parent = path.dirname(parent)) {
    const text = readText(path.join(parent, 'package.json'));
    if (text === undefined) continue;
    try {
      const json = JSON.parse(text) as PackageJson;
      return json.workspaces !== undefined;
    } catch {
      return false;
    }
  }
  return false;
}

// --- where built files come from, and browser tsconfigs -------------------------------------------------------------

interface Layout {
  /** Built output folder → source folder (absolute), from tsconfig `outDir`/`rootDir` and common defaults. */
  readonly outToSource: readonly (readonly [string, string])[];
  readonly browserReason: string | undefined;
}

const outFolders = ['dist', 'build', 'lib', 'out', 'output', 'distribution'];
const sourceFolders = ['src', 'source', 'lib', ''];

function buildLayout(dir: string): Layout {
  const outToSource: [string, string][] = [];
  let browserReason: string | undefined;
  for (const name of ['tsconfig.json', 'tsconfig.build.json', 'jsconfig.json']) {
    const file = path.join(dir, name);
    if (!isFile(file)) continue;
    const options = compilerOptionsOf(file);
    if (!options) continue;
    if (options.outDir !== undefined) {
      const source = options.rootDir ?? path.join(dir, 'src');
      outToSource.push([path.resolve(dir, options.outDir), path.resolve(dir, source)]);
    }
    if (name === 'tsconfig.json' && browserReason === undefined && isBrowserOnly(options, dir)) {
      browserReason = 'tsconfig.json has the "dom" lib and no Node types';
    }
  }
  for (const out of outFolders) for (const source of sourceFolders) if (out !== source) outToSource.push([path.join(dir, out), path.join(dir, source)]);
  return { outToSource, browserReason };
}

function compilerOptionsOf(file: string): ts.CompilerOptions | undefined {
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error || typeof read.config !== 'object' || read.config === null) return undefined;
  // Only the options (extends followed): the file list is not needed, so no directory is scanned.
  const parsed = ts.parseJsonConfigFileContent({ ...read.config, files: [], include: [] }, ts.sys, path.dirname(file), undefined, file);
  return parsed.options;
}

function isBrowserOnly(options: ts.CompilerOptions, dir: string): boolean {
  const libs = (options.lib ?? []).map((lib) => lib.toLowerCase());
  if (!libs.some((lib) => lib.includes('dom'))) return false;
  if (options.types !== undefined) return !options.types.includes('node');
  // Without `types`, every @types package visible from the package is loaded: Node types when @types/node is there.
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, 'node_modules', '@types', 'node'))) return false;
    if (path.dirname(current) === current) return true;
  }
}

const sourceExtensions: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.js', '.ts', '.tsx', '.jsx'],
  '.mjs': ['.mjs', '.mts'],
  '.cjs': ['.cjs', '.cts'],
  '.ts': ['.ts'],
  '.tsx': ['.tsx'],
  '.mts': ['.mts'],
  '.cts': ['.cts'],
  '.jsx': ['.jsx'],
  '': ['', '.js', '.ts', '.mjs', '.cjs', '/index.js', '/index.ts'],
};

/** A file as named (absolute) and the source files it may be built from. */
function sourceCandidates(file: string, layout: Layout): string[] {
  const candidates = new Set<string>();
  const withExtensions = (base: string): void => {
    const extension = path.extname(base);
    const known = sourceExtensions[extension];
    const stem = known ? base.slice(0, base.length - extension.length) : base;
    for (const replacement of known ?? sourceExtensions['']!) candidates.add(stem + replacement);
  };
  withExtensions(file);
  for (const [out, source] of layout.outToSource) {
    if (file.startsWith(out + path.sep)) withExtensions(path.join(source, file.slice(out.length + 1)));
  }
  return [...candidates];
}

// --- commands: which file a start script, a Dockerfile or a Procfile runs ----------------------------------------------

const maxScriptDepth = 4;
/** Runners whose first non-option argument is the file they run. */
const fileRunners = new Set(['node', 'tsx', 'ts-node', 'ts-node-dev', 'tsnd', 'nodemon', 'node-dev', 'babel-node', 'bun', 'esno', 'esr', 'vite-node', 'jiti']);
/** Options of those runners that take a value as the next argument (`node --import tsx main.ts`). */
const optionsWithValue = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-e', '--eval', '-p', '--print', '--env-file', '-C', '--conditions', '--watch-path', '--project', '-P', '--tsconfig', '--inspect-port', '--title']);
/** nodemon's own options that take a value (`-w` and `--watch` are flags to Node). */
const nodemonOptionsWithValue = new Set(['-w', '--watch', '-i', '--ignore', '-e', '--ext', '-x', '--exec', '--delay', '-d', '--signal', '-s']);

/** The files a shell command runs with Node (following `npm run`/`yarn`/`pnpm` scripts and pm2 ecosystem files). */
function commandFiles(command: string, dir: string, scripts: Readonly<Record<string, string>>, depth: number): string[] {
  if (depth > maxScriptDepth) return [];
  const files: string[] = [];
  for (const part of command.split(/&&|\|\||;|\|/)) {
    const words = shellWords(part);
    while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words.shift();
    while (words.length > 0 && ['exec', 'npx', 'cross-env', 'env', 'dumb-init', 'tini', '--', 'pnpx', 'bunx'].includes(words[0]!)) {
      words.shift();
      while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words.shift();
    }
    const runner = words[0];
    if (runner === undefined) continue;
    const runnerName = path.basename(runner);
    if (runnerName === 'npm' || runnerName === 'yarn' || runnerName === 'pnpm' || runnerName === 'bun') {
      const script = scriptName(words.slice(1), runnerName);
      if (script !== undefined && scripts[script] !== undefined) files.push(...commandFiles(scripts[script], dir, scripts, depth + 1));
      if (runnerName !== 'bun' || script !== undefined) continue;
    }
    if (runnerName === 'pm2' || runnerName === 'pm2-runtime') {
      const target = words.slice(1).find((word) => !word.startsWith('-') && word !== 'start');
      if (target !== undefined) files.push(...(/\.(?:json|config\.[cm]?js)$/.test(target) ? pm2Scripts(path.resolve(dir, target)) : [target]));
      continue;
    }
    if (runnerName === 'nest' && words[1] === 'start') {
      files.push(...nestEntry(dir));
      continue;
    }
    if (!fileRunners.has(runnerName)) continue;
    const file = firstFileArgument(words.slice(1), runnerName);
    if (file !== undefined) files.push(file);
  }
  return files;
}

function scriptName(args: readonly string[], runner: string): string | undefined {
  const [first, second] = args;
  if (first === 'run' || first === 'run-script') return second;
  if (first === 'start' || first === 'test') return first;
  // `yarn serve`, `pnpm serve`, `bun serve`: a script name straight after the runner.
  return runner !== 'npm' && first !== undefined && !first.startsWith('-') ? first : undefined;
}

function firstFileArgument(args: readonly string[], runner: string): string | undefined {
  const takesValue = runner === 'nodemon' ? nodemonOptionsWithValue : optionsWithValue;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (index === 0 && ((arg === 'run' && runner === 'bun') || (arg === 'watch' && runner === 'tsx'))) continue;
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && takesValue.has(arg)) index++;
      continue;
    }
    return arg;
  }
  return undefined;
}

/** Words of a shell command, with simple quoting (no expansion: a `$VAR` stays as written). */
function shellWords(command: string): string[] {
  const words: string[] = [];
  for (const match of command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}

function pm2Scripts(file: string): string[] {
  const text = readText(file);
  if (text === undefined) return [];
  // JSON ecosystem files are read; JavaScript ones are scanned for `script: '…'` (they are never run).
  const found: string[] = [];
  for (const match of text.matchAll(/["']?script["']?\s*:\s*["']([^"']+)["']/g)) found.push(path.resolve(path.dirname(file), match[1]!));
  return found;
}

function nestEntry(dir: string): string[] {
  const text = readText(path.join(dir, 'nest-cli.json'));
  let sourceRoot = 'src';
  let entryFile = 'main';
  if (text !== undefined) {
    try {
      const json = JSON.parse(text) as { sourceRoot?: unknown; entryFile?: unknown };
      if (typeof json.sourceRoot === 'string') sourceRoot = json.sourceRoot;
      if (typeof json.entryFile === 'string') entryFile = json.entryFile;
    } catch {
      // An unreadable nest-cli.json: Nest's own defaults.
    }
  }
  return [path.join(sourceRoot, `${entryFile}.ts`), path.join(sourceRoot, `${entryFile}.js`)];
}

/** The commands of `CMD` and `ENTRYPOINT` instructions (exec form or shell form) of a Dockerfile's final stage. */
function dockerfileCommands(text: string): string[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const commands: string[] = [];
  for (const line of joined.split(/\r?\n/)) {
    const match = /^\s*(CMD|ENTRYPOINT|FROM)\s+(.*)$/i.exec(line);
    if (!match) continue;
    if (match[1]!.toUpperCase() === 'FROM') {
      commands.length = 0;
      continue;
    }
    const value = match[2]!.trim();
    if (value.startsWith('[')) {
      try {
        const parts: unknown = JSON.parse(value);
        if (Array.isArray(parts)) commands.push(parts.filter((part): part is string => typeof part === 'string').map(quoteIfNeeded).join(' '));
        continue;
      } catch {
        // Not JSON: read it as a shell command.
      }
    }
    commands.push(value.replace(/^(?:\/bin\/)?(?:ba)?sh\s+-c\s+/, ''));
  }
  return commands;
}

function quoteIfNeeded(word: string): string {
  return /\s/.test(word) ? `'${word}'` : word;
}

const composeFiles = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];

/** The `command:` of each service of a docker compose file at `dir` (the string form or the exec-form list). */
function composeCommands(dir: string): string[] {
  const commands: string[] = [];
  for (const name of composeFiles) {
    const text = readText(path.join(dir, name));
    if (text === undefined) continue;
    for (const match of text.matchAll(/^\s*command\s*:\s*(.+)$/gm)) {
      const value = match[1]!.trim();
      if (value.startsWith('[')) {
        const parts = [...value.matchAll(/"([^"]*)"|'([^']*)'|([^\s,[\]]+)/g)].map((part) => part[1] ?? part[2] ?? part[3]!);
        commands.push(parts.map(quoteIfNeeded).join(' '));
      } else {
        commands.push(value.replace(/^["']|["']$/g, '').replace(/^(?:\/bin\/)?(?:ba)?sh\s+-c\s+/, '').replace(/^["']|["']$/g, ''));
      }
    }
  }
  return commands;
}

function procfileCommands(text: string): string[] {
  const commands: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(web|worker)\s*:\s*(.+)$/.exec(line);
    if (match) commands.push(match[2]!);
  }
  return commands;
}

/** Forgets what was read from disk (for tests that write package files, and long-lived processes that change them). */
export function clearRoleCache(): void {
  nearestPackageDir.clear();
  packages.clear();
}

/** Whether the package of a file declares its service entries (start, bin, Dockerfile, Procfile, docker compose). */
export function packageDeclaresEntries(fileName: string, cwd: string): boolean {
  const info = packageOf(path.dirname(path.resolve(cwd, fileName)));
  return info !== undefined && info.entries.size > 0;
}

/** Why the package declares a file as its entry (`package.json "start" script`, `a Dockerfile command`, …), or undefined. */
export function entryReasonOf(fileName: string, cwd: string): string | undefined {
  const absolute = path.resolve(cwd, fileName);
  return packageOf(path.dirname(absolute))?.entries.get(absolute);
}
