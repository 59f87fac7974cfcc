// The set of work in flight: tasks, running timer callbacks, requests. The drain waits until
// it is empty. This sits on the hot path of `track()`, so an item is one small fixed-shape
// object and beginning or ending work is a Set insert or delete.

import { captureCallerLocation } from './location.js';

/** What kind of work is in flight; integrations may use their own kinds. */
export type WorkKind = 'task' | 'timer-callback' | 'callback' | 'request' | 'connection' | (string & {});

export interface BeginWorkOptions {
  /** Shown in the report; defaults to `'task'`. */
  kind?: WorkKind;
  /** Shown in the report for work still pending at the deadline. */
  name?: string;
  /** Called once if the deadline hits while this work is still pending (e.g. destroy its socket). */
  onDeadline?: () => void;
}

/** One piece of work in flight; `end()` is idempotent. */
export interface WorkHandle {
  end(): void;
}

export interface PendingWork {
  kind: WorkKind;
  name: string;
  /** Milliseconds since the work began, at the moment the report was made. */
  ageMs: number;
  /** Where it began, when locations are captured (option `captureLocations`). */
  location?: string;
}

class WorkItem implements WorkHandle {
  constructor(
    private readonly registry: WorkRegistry,
    readonly kind: WorkKind,
    readonly name: string | undefined,
    readonly startedAt: number,
    readonly location: string | undefined,
    readonly onDeadline: (() => void) | undefined,
  ) {}

  end(): void {
    this.registry.finish(this);
  }
}

export class WorkRegistry {
  private readonly inFlight = new Set<WorkItem>();
  private finishedCount = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly shouldCaptureLocation: () => boolean) {}

  get size(): number {
    return this.inFlight.size;
  }

  /** How many pieces of work have finished since this registry was made. */
  get finished(): number {
    return this.finishedCount;
  }

  begin(kind: WorkKind, name: string | undefined, onDeadline?: () => void): WorkHandle {
    const location = name === undefined && this.shouldCaptureLocation() ? captureCallerLocation() : undefined;
    const item = new WorkItem(this, kind, name, performance.now(), location, onDeadline);
    this.inFlight.add(item);
    return item;
  }

  /** Tracks a promise as work; the returned promise settles as the input does (see `track`). */
  trackPromise<T>(promise: PromiseLike<T>, kind: WorkKind, name: string | undefined): Promise<T> {
    const item = this.begin(kind, name);
    // `finally` hands back a promise that rejects exactly like the input and marks the input
    // handled: a rejection is neither swallowed nor reported twice.
    const native = promise instanceof Promise ? (promise as Promise<T>) : Promise.resolve(promise);
    return native.finally(() => item.end());
  }

  finish(item: WorkItem): void {
    if (!this.inFlight.delete(item)) return;
    this.finishedCount++;
    if (this.inFlight.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Resolves once nothing is in flight, including work begun while waiting. */
  whenIdle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  pending(now = performance.now()): PendingWork[] {
    return [...this.inFlight].map((item) => ({
      kind: item.kind,
      name: item.name ?? (item.location ? `unnamed ${item.kind} at ${item.location}` : `unnamed ${item.kind}`),
      ageMs: Math.round(now - item.startedAt),
      ...(item.location ? { location: item.location } : {}),
    }));
  }

  /** At the deadline: let each pending piece of work give up its resources (sockets, handles). */
  abandonPending(onError: (error: unknown, name: string) => void): void {
    for (const item of this.inFlight) {
      if (!item.onDeadline) continue;
      try {
        item.onDeadline();
      } catch (error) {
        onError(error, item.name ?? item.kind);
      }
    }
  }
}
