// The seam through which a feature watches a shutdown as it happens (the timeline file, the test
// harness): the core tells its observers what it does, in order, and knows nothing of what they
// make of it. With no observer the core does no extra work: each call site checks one field.
//
// Telling new work from the steps of work in flight ("work after intake") needs to know, when work
// begins, whether it was begun on behalf of work already in flight (a request's handler tracking a
// write, a timer callback's next step) or from nowhere (an untracked interval, a consumer that was
// not stopped). An observer that wants this passes a lineage (an AsyncLocalStorage in practice);
// the core and the server feature run what they own inside it, and a lineage costs nothing while
// nobody installed one.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { PendingWork, WorkKind } from './work.js';
import type { Fault } from './report.js';
import type { QuiescerCore } from './quiescer.js';
import { stateOf } from './state.js';

export type ObservedPhase = 'intake' | 'drain' | 'cleanup';

/** A piece of work begun once shutdown had started, outside every piece of work in flight. */
export interface NewWork {
  kind: WorkKind;
  name: string;
  location?: string;
}

/** What a shutdown tells its observers; every method is optional. */
export interface ShutdownObserver {
  signal?(signal: string): void;
  shutdownStart?(reason: string): void;
  phaseStart?(phase: ObservedPhase): void;
  phaseEnd?(phase: ObservedPhase): void;
  timersStopped?(count: number): void;
  workAfterIntake?(work: NewWork): void;
  hookStart?(phase: 'intake' | 'cleanup', name: string): void;
  hookEnd?(phase: 'intake' | 'cleanup', name: string, failure: string | undefined): void;
  deadline?(pending: PendingWork[]): void;
  fault?(fault: Fault): void;
  /** The process is about to end with this code (128 + n when it re-raises signal n). */
  exit?(code: number): void;
}

/** Runs code as part of work in flight, and tells whether the current code is. */
export interface WorkLineage {
  /** Runs `fn` (and everything it starts) as part of work in flight. */
  run<T>(fn: () => T): T;
  /** The rest of the current synchronous run, and everything it starts, is part of work in flight. */
  enter(): void;
  inside(): boolean;
}

export interface Observation {
  readonly observers: Set<ShutdownObserver>;
  /** Set while an observer that tells new work from old is installed. */
  lineage: WorkLineage | undefined;
}

/** The quiescer's observers; kept on the instance, as the default quiescer is shared by every copy of the package. */
export function observationOf(quiescer: QuiescerCore): Observation {
  return stateOf<Observation>(quiescer, 'observation@1', () => ({ observers: new Set(), lineage: undefined }));
}

/** A lineage on an AsyncLocalStorage: what runs inside it, and all it starts, is part of work in flight. */
export function createAsyncLineage(): WorkLineage {
  const storage = new AsyncLocalStorage<true>();
  return {
    run: (fn) => storage.run(true, fn),
    enter: () => storage.enterWith(true),
    inside: () => storage.getStore() === true,
  };
}

/** Adds an observer (and its lineage, if it tells new work from old). Returns its remover. */
export function observeShutdown(quiescer: QuiescerCore, observer: ShutdownObserver, lineage?: WorkLineage): () => void {
  const observation = observationOf(quiescer);
  observation.observers.add(observer);
  if (lineage !== undefined) observation.lineage ??= lineage;
  return () => {
    observation.observers.delete(observer);
    if (observation.lineage === lineage && observation.observers.size === 0) observation.lineage = undefined;
  };
}

type Events = { [K in keyof ShutdownObserver]-?: NonNullable<ShutdownObserver[K]> };

/** Tells every observer; an observer that throws is its own problem, never the shutdown's. */
export function notifyObservers<K extends keyof Events>(quiescer: QuiescerCore, event: K, ...args: Parameters<Events[K]>): void {
  const { observers } = observationOf(quiescer);
  if (observers.size === 0) return;
  notifyAll(observers, event, args);
}

export function notifyAll<K extends keyof Events>(observers: Set<ShutdownObserver>, event: K, args: Parameters<Events[K]>): void {
  for (const observer of observers) {
    const method = observer[event] as ((...values: unknown[]) => void) | undefined;
    if (method === undefined) continue;
    try {
      method.apply(observer, args);
    } catch {
      // An observer records; it may not change how the shutdown goes.
    }
  }
}
