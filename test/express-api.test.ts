import { describeOrdersApi, type ExpectedFinding } from './support/orders-api-suite.js';

/** Every hazard of fixtures/express-api, where @quiesce/eslint-plugin must point at it. */
const EXPECTED_FINDINGS: ExpectedFinding[] = [
  { file: 'src/server.js', line: 1, ruleId: 'quiesce/require-shutdown-handler', messageId: 'missingShutdownHandler' },
  { file: 'src/server.js', line: 48, ruleId: 'quiesce/no-untracked-promise', messageId: 'floatingPromise' },
  // Line 60, `orders.load().then(…listen…)` at the entry's top level, is its start-up (load, then listen), which runs
  // before any SIGTERM can find work in flight: the plugin judges the work it starts where it starts (the server, line 62).
  { file: 'src/server.js', line: 62, ruleId: 'quiesce/no-untracked-server', messageId: 'untrackedServer' },
  { file: 'src/server.js', line: 68, ruleId: 'quiesce/no-untracked-timer', messageId: 'untrackedTimer' },
];

describeOrdersApi('express-api', EXPECTED_FINDINGS);
