// State a feature keeps per quiescer (which signals are installed, how the process exits), kept
// on the instance under a registered symbol: the default quiescer is shared by every copy of the
// package in a process (an ESM and a CJS copy, two installs), and so must be what they keep on it.

import type { QuiescerCore } from './quiescer.js';

export function stateOf<T>(quiescer: QuiescerCore, name: string, create: () => T): T {
  const key = Symbol.for(`@quiesce/runtime-shim/${name}`);
  const holder = quiescer as QuiescerCore & { [key: symbol]: T | undefined };
  let state = holder[key];
  if (state === undefined) {
    state = create();
    Object.defineProperty(holder, key, { value: state, configurable: true });
  }
  return state;
}

/** Set on a quiescer made by the test harness (`@quiesce/runtime-shim/testing`). */
export interface HarnessState {
  /** Undoes what `installShutdownHandlers` did under the harness (tracking every server), at restore. */
  readonly cleanups: Array<() => void>;
}

const harnessKey = Symbol.for('@quiesce/runtime-shim/test-harness@1');

/** The harness state of a quiescer the test harness made (or `create` one), or undefined. */
export function harnessOf(quiescer: QuiescerCore, create = false): HarnessState | undefined {
  const holder = quiescer as QuiescerCore & { [harnessKey]?: HarnessState };
  if (holder[harnessKey] === undefined && create) Object.defineProperty(holder, harnessKey, { value: { cleanups: [] }, configurable: true });
  return holder[harnessKey];
}

/**
 * Marks an upgraded socket (WebSocket) that a feature closes itself, with a close frame: a tracked
 * server's default of ending upgraded sockets leaves it alone.
 */
/** Marks a server that trackServer tracks (set by the server feature; read by integrations). */
export const trackedServerKey: unique symbol = Symbol.for('@quiesce/runtime-shim/tracked-server');

/**
 * On a tracked server: `(request) => boolean`, true for requests that wait for the rest of the work
 * (Socket.IO's long polls, answered when it closes): registered as passive work.
 */
export const passiveRequestKey: unique symbol = Symbol.for('@quiesce/runtime-shim/passive-request');

export const upgradeOwnerKey: unique symbol = Symbol.for('@quiesce/runtime-shim/upgrade-owner');
