// The load benchmark's server: answers every request at once (or after `?ms=`), on 127.0.0.1, and
// prints its port as the bench's contenders do.
import { createServer } from 'node:http';

const server = createServer((request, response) => {
  const ms = Number(new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('ms') ?? '0');
  const answer = () => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok\n');
  };
  if (ms > 0) setTimeout(answer, ms);
  else answer();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
