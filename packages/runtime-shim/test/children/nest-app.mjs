// A NestJS application (platform-express) under trackServer, written without decorator syntax: a
// slow route and a lifecycle hook that must run once, after the last request (Nest's app is a
// proxy, so close() calls are counted by the hook itself).
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { installShutdownHandlers, onShutdown, trackServer } from '@quiesce/runtime-shim';

installShutdownHandlers({ timeoutMs: 10_000 });
const events = [];

class SlowController {
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 400));
    events.push('slow answered');
    return 'slow ok';
  }
}
Controller()(SlowController);
Get('slow')(SlowController.prototype, 'slow', Object.getOwnPropertyDescriptor(SlowController.prototype, 'slow'));

class AppModule {
  onApplicationShutdown(signal) {
    events.push(`onApplicationShutdown(${signal}) (pool closed)`);
  }
}
Module({ controllers: [SlowController] })(AppModule);

const app = await NestFactory.create(AppModule, { logger: false });
trackServer(app);
onShutdown(() => console.log(JSON.stringify({ events })), { name: 'print' });
await app.listen(0, '127.0.0.1');
console.log(JSON.stringify({ port: app.getHttpServer().address().port }));
