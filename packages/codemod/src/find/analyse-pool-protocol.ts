import type { FileOutcome } from './analyse.js';

/** What the main thread sends a worker of the analysis pool: the next files to analyse. */
export interface FromMainThread {
  readonly batch: readonly { readonly index: number; readonly file: string }[];
}

/** What a worker sends back: one message per file, then `idle` when it wants more. */
export type ToMainThread =
  | { readonly type: 'outcome'; readonly index: number; readonly outcome: FileOutcome }
  | { readonly type: 'idle' };
