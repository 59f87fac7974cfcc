// A Hapi server under trackServer: a slow route, an onPostStop extension (a plugin's cleanup) that
// must run after the last request, and a count of stop() calls.
import Hapi from '@hapi/hapi';
import { installShutdownHandlers, onShutdown, trackServer } from '@quiesce/runtime-shim';

installShutdownHandlers({ timeoutMs: 10_000 });
const events = [];
const server = Hapi.server({ port: 0, host: '127.0.0.1' });
server.route({
  method: 'GET',
  path: '/slow',
  handler: async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    events.push('slow answered');
    return 'slow ok\n';
  },
});
server.ext('onPostStop', () => {
  events.push('onPostStop (cleanup)');
});
const stop = server.stop.bind(server);
let stopCalls = 0;
server.stop = (...args) => {
  stopCalls++;
  return stop(...args);
};
trackServer(server);
onShutdown(() => console.log(JSON.stringify({ events, stopCalls })), { name: 'print' });
await server.start();
console.log(JSON.stringify({ port: server.info.port }));
