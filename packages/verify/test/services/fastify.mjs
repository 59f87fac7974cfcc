// A Fastify service on the shim. FASTIFY_TRACKED=1 hands it to trackServer; without, the shim's
// handlers run but nothing tracks Fastify's server (#16's first report): at SIGTERM the shim finds
// nothing pending and exits at once, resetting the requests in flight.
import Fastify from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { installShutdownHandlers, trackServer } from '@quiesce/runtime-shim';

const app = Fastify({ logger: false });
app.get('/', async (request) => {
  await sleep(Number(request.query.ms ?? '150'));
  return 'ok\n';
});
if (process.env.FASTIFY_TRACKED === '1') trackServer(app);
installShutdownHandlers({ timeoutMs: 20_000, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening on ${app.server.address().port}`);
