/**
 * Behaviour tests: the original and the rewritten code run as real Node processes and what they do is compared.
 *
 * A case is a fixture pair under test/fixtures (its `input.*` is the original). The harness copies the input twice
 * into scratch directories (each with the repository's node_modules linked, so `@quiesce/runtime-shim` resolves),
 * runs the codemod on one copy, and starts both files with the same stdin, environment and signals. TypeScript
 * inputs are transpiled to CommonJS first (Node 20 cannot run them), the same way for both copies. A case of several
 * files (companions `<name>.input.<ext>`, see fixtures.test.ts) has them copied too, and its TypeScript files are
 * each transpiled to `<name>.js` beside them, in the module system of the case's package.json `type`, so their
 * imports of one another (`./email.js`) resolve.
 *
 * Every child is bounded in time and killed (SIGKILL) by `killAll()`, which the tests call in `afterEach`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { runCodemod, type CodemodResult } from '../../src/index.js';
import { companionsOf, packageDirectory, scratchDirectory, defaultTsconfig, writeJson } from '../helpers.js';

export const fixturesDirectory = path.join(packageDirectory, 'test/fixtures');

/** What one process did: the lines it printed, how it ended, and how long it took from the signal. */
export interface ProcessRun {
  readonly lines: readonly string[];
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the bound was reached and the harness killed it. */
  readonly killedByHarness: boolean;
  /** Milliseconds from the first signal sent to the exit (undefined when no signal was sent). */
  readonly msAfterSignal: number | undefined;
  /** How many lines had been printed when the signal was sent (`lines.slice(n)` came after it). */
  readonly linesBeforeSignal: number | undefined;
}

export interface RunPlan {
  /** Send this signal once a printed line matches `when` (default: the line `ready`). */
  readonly signal?: NodeJS.Signals;
  readonly when?: (line: string) => boolean;
  /** Written to the child's stdin every `everyMs` until it exits (a source of work the shim does not stop). */
  readonly feed?: { readonly text: string; readonly everyMs: number };
  /** Hard bound: the child is killed after this many ms (default 10 s). */
  readonly boundMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

export interface PreparedCase {
  /** The original file, runnable. */
  readonly original: string;
  /** The codemod's rewrite of it, runnable. */
  readonly rewritten: string;
  readonly originalText: string;
  readonly rewrittenText: string;
  readonly result: CodemodResult;
  remove(): void;
}

const children = new Set<ChildProcess>();
const scratches: { remove(): void }[] = [];

/** Kills every child still running and removes the scratch directories (call in afterEach). */
export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const scratch of scratches.splice(0)) scratch.remove();
}

interface CaseOptions {
  readonly typeCheck?: boolean;
  readonly entries?: string[];
  readonly settings?: Record<string, unknown>;
}

/**
 * Copies fixture `name`'s input (and its package.json/tsconfig.json) into two scratch directories, runs the codemod
 * on the second (with the fixture's options.json, as the fixture test does), and returns runnable paths for both.
 */
export async function prepareCase(name: string): Promise<PreparedCase> {
  const caseDirectory = path.join(fixturesDirectory, name);
  const entries = readdirSync(caseDirectory);
  const inputName = entries.find((entry) => entry.startsWith('input.'));
  if (!inputName) throw new Error(`fixture ${name} has no input.* file`);
  const optionsFile = path.join(caseDirectory, 'options.json');
  const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as CaseOptions) : {};
  const copies = ['original', 'rewritten'].map((label) => {
    const scratch = scratchDirectory(`behaviour-${name}-${label}`);
    scratches.push(scratch);
    copyFileSync(path.join(caseDirectory, inputName), path.join(scratch.directory, inputName));
    for (const extra of ['package.json', 'tsconfig.json', ...entries.filter((entry) => entry.endsWith('.d.ts'))]) {
      if (entries.includes(extra)) copyFileSync(path.join(caseDirectory, extra), path.join(scratch.directory, extra));
    }
    for (const companion of companionsOf(entries)) copyFileSync(path.join(caseDirectory, companion.input), path.join(scratch.directory, companion.copiedAs));
    if (!entries.includes('tsconfig.json')) writeJson(path.join(scratch.directory, 'tsconfig.json'), defaultTsconfig);
    return scratch;
  });
  const [original, rewritten] = copies as [{ directory: string; remove(): void }, { directory: string; remove(): void }];
  const result = await runCodemod({
    cwd: rewritten.directory,
    typeCheck: options.typeCheck ?? false,
    allowDirty: true,
    ...(options.entries ? { entries: options.entries } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const originalFile = path.join(original.directory, inputName);
  const rewrittenFile = path.join(rewritten.directory, inputName);
  const companions = companionsOf(entries).map((companion) => companion.copiedAs);
  const run = (file: string): string => (companions.length === 0 ? runnable(file) : runnableTogether(file, companions));
  return {
    original: run(originalFile),
    rewritten: run(rewrittenFile),
    originalText: readFileSync(originalFile, 'utf8'),
    rewrittenText: readFileSync(rewrittenFile, 'utf8'),
    result,
    remove: () => {
      original.remove();
      rewritten.remove();
    },
  };
}

/** A file Node 20 can run: JavaScript as it is; TypeScript transpiled to CommonJS beside it (`.run.cjs`). */
function runnable(file: string): string {
  if (!/\.[cm]?tsx?$/.test(file)) return file;
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const target = file.replace(/\.[cm]?tsx?$/, '.run.cjs');
  writeFileSync(target, output.outputText);
  return target;
}

/**
 * The input of a case with companions, runnable: JavaScript as it is; TypeScript files (the input and each
 * companion) transpiled to `<name>.js` beside them, as ES modules where the package.json says `"type": "module"`,
 * else CommonJS.
 */
function runnableTogether(file: string, companions: readonly string[]): string {
  if (!/\.[cm]?tsx?$/.test(file)) return file;
  const directory = path.dirname(file);
  const manifest = path.join(directory, 'package.json');
  const esm = existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module';
  let target = file;
  for (const source of [file, ...companions.map((name) => path.join(directory, name))]) {
    if (!/\.[cm]?tsx?$/.test(source)) continue;
    const output = ts.transpileModule(readFileSync(source, 'utf8'), {
      fileName: source,
      compilerOptions: { module: esm ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const js = source.replace(/\.[cm]?tsx?$/, '.js');
    writeFileSync(js, output.outputText);
    if (source === file) target = js;
  }
  return target;
}

/** Starts `file` with Node, sends the plan's signal when its line appears, and resolves when it exits or is killed. */
export function runProcess(file: string, plan: RunPlan = {}): Promise<ProcessRun> {
  const boundMs = plan.boundMs ?? 10_000;
  const when = plan.when ?? ((line: string) => line === 'ready');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd: path.dirname(file),
      env: { ...process.env, QUIESCE_TIMEOUT_MS: '3000', ...plan.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.add(child);
    const lines: string[] = [];
    let stderr = '';
    let pendingText = '';
    let signalledAt: number | undefined;
    let linesBeforeSignal: number | undefined;
    let killedByHarness = false;
    const bound = setTimeout(() => {
      killedByHarness = true;
      child.kill('SIGKILL');
    }, boundMs);
    const feeder = plan.feed
      ? setInterval(() => {
          if (child.stdin.writable) child.stdin.write(plan.feed!.text);
        }, plan.feed.everyMs)
      : undefined;
    child.stdin.on('error', () => {
      // The child exited while being fed: EPIPE is expected then.
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pendingText += chunk;
      const parts = pendingText.split('\n');
      pendingText = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (plan.signal && signalledAt === undefined && when(line)) {
          signalledAt = performance.now();
          linesBeforeSignal = lines.length;
          child.kill(plan.signal);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    let exitedAt = 0;
    child.on('exit', () => {
      exitedAt = performance.now();
      clearTimeout(bound);
      if (feeder) clearInterval(feeder);
    });
    // 'close' comes after 'exit' and after the pipes delivered what the child wrote last.
    child.on('close', (code, signal) => {
      if (pendingText) lines.push(pendingText);
      children.delete(child);
      resolve({
        lines,
        stderr,
        code,
        signal,
        killedByHarness,
        msAfterSignal: signalledAt === undefined ? undefined : Math.round(exitedAt - signalledAt),
        linesBeforeSignal,
      });
    });
  });
}

/** The lines that start with `prefix` (a fixture prints its events as `event: …`), without it. */
export function eventsOf(run: ProcessRun, prefix = 'event: '): string[] {
  return run.lines.filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length));
}

/** The events printed after the signal was sent. */
export function eventsAfterSignal(run: ProcessRun, prefix = 'event: '): string[] {
  return eventsOf({ ...run, lines: run.lines.slice(run.linesBeforeSignal ?? run.lines.length) }, prefix);
}

/** Work that printed `<id> started` and never `<id> done`. */
export function unfinished(run: ProcessRun): string[] {
  const events = eventsOf(run);
  return events
    .filter((event) => / started$/.test(event))
    .map((event) => event.replace(/ started$/, ''))
    .filter((work) => !events.includes(`${work} done`));
}

/** A readable dump of a run for assertion messages. */
export function describeRun(run: ProcessRun): string {
  return JSON.stringify({ code: run.code, signal: run.signal, killed: run.killedByHarness, lines: run.lines, stderr: run.stderr.slice(-2000) }, null, 1);
}
