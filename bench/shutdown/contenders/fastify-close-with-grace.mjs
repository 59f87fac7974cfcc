// Fastify on close-with-grace, as Fastify's own demo app shuts down: the grace callback awaits
// `app.close()` (503 to requests arriving while closing, Node's server.close() under it), then
// close-with-grace exits.
import closeWithGrace from 'close-with-grace';
import { GRACE_MS } from './app.mjs';
import { startFastify } from './frameworks.mjs';

const app = await startFastify();
closeWithGrace({ delay: GRACE_MS, logger: false }, async () => {
  await app.close();
});
