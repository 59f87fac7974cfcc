// A cluster of two HTTP workers under installClusterShutdown. The primary prints
// "ready <port>" once both listen, and the combined report as "REPORT <json>" before exiting.
// `/wait?ms=N` answers after N ms with the worker's id; `/hang` never answers. TIMEOUT_MS: deadline.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { installClusterShutdown, trackServer } from '@quiesce/runtime-shim';

const timeoutMs = Number(process.env.TIMEOUT_MS ?? 5_000);

if (cluster.isPrimary) {
  installClusterShutdown({
    // The primary waits a little longer than its workers, so they can report their own deadline.
    timeoutMs: timeoutMs + 1_000,
    onReport: (report) => console.log(`REPORT ${JSON.stringify(report)}`),
  });
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    listening += 1;
    if (listening === 2) console.log(`ready ${address.port}`);
  });
  cluster.fork();
  cluster.fork();
} else {
  installClusterShutdown({ timeoutMs });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/hang') return;
    setTimeout(() => response.end(`worker ${cluster.worker.id}`), Number(url.searchParams.get('ms') ?? '0'));
  });
  trackServer(server).listen(Number(process.env.PORT ?? 0), '127.0.0.1');
}
