// Hapi's own graceful stop: on SIGTERM, `await server.stop({ timeout: 30_000 })` (ends idle
// keep-alive connections, waits for active ones up to the timeout), then exit 0.
import { startHapi } from './frameworks.mjs';

const server = await startHapi();
process.once('SIGTERM', async () => {
  await server.stop({ timeout: 30_000 });
  process.exit(0);
});
