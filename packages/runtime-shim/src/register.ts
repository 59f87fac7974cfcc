// `import '@quiesce/runtime-shim/register'` (or `node --import` / `node -r`): installs the
// shutdown handlers on the shared quiescer, configured from QUIESCE_* environment variables.

import { readShutdownConfig } from './env.js';
import { installShutdownHandlers } from './index.js';

installShutdownHandlers(readShutdownConfig(process.env));
