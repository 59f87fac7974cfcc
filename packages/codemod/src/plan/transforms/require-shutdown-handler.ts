import type { Transform } from '../../find/findings.js';

/** An entry file with no shutdown handling → the shim's register import as its first statement. */
export const requireShutdownHandler: Transform = {
  ruleId: 'quiesce/require-shutdown-handler',
  apply(findings, context) {
    if (findings.length > 0) context.imports.requireRegister();
  },
};
