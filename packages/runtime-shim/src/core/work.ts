// The set of work in flight: tasks, running timer callbacks, requests. The drain waits until
// it is empty. This sits on the hot path of `track()`, so an item is one small fixed-shape
// object and beginning or ending work links or unlinks it in a ring.

import { ageSince, clock, coarseClock } from './clock.js';
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
  /**
   * Work that waits for the rest: a long-lived connection (WebSocket, stream) that is closed once
   * every other piece of work is done (`whenActiveIdle`). Still drained and reported. Default false.
   */
  passive?: boolean;
}

/** One piece of work in flight; `end()` is idempotent. */
export interface WorkHandle {
  end(): void;
}

export interface PendingWork {
  kind: WorkKind;
  name: string;
  /**
   * Milliseconds since the work began, when the report was made. Start times come from a clock read
   * at most once per 10 ms, so an age can read up to that much high.
   */
  ageMs: number;
  /** Where it began, when locations are captured (option `captureLocations`). */
  location?: string;
}

/** A tracked task whose promise rejected while shutdown ran; the drain of the rest went on. */
export interface TaskFailure {
  kind: WorkKind;
  name: string;
  /** The rejection's message. */
  message: string;
  /** The rejection reason itself (not kept across cluster IPC). */
  error?: unknown;
}

interface WorkExtras {
  location: string | undefined;
  onDeadline: (() => void) | undefined;
  passive?: boolean;
}

class WorkItem implements WorkHandle {
  /** Neighbours in the registry's ring; `next === null` once the work has ended. */
  prev: WorkItem | null = null;
  next: WorkItem | null = null;

  constructor(
    private readonly registry: WorkRegistry | null,
    readonly kind: WorkKind,
    readonly name: string | undefined,
    readonly startedAt: number,
    /** Rarely set, so kept out of line: one field instead of two on every task. */
    readonly extras: WorkExtras | undefined,
  ) {}

  end(): void {
    this.registry?.finish(this);
  }

  /** Ended by a rejection: recorded while shutdown runs. */
  fail(reason: unknown): void {
    this.registry?.finish(this);
    this.registry?.recordFailure(this, reason);
  }
}

// Promise reactions bound to the item instead of closures: the cheapest way (in time and
// bytes) to learn that a promise settled while passing its outcome through untouched.
function endThenPass<T>(this: WorkItem, value: T): T {
  this.end();
  return value;
}
function endThenRethrow(this: WorkItem, reason: unknown): never {
  this.fail(reason);
  throw reason;
}

export function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

export class WorkRegistry {
  /** Sentinel of a circular doubly linked list: O(1) begin and end without a hash table. */
  private readonly ring = new WorkItem(null, 'sentinel', undefined, 0, undefined);
  private inFlightCount = 0;
  private finishedCount = 0;
  private readonly unregisteredCounts: Array<() => number> = [];
  private idleWaiters: Array<() => void> = [];
  private passiveCount = 0;
  private activeIdleWaiters: Array<() => void> = [];
  /** Set when shutdown starts: rejections of tracked work from then on, for the report. */
  private failures: TaskFailure[] | undefined;
  /**
   * Set from the start of a shutdown that an observer watches (core/observers.ts): told of each
   * piece of work that begins, except work registered late (an explicit `startedAt`: it began before).
   */
  beginWatcher: ((kind: WorkKind, name: string | undefined) => void) | undefined;

  constructor(private readonly shouldCaptureLocation: () => boolean) {
    this.ring.prev = this.ring;
    this.ring.next = this.ring;
  }

  /** Work in flight: registered, plus what sources keep unregistered until shutdown. */
  get size(): number {
    let size = this.inFlightCount;
    for (const count of this.unregisteredCounts) size += count();
    return size;
  }

  /**
   * A source that keeps its work in flight out of the registry until shutdown starts and registers
   * it then (a server's requests: see server-http1.ts); `count` says how much it holds meanwhile.
   */
  addUnregisteredCount(count: () => number): void {
    this.unregisteredCounts.push(count);
  }

  /** How many pieces of work have finished since this registry was made. */
  get finished(): number {
    return this.finishedCount;
  }

  /**
   * `startedAt`: when the work began (`clock()` or `coarseClock()`), for work registered after it began.
   * By default the coarse clock: a task's age only ever shows in a report, and a clock reading per task
   * would be a sixth of what `track()` costs.
   */
  begin(
    kind: WorkKind,
    name: string | undefined,
    onDeadline?: () => void,
    startedAt?: number,
    passive = false,
  ): WorkItem {
    if (this.beginWatcher !== undefined && startedAt === undefined) this.beginWatcher(kind, name);
    const location = name === undefined && this.shouldCaptureLocation() ? captureCallerLocation() : undefined;
    const extras =
      location !== undefined || onDeadline !== undefined || passive
        ? passive
          ? { location, onDeadline, passive }
          : { location, onDeadline }
        : undefined;
    if (passive) this.passiveCount++;
    const item = new WorkItem(this, kind, name, startedAt ?? coarseClock(), extras);
    const last = this.ring.prev as WorkItem;
    item.prev = last;
    item.next = this.ring;
    last.next = item;
    this.ring.prev = item;
    this.inFlightCount++;
    return item;
  }

  /** Tracks a promise as work; the returned promise settles as the input does (see `track`). */
  trackPromise<T>(promise: PromiseLike<T>, kind: WorkKind, name: string | undefined): Promise<T> {
    const item = this.begin(kind, name);
    // The returned promise rejects exactly like the input, and the input counts as handled:
    // a rejection is neither swallowed nor reported twice.
    const native = promise instanceof Promise ? (promise as Promise<T>) : Promise.resolve(promise);
    return native.then(endThenPass.bind(item) as (value: T) => T, endThenRethrow.bind(item));
  }

  finish(item: WorkItem): void {
    const { prev, next } = item;
    if (prev === null || next === null) return;
    prev.next = next;
    next.prev = prev;
    item.prev = item.next = null;
    this.inFlightCount--;
    this.finishedCount++;
    if (item.extras?.passive) this.passiveCount--;
    if (this.inFlightCount === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (this.activeIdleWaiters.length > 0 && this.activeSize === 0) {
      const waiters = this.activeIdleWaiters;
      this.activeIdleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Work in flight that is not passive (see `BeginWorkOptions.passive`). */
  private get activeSize(): number {
    return this.size - this.passiveCount;
  }

  /**
   * Resolves once only passive work is in flight. Work kept unregistered (a server's requests before
   * shutdown) is registered when shutdown starts, so during a shutdown this sees all of it.
   */
  whenActiveIdle(): Promise<void> {
    if (this.activeSize === 0) return Promise.resolve();
    return new Promise((resolve) => this.activeIdleWaiters.push(resolve));
  }

  /** From now on, rejections of tracked work are recorded (returned by `recordedFailures`). */
  recordFailures(): void {
    this.failures ??= [];
  }

  recordFailure(item: WorkItem, reason: unknown): void {
    if (this.failures === undefined) return;
    this.failures.push({ kind: item.kind, name: item.name ?? `unnamed ${item.kind}`, message: messageOf(reason), error: reason });
  }

  get recordedFailures(): readonly TaskFailure[] {
    return this.failures ?? [];
  }

  /** Resolves once nothing is in flight, including work begun while waiting. */
  whenIdle(): Promise<void> {
    if (this.inFlightCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private *items(): Generator<WorkItem> {
    for (let item = this.ring.next; item !== null && item !== this.ring; item = item.next) yield item;
  }

  pending(): PendingWork[] {
    const now = clock();
    return [...this.items()].map((item) => {
      const location = item.extras?.location;
      return {
        kind: item.kind,
        name: item.name ?? (location ? `unnamed ${item.kind} at ${location}` : `unnamed ${item.kind}`),
        ageMs: ageSince(item.startedAt, now),
        ...(location ? { location } : {}),
      };
    });
  }

  /** At the deadline: let each pending piece of work give up its resources (sockets, handles). */
  abandonPending(onError: (error: unknown, name: string) => void): void {
    for (const item of [...this.items()]) {
      const onDeadline = item.extras?.onDeadline;
      if (!onDeadline) continue;
      try {
        onDeadline();
      } catch (error) {
        onError(error, item.name ?? item.kind);
      }
    }
  }
}
