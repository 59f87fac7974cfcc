// Fastify's own graceful close: on SIGTERM, `await app.close()` (503 to requests arriving while
// closing, Node's server.close() under it), then exit 0.
import { startFastify } from './frameworks.mjs';

const app = await startFastify();
process.once('SIGTERM', async () => {
  await app.close();
  process.exit(0);
});
