// Shared by the package's tests: where the test services are, and cleanup of every child.
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { killAllServicesAndWait } from '../src/index.js';

export const servicesDir = fileURLToPath(new URL('./services/', import.meta.url));
export const service = (name: string): string[] => [process.execPath, `${servicesDir}${name}.mjs`];
/** Every test service prints this line; its group is the port it chose. */
export const READY_LINE = /listening on (?<port>\d+)/;
export const binPath = fileURLToPath(new URL('../bin/quiesce-verify.js', import.meta.url));

/** Kills whatever a test left running (verify() kills its own; a failed assertion must not leak one). */
export function cleansUpChildren(): void {
  afterEach(killAllServicesAndWait);
}
