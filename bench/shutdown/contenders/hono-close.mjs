// Hono on @hono/node-server with the usual close: on SIGTERM, server.close() (Node's: stops
// listening, closes idle connections once), exit when it calls back.
import { startHono } from './frameworks.mjs';

const server = await startHono();
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
});
