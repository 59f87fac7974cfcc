// Shutdown hooks. Intake hooks stop intake (consumers, listeners) and run side by side, since
// each stops a different door; cleanup hooks close what the drained work used (pools, files)
// and run one at a time, last registered first, as resources are usually opened in order.
// A hook that throws or overruns is reported and the others still run.

import { notifyAll, type ShutdownObserver } from './observers.js';

export type ShutdownPhase = 'intake' | 'cleanup';

export interface ShutdownHookContext {
  /** Why shutdown started, e.g. `'SIGTERM'`. */
  reason: string;
  /** Aborted when shutdown starts (already aborted while hooks run). */
  signal: AbortSignal;
  /** Milliseconds left before the shutdown deadline. */
  remainingMs(): number;
}

export type ShutdownHook = (context: ShutdownHookContext) => unknown;

export interface OnShutdownOptions {
  /** Shown in logs and in the report. Defaults to the function's name. */
  name?: string;
  /** `'intake'` runs first, before the drain; `'cleanup'` (default) runs after it. */
  phase?: ShutdownPhase;
  /** Longest this hook may take; it is also bounded by the shutdown deadline. */
  timeoutMs?: number;
}

export interface HookFailure {
  name: string;
  phase: ShutdownPhase;
  /** True when the hook overran its time (its own `timeoutMs` or the deadline). */
  timedOut: boolean;
  message: string;
  error?: unknown;
}

interface HookEntry {
  hook: ShutdownHook;
  name: string;
  phase: ShutdownPhase;
  timeoutMs: number | undefined;
}

export interface HookRunResult {
  ran: number;
  failures: HookFailure[];
}

export class HookRegistry {
  private entries: HookEntry[] = [];
  private unnamedCount = 0;

  add(hook: ShutdownHook, options: OnShutdownOptions): () => void {
    const phase = options.phase ?? 'cleanup';
    const name = options.name ?? (hook.name || `${phase} hook #${++this.unnamedCount}`);
    const entry: HookEntry = { hook, name, phase, timeoutMs: options.timeoutMs };
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((candidate) => candidate !== entry);
    };
  }

  count(phase: ShutdownPhase): number {
    return this.entries.filter((entry) => entry.phase === phase).length;
  }

  /** `observers`, when any watch: told as each hook starts and ends. */
  async run(phase: ShutdownPhase, context: ShutdownHookContext, observers?: Set<ShutdownObserver>): Promise<HookRunResult> {
    const entries = this.entries.filter((entry) => entry.phase === phase);
    const failures: HookFailure[] = [];
    const runObserved = (entry: HookEntry): Promise<HookFailure | undefined> => {
      if (observers === undefined || observers.size === 0) return runOne(entry, context);
      notifyAll(observers, 'hookStart', [phase, entry.name]);
      return runOne(entry, context).then((failure) => {
        notifyAll(observers, 'hookEnd', [phase, entry.name, failure?.message]);
        return failure;
      });
    };
    if (phase === 'intake') {
      const outcomes = await Promise.all(entries.map(runObserved));
      for (const failure of outcomes) if (failure) failures.push(failure);
    } else {
      for (const entry of entries.reverse()) {
        const failure = await runObserved(entry);
        if (failure) failures.push(failure);
      }
    }
    return { ran: entries.length, failures };
  }
}

async function runOne(entry: HookEntry, context: ShutdownHookContext): Promise<HookFailure | undefined> {
  const limitMs = Math.max(0, Math.min(entry.timeoutMs ?? Infinity, context.remainingMs()));
  let timer: ReturnType<typeof globalThis.setTimeout> | undefined;
  const overrun = new Promise<'overrun'>((resolve) => {
    timer = globalThis.setTimeout(() => resolve('overrun'), limitMs);
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(() => entry.hook(context)), overrun]);
    if (outcome === 'overrun') {
      return {
        name: entry.name,
        phase: entry.phase,
        timedOut: true,
        message: `${entry.phase} hook '${entry.name}' did not finish within ${Math.round(limitMs)} ms`,
      };
    }
    return undefined;
  } catch (error) {
    return {
      name: entry.name,
      phase: entry.phase,
      timedOut: false,
      message: `${entry.phase} hook '${entry.name}' failed: ${error instanceof Error ? error.message : String(error)}`,
      error,
    };
  } finally {
    globalThis.clearTimeout(timer);
  }
}
