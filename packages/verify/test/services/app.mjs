// The HTTP app every test service serves: each request takes `?ms=` milliseconds (default 150)
// before it is answered, so requests are in flight when the signal comes. It listens on $PORT (or
// a port of its own choosing) and prints "listening on <port>" (--ready-line learns the port from it).
import { createServer } from 'node:http';

export function createApp() {
  return createServer((request, response) => {
    const ms = Number(new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('ms') ?? '150');
    // A delay inside running work, as a database query would be.
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('ok\n');
    }, ms);
  });
}

export function listen(server) {
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
  return server;
}
