// `@quiesce/runtime-shim/testing` under the `browser` export condition. The harness drains real
// Node timers, servers and promises, and the browser build of the shim has none of them (it passes
// work through), so each function says what happened instead of testing nothing.

import type * as NodeTesting from './testing.js';

type Api = typeof NodeTesting;

function nodeOnly(name: string): never {
  throw new Error(
    `@quiesce/runtime-shim/testing: ${name}() needs the Node build, but the test runner resolved the package's browser build ` +
      "(jest's jsdom environment asks for the 'browser' export condition). Run shutdown tests in the node environment " +
      "(a `@jest-environment node` docblock, or testEnvironmentOptions: { customExportConditions: ['node'] })",
  );
}

export const defaultTestTimeoutMs: Api['defaultTestTimeoutMs'] = 2_000;
export const createTestQuiescer: Api['createTestQuiescer'] = () => nodeOnly('createTestQuiescer');
export const expectDrained: Api['expectDrained'] = () => nodeOnly('expectDrained');
export const expectNoWorkAfterIntake: Api['expectNoWorkAfterIntake'] = () => nodeOnly('expectNoWorkAfterIntake');
export const expectHookOrder: Api['expectHookOrder'] = () => nodeOnly('expectHookOrder');
