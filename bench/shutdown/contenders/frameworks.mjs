// The same service as app.mjs on each framework: a request waits its own `?ms=…` and answers "ok".
// Each contender file picks a framework and a shutdown (the framework's own, or quiesce's).
import { setTimeout as sleep } from 'node:timers/promises';
import { announce, durationOf, noteResponse } from './app.mjs';

export async function startFastify({ beforeListen } = {}) {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.get('/', async (request, reply) => {
    noteResponse(reply.raw);
    await sleep(durationOf(request.url));
    return 'ok\n';
  });
  beforeListen?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  announce(app.server.address().port);
  return app;
}

export async function startHono({ beforeListen } = {}) {
  const [{ Hono }, { serve }] = await Promise.all([import('hono'), import('@hono/node-server')]);
  const app = new Hono();
  app.get('/', async (c) => {
    noteResponse(c.env.outgoing);
    await sleep(durationOf(c.req.url));
    return c.text('ok\n');
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      announce(info.port);
      resolve(server);
    });
    beforeListen?.(server);
  });
}

export async function startHapi({ beforeListen } = {}) {
  const { default: Hapi } = await import('@hapi/hapi');
  const server = Hapi.server({ port: 0, host: '127.0.0.1' });
  server.route({
    method: 'GET',
    path: '/',
    handler: async (request) => {
      noteResponse(request.raw.res);
      await sleep(durationOf(request.raw.req.url));
      return 'ok\n';
    },
  });
  beforeListen?.(server);
  await server.start();
  announce(server.info.port);
  return server;
}
