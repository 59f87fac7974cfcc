import http from 'node:http';
import { startRefresh } from './cache.js';
import { queue, startConsumer } from './jobs.js';

const server = http.createServer((request, response) => {
  queue.emit('job', { id: 1, run: async () => undefined });
  response.end('queued');
});

startConsumer();
startRefresh(30_000);
server.listen(Number(process.env['PORT'] ?? 8080));

process.on('SIGTERM', () => {
  console.log('Caught SIGTERM, exiting');
  server.close();
  process.exit(0);
});
