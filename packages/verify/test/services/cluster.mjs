// A node:cluster service: the primary forks two workers that share one port, each draining its own
// requests (installClusterShutdown in every process). With LEAKY_WORKER=1 the first worker also
// keeps starting tracked flushes from a raw setInterval, which intake cannot stop: work after intake
// that only that worker's timeline (`<file>.<pid>`) shows.
import cluster from 'node:cluster';
import { setTimeout as sleep } from 'node:timers/promises';
import { installClusterShutdown, track, trackServer } from '@quiesce/runtime-shim';
import { createApp } from './app.mjs';

const WORKERS = 2;
installClusterShutdown({ timeoutMs: cluster.isPrimary ? 21_000 : 20_000, logger: false });

if (cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < WORKERS; i++) {
    cluster.fork().once('listening', (address) => {
      listening += 1;
      // Ready once every worker takes connections, so both get requests in flight.
      if (listening === WORKERS) console.log(`listening on ${address.port}`);
    });
  }
} else {
  if (process.env.LEAKY_WORKER === '1' && cluster.worker.id === 1) {
    setInterval(() => {
      void track(sleep(20), { name: 'worker-metrics-flush' });
    }, 25);
  }
  // Port 0 in a cluster: the primary picks one port and every worker shares it.
  trackServer(createApp()).listen(Number(process.env.PORT ?? 0), '127.0.0.1');
}
