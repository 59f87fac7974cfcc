// A Fastify app with no shim code at all, run under `register`: its requests must be drained.
const Fastify = require('fastify');

const app = Fastify({ logger: false });
app.get('/slow', async () => {
  await new Promise((resolve) => setTimeout(resolve, 400));
  return 'slow ok\n';
});
app.listen({ port: 0, host: '127.0.0.1' }).then(() => console.log(JSON.stringify({ port: app.server.address().port })));
