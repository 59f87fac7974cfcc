import { describe, expect, it } from 'vitest';
import { readShutdownConfig } from '../src/env.js';

describe('configuration from the environment', () => {
  it('is empty when nothing is set, so defaults apply', () => {
    expect(readShutdownConfig({})).toEqual({});
    expect(readShutdownConfig({ QUIESCE_TIMEOUT_MS: '  ' })).toEqual({});
  });

  it('reads every documented variable', () => {
    expect(
      readShutdownConfig({
        QUIESCE_TIMEOUT_MS: '15000',
        QUIESCE_SIGNALS: 'sigterm, SIGHUP',
        QUIESCE_LOG: 'silent',
        QUIESCE_CAPTURE_LOCATIONS: 'true',
        QUIESCE_EXIT_CODE_ON_TIMEOUT: '75',
        QUIESCE_EXIT_CODE_ON_ERROR: '2',
        QUIESCE_RERAISE_SIGNAL: '1',
        QUIESCE_ON_FATAL: 'exit',
        QUIESCE_FATAL_TIMEOUT_MS: '3000',
        QUIESCE_READINESS_DELAY_MS: '5000',
        QUIESCE_PRESET: 'Kubernetes',
        QUIESCE_LAUNCH_CHECK: '0',
        QUIESCE_TRACK_ALL_SERVERS: 'no',
      }),
    ).toEqual({
      timeoutMs: 15_000,
      signals: ['SIGTERM', 'SIGHUP'],
      logger: false,
      captureLocations: true,
      exitCodeOnTimeout: 75,
      exitCodeOnError: 2,
      reraiseSignal: true,
      onFatal: 'exit',
      fatalTimeoutMs: 3_000,
      readinessDelayMs: 5_000,
      preset: 'kubernetes',
      trackAllServers: false,
    });
  });

  it.each([
    ['QUIESCE_TIMEOUT_MS', '30s'],
    ['QUIESCE_TIMEOUT_MS', '-5'],
    ['QUIESCE_SIGNALS', 'SIGTERM,SIGKILL'],
    ['QUIESCE_SIGNALS', 'TERM'],
    ['QUIESCE_LOG', 'debug'],
    ['QUIESCE_CAPTURE_LOCATIONS', 'maybe'],
    ['QUIESCE_EXIT_CODE_ON_TIMEOUT', '0'],
    ['QUIESCE_EXIT_CODE_ON_ERROR', '256'],
    ['QUIESCE_ON_FATAL', 'ignore'],
    ['QUIESCE_FATAL_TIMEOUT_MS', '5 s'],
    ['QUIESCE_READINESS_DELAY_MS', '5s'],
    ['QUIESCE_PRESET', 'k8s'],
    ['QUIESCE_LAUNCH_CHECK', 'off'],
  ])('refuses %s=%s, naming the variable and what it accepts', (name, value) => {
    expect(() => readShutdownConfig({ [name]: value })).toThrow(new RegExp(`^quiesce: ${name}="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not valid: expected `));
  });
});
