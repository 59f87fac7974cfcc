// A Fastify app under trackServer: a slow route, an onClose hook (a pool plugin) that must run
// after the last request, and a count of close() calls.
import Fastify from 'fastify';
import { installShutdownHandlers, onShutdown, trackServer } from '@quiesce/runtime-shim';

installShutdownHandlers({ timeoutMs: 10_000 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const events = [];
const app = Fastify({ logger: false });
app.get('/slow', async () => {
  await sleep(400);
  events.push('slow answered');
  return 'slow ok\n';
});
app.addHook('onClose', async () => {
  events.push('onClose (pool closed)');
});
const close = app.close.bind(app);
let closeCalls = 0;
app.close = (...args) => {
  closeCalls++;
  return close(...args);
};
trackServer(app);
onShutdown(() => console.log(JSON.stringify({ events, closeCalls })), { name: 'print' });
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ port: app.server.address().port }));
