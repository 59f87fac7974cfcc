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

/** NestJS on its default platform (Express), written without decorator syntax. */
export async function startNest({ beforeListen } = {}) {
  await import('reflect-metadata');
  const [{ Controller, Get, Module, Query, Res }, { NestFactory }] = await Promise.all([import('@nestjs/common'), import('@nestjs/core')]);
  class WaitController {
    async wait(ms, response) {
      noteResponse(response);
      await sleep(Number(ms ?? '0'));
      return 'ok\n';
    }
  }
  Controller()(WaitController);
  const descriptor = Object.getOwnPropertyDescriptor(WaitController.prototype, 'wait');
  Query('ms')(WaitController.prototype, 'wait', 0);
  Res({ passthrough: true })(WaitController.prototype, 'wait', 1);
  Get()(WaitController.prototype, 'wait', descriptor);
  class AppModule {}
  Module({ controllers: [WaitController] })(AppModule);
  const app = await NestFactory.create(AppModule, { logger: false });
  beforeListen?.(app);
  await app.listen(0, '127.0.0.1');
  announce(app.getHttpServer().address().port);
  return app;
}
