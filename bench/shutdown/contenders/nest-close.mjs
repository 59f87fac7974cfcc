// NestJS's own graceful shutdown as its documentation shows it: app.enableShutdownHooks() (on
// SIGTERM it runs app.close(): lifecycle hooks, then Node's server.close(); then re-raises the signal).
import { startNest } from './frameworks.mjs';

const app = await startNest();
app.enableShutdownHooks();
