// `import '@quiesce/runtime-shim/register'` (or `node --import` / `node -r`): installs the
// shutdown handlers on the shared quiescer, configured from QUIESCE_* environment variables.
//
// A bad value stops the process before the application starts, with the message alone (a stack
// trace of the preload would only hide it) and exit code 78 (EX_CONFIG: a configuration error, as
// sysexits and systemd name it). Unknown QUIESCE_* variables and a launch that keeps signals from
// this process (a package manager, a shell wrapper as PID 1, node --watch, PID 1 with no init) are
// one warning each on stderr.

import { EnvironmentConfigError, readShutdownConfig, unknownVariableWarnings } from './env.js';
import { installShutdownHandlers } from './index.js';
import { currentLaunchFacts, launchWarning } from './launch.js';

export const configErrorExitCode = 78;

function main(): void {
  let config: ReturnType<typeof readShutdownConfig>;
  try {
    config = readShutdownConfig(process.env);
  } catch (error) {
    if (!(error instanceof EnvironmentConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(configErrorExitCode);
  }
  if (config.logger !== false) {
    const warnings = [...unknownVariableWarnings(process.env)];
    const launch = launchWarning(currentLaunchFacts());
    if (launch !== undefined) warnings.push(launch);
    for (const warning of warnings) process.stderr.write(`[quiesce] warning: ${warning}\n`);
  }
  // Every http(s) server by default: a framework's server (Fastify, Nest, Koa) that nobody passed to
  // trackServer is drained too, with no code change.
  installShutdownHandlers({ trackAllServers: true, ...config });
}

main();
