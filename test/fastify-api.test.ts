// fixtures/fastify-api: the Fastify service of #16's first report (SIGTERM reset its in-flight
// requests while the shim said "nothing pending"). The plugin finds its hazards, the codemod
// rewrites it onto the shim (register first, tracked audit writes and timer), and under `register`
// Fastify's server is drained like any http server: nothing acknowledged is lost.
import { describeOrdersApi, type ExpectedFinding } from './support/orders-api-suite.js';

/** Every hazard of fixtures/fastify-api, where @quiesce/eslint-plugin must point at it. */
const EXPECTED_FINDINGS: ExpectedFinding[] = [
  { file: 'src/server.js', line: 1, ruleId: 'quiesce/require-shutdown-handler', messageId: 'missingShutdownHandler' },
  { file: 'src/server.js', line: 31, ruleId: 'quiesce/no-untracked-promise', messageId: 'floatingPromise' },
  // Line 41, `store.open().then(…listen…)` at the entry's top level, is its start-up: not reported. The Fastify server it
  // starts is (line 43): Fastify is one of the servers no-untracked-server knows.
  { file: 'src/server.js', line: 43, ruleId: 'quiesce/no-untracked-server', messageId: 'untrackedServer' },
  { file: 'src/server.js', line: 47, ruleId: 'quiesce/no-untracked-timer', messageId: 'untrackedTimer' },
];

describeOrdersApi('fastify-api', EXPECTED_FINDINGS);
