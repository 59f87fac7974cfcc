// `@quiesce/runtime-shim/testing`: test a service's shutdown inside its own test suite (vitest,
// jest, node:test). A test quiescer is a fresh quiescer with no signal handlers and no exit; by
// default the package's module-level functions (`track`, `setInterval`, `onShutdown`,
// `trackServer`, `shutdownSignal`, …) act on it until `restore()`, so code that imports the shim
// directly is tested as it is. Its shutdown returns what happened — the report, the work begun
// after intake, the hooks in the order they ran — and the `expect…` functions throw node:assert's
// AssertionError with a message that names what went wrong, which every test runner reports.

import { AssertionError } from 'node:assert';
import {
  createAsyncLineage,
  exchangeState,
  expectOptionalDuration,
  formatDuration,
  harnessOf,
  invalidArgument,
  observeShutdown,
  validateQuiescerOptions,
  type NewWork,
  type ObservedPhase,
  type QuiescerOptions,
  type ShutdownReport,
} from './core/index.js';
import { configureServerDefaults } from './server/index.js';
import { Quiescer } from './index.js';

// `[Symbol.dispose]` below needs `Symbol.dispose` in a consumer's types: TypeScript's lib has it from 5.2
// (esnext.disposable) and @types/node from 20; declared here the same way for projects on older ones.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

export type { NewWork } from './core/index.js';

/** The harness's deadline unless given: long enough for a test's work, short enough to fail before the runner's own test timeout. */
export const defaultTestTimeoutMs = 2_000;

export interface TestQuiescerOptions extends QuiescerOptions {
  /**
   * Point the module-level functions of `@quiesce/runtime-shim` at this quiescer until `restore()`
   * (one test quiescer at a time). `false`: an isolated quiescer only, for code that is given it.
   * Default true.
   */
  replaceDefault?: boolean;
  /** Readiness delay of the tracked servers (the service's own `installShutdownHandlers` options do not apply). Default 0. */
  readinessDelayMs?: number;
}

/** A hook as it ran, in the order hooks started (intake hooks start together, in registration order). */
export interface HookRun {
  phase: 'intake' | 'cleanup';
  name: string;
  /** Why it failed (threw, rejected, overran), when it did. */
  failure?: string;
}

/** What the test quiescer saw, in order; `t` is ms since the epoch, as in the timeline file. */
export type HarnessEvent =
  | { event: 'shutdown-start'; t: number; reason: string }
  | { event: 'phase-start' | 'phase-end'; t: number; phase: ObservedPhase }
  | { event: 'timers-stopped'; t: number; count: number }
  | ({ event: 'work-after-intake'; t: number } & NewWork)
  | { event: 'hook-start'; t: number; phase: 'intake' | 'cleanup'; name: string }
  | { event: 'hook-end'; t: number; phase: 'intake' | 'cleanup'; name: string; failure?: string };

/** A shutdown run by the harness: what `expectDrained`, `expectNoWorkAfterIntake` and `expectHookOrder` check. */
export interface TestShutdown {
  report: ShutdownReport;
  /** Work begun once the shutdown had started, outside every piece of work in flight (docs/timeline.md). */
  workAfterIntake: NewWork[];
  hooks: HookRun[];
  events: HarnessEvent[];
}

export interface TestQuiescer {
  /** The quiescer under test: pass it to code that takes one; with `replaceDefault`, the module-level functions act on it too. */
  readonly quiescer: Quiescer;
  /** Runs intake → drain → cleanup once (no signal, no exit) and resolves with what happened. */
  shutdown(reason?: string): Promise<TestShutdown>;
  /** What happened so far (a shutdown still running, or none). */
  readonly events: readonly HarnessEvent[];
  /**
   * Gives the module-level functions their own quiescer back and stops what the test left running
   * (its timers stop, its work drains in the background). Idempotent; also `[Symbol.dispose]`.
   */
  restore(): void;
  [Symbol.dispose](): void;
}

const now = (): number => performance.timeOrigin + performance.now();

// The quiescer the module-level functions are bound to (the package index's), and the test
// quiescer they act on meanwhile.
let defaultQuiescer: Quiescer | undefined;
let active: TestQuiescer | undefined;

/** The package's default quiescer: the index binds its functions to it, so a fresh instance made here only lends it a state. */
function theDefault(): Quiescer {
  if (defaultQuiescer === undefined) {
    const holder = globalThis as typeof globalThis & { [key: symbol]: Quiescer | undefined };
    const found = holder[Symbol.for('@quiesce/runtime-shim/default-quiescer@1')];
    if (found === undefined) throw new Error('@quiesce/runtime-shim/testing: the package index did not create its default quiescer');
    defaultQuiescer = found;
  }
  return defaultQuiescer;
}

/**
 * A quiescer for one test: fresh, with no signal handlers, never exiting the process, and (by
 * default) behind the module-level functions of `@quiesce/runtime-shim` until `restore()`.
 * Create it before the code under test starts its work: what that code tracked before belongs to
 * whichever quiescer was current then.
 */
export function createTestQuiescer(options?: TestQuiescerOptions): TestQuiescer {
  const { replaceDefault = true, readinessDelayMs, ...quiescerOptions } = options ?? {};
  validateQuiescerOptions('createTestQuiescer', quiescerOptions);
  expectOptionalDuration('createTestQuiescer', 'options.readinessDelayMs', readinessDelayMs);
  if (typeof replaceDefault !== 'boolean') throw invalidArgument('createTestQuiescer', 'options.replaceDefault', 'a boolean', replaceDefault);
  if (replaceDefault && active !== undefined) {
    throw new Error(
      'createTestQuiescer: another test quiescer still replaces the default one; call restore() on it first (in afterEach, or with `using`)',
    );
  }

  const fresh = new Quiescer({ logger: false, timeoutMs: defaultTestTimeoutMs, ...quiescerOptions });
  const harness = harnessOf(fresh, true)!;
  configureServerDefaults(fresh, { readinessDelayMs: readinessDelayMs ?? 0 });

  let events: HarnessEvent[] = [];
  observeShutdown(
    fresh,
    {
      shutdownStart: (reason) => events.push({ event: 'shutdown-start', t: now(), reason }),
      phaseStart: (phase) => events.push({ event: 'phase-start', t: now(), phase }),
      phaseEnd: (phase) => events.push({ event: 'phase-end', t: now(), phase }),
      timersStopped: (count) => events.push({ event: 'timers-stopped', t: now(), count }),
      workAfterIntake: (work) => events.push({ event: 'work-after-intake', t: now(), ...work }),
      hookStart: (phase, name) => events.push({ event: 'hook-start', t: now(), phase, name }),
      hookEnd: (phase, name, failure) => events.push({ event: 'hook-end', t: now(), phase, name, ...(failure ? { failure } : {}) }),
    },
    createAsyncLineage(),
  );

  // With replaceDefault the quiescer under test is the default instance, holding the fresh state;
  // `fresh` holds the default's own state until restore() exchanges them back.
  const underTest = replaceDefault ? theDefault() : fresh;
  if (replaceDefault) exchangeState(underTest, fresh);
  let restored = false;

  const testQuiescer: TestQuiescer = {
    quiescer: underTest,
    get events() {
      return events;
    },
    async shutdown(reason = 'test') {
      const report = await underTest.shutdown(reason);
      const seen = events;
      return {
        report,
        workAfterIntake: seen.flatMap((event) => (event.event === 'work-after-intake' ? [workOf(event)] : [])),
        hooks: hookRunsOf(seen),
        events: [...seen],
      };
    },
    restore() {
      if (restored) return;
      restored = true;
      const testState = replaceDefault ? fresh : underTest;
      if (replaceDefault) {
        exchangeState(underTest, fresh);
        active = undefined;
      }
      for (const cleanup of harness.cleanups.splice(0)) cleanup();
      // Whatever the test left running stops now; its work drains in the background, unobserved.
      events = [];
      void testState.shutdown('test quiescer restored');
    },
    [Symbol.dispose]() {
      testQuiescer.restore();
    },
  };
  if (replaceDefault) active = testQuiescer;
  return testQuiescer;
}

function workOf(event: { kind: string; name: string; location?: string }): NewWork {
  return { kind: event.kind, name: event.name, ...(event.location !== undefined ? { location: event.location } : {}) };
}

function hookRunsOf(events: readonly HarnessEvent[]): HookRun[] {
  const runs: HookRun[] = [];
  for (const event of events) {
    if (event.event === 'hook-start') runs.push({ phase: event.phase, name: event.name });
    if (event.event === 'hook-end' && event.failure !== undefined) {
      const run = runs.find((candidate) => candidate.phase === event.phase && candidate.name === event.name && candidate.failure === undefined);
      if (run !== undefined) run.failure = event.failure;
    }
  }
  return runs;
}

function isTestShutdown(value: unknown): value is TestShutdown {
  return typeof value === 'object' && value !== null && 'report' in value && 'workAfterIntake' in value && 'hooks' in value;
}

function isReport(value: unknown): value is ShutdownReport {
  return typeof value === 'object' && value !== null && 'pending' in value && 'deadlineHit' in value && 'hookErrors' in value;
}

function reportOf(where: string, value: TestShutdown | ShutdownReport): ShutdownReport {
  if (isTestShutdown(value)) return value.report;
  if (isReport(value)) return value;
  throw new TypeError(`${where}: expected what testQuiescer.shutdown() resolves with (or a ShutdownReport), got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
}

function fail(message: string, actual: unknown, expected: unknown, stackStart: (...args: never[]) => unknown): never {
  // 'fail': the message says it all (another operator makes node:assert append a diff of actual and expected to it).
  const error = new AssertionError({ message, actual, expected, operator: 'fail', stackStartFn: stackStart });
  throw error;
}

function indent(lines: string[]): string {
  return lines.map((line) => `  - ${line}`).join('\n');
}

function describeWork(work: { kind: string; name: string; location?: string }): string {
  const at = work.location !== undefined && !work.name.includes(work.location) ? ` at ${work.location}` : '';
  return `${work.kind} '${work.name}'${at}`;
}

/**
 * Asserts the shutdown drained: the deadline did not hit, nothing was pending, no hook failed and
 * no uncaught error was recorded. Takes what `testQuiescer.shutdown()` resolves with, or a report.
 */
export function expectDrained(shutdown: TestShutdown | ShutdownReport): void {
  const report = reportOf('expectDrained', shutdown);
  const problems: string[] = [];
  if (report.pending.length > 0) {
    const listed = report.pending.map(
      (work) => `${describeWork(work)} (${formatDuration(work.ageMs)} old)`,
    );
    problems.push(
      `the deadline (${formatDuration(report.timeoutMs)}) hit with ${report.pending.length} piece(s) of work still pending:\n${indent(listed)}`,
    );
  } else if (report.deadlineHit) {
    problems.push(`the deadline (${formatDuration(report.timeoutMs)}) hit while a hook ran`);
  }
  if (report.hookErrors.length > 0) problems.push(`${report.hookErrors.length} hook(s) failed:\n${indent(report.hookErrors.map((failure) => failure.message))}`);
  if (report.faults.length > 0) {
    problems.push(`${report.faults.length} uncaught error(s) were recorded:\n${indent(report.faults.map((fault) => `${fault.origin}: ${fault.message.split('\n')[0]}`))}`);
  }
  if (problems.length === 0) return;
  fail(
    `expected the shutdown to drain, but ${problems.join('\nand ')}`,
    { pending: report.pending.map(describeWork), hookErrors: report.hookErrors.map((failure) => failure.message), faults: report.faults.map((fault) => fault.origin) },
    { pending: [], hookErrors: [], faults: [] },
    expectDrained,
  );
}

/** Asserts that no work began once the shutdown had started, outside the work in flight (docs/timeline.md). */
export function expectNoWorkAfterIntake(shutdown: TestShutdown): void {
  if (!isTestShutdown(shutdown)) {
    throw new TypeError(`expectNoWorkAfterIntake: expected what testQuiescer.shutdown() resolves with, got ${describe(shutdown)}`);
  }
  const late = shutdown.workAfterIntake;
  if (late.length === 0) return;
  // The same work begun again and again (an interval that was not stopped) is one line with a count.
  const counts = new Map<string, number>();
  for (const work of late) counts.set(describeWork(work), (counts.get(describeWork(work)) ?? 0) + 1);
  const lines = [...counts].map(([line, count]) => (count > 1 ? `${line} (${count} times)` : line));
  fail(
    `expected no work to begin after intake, but ${late.length} piece(s) did (started outside any work in flight: stop their source at intake, e.g. a tracked setInterval or an onShutdown(…, { phase: 'intake' }) hook):\n${indent(lines)}`,
    late.map(describeWork),
    [],
    expectNoWorkAfterIntake,
  );
}

/**
 * Asserts that each named hook ran, in this order (other hooks may run between them). A name is
 * the hook's `name` option or its function's name; prefix it with its phase to be specific
 * (`'intake:stop consumer'`).
 */
export function expectHookOrder(shutdown: TestShutdown, names: readonly string[]): void {
  if (!isTestShutdown(shutdown)) throw new TypeError(`expectHookOrder: expected what testQuiescer.shutdown() resolves with, got ${describe(shutdown)}`);
  if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) {
    throw new TypeError('expectHookOrder: expected an array of hook names, e.g. expectHookOrder(result, ["stop consumer", "close pool"])');
  }
  const ran = shutdown.hooks.map((hook) => `${hook.phase}:${hook.name}`);
  const matches = (hook: string, name: string) => hook === name || hook.slice(hook.indexOf(':') + 1) === name;
  let from = 0;
  for (const name of names) {
    const index = ran.findIndex((hook, position) => position >= from && matches(hook, name));
    if (index === -1) {
      const ranEarlier = ran.findIndex((hook) => matches(hook, name));
      const why =
        ranEarlier === -1
          ? `hook '${name}' did not run`
          : `hook '${name}' ran, but before '${names[names.indexOf(name) - 1] ?? ''}'`;
      fail(
        `expected the hooks to run in the order ${names.map((n) => `'${n}'`).join(' → ')}, but ${why}; they ran: ${ran.length > 0 ? ran.join(' → ') : '(no hooks)'}`,
        ran,
        [...names],
        expectHookOrder,
      );
    }
    from = index + 1;
  }
  const failed = shutdown.hooks.filter((hook) => hook.failure !== undefined && names.some((name) => matches(`${hook.phase}:${hook.name}`, name)));
  if (failed.length > 0) {
    fail(
      `expected the hooks ${names.map((n) => `'${n}'`).join(' → ')} to run, and they did in order, but ${failed.length} failed:\n${indent(failed.map((hook) => hook.failure!))}`,
      failed.map((hook) => hook.failure),
      [],
      expectHookOrder,
    );
  }
}
