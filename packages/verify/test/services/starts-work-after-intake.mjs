// Starts work after intake: a raw setInterval (which the shim does not own, so intake cannot stop
// it) keeps starting tracked metrics flushes during the drain. Requests are drained correctly.
import { setTimeout as sleep } from 'node:timers/promises';
import { installShutdownHandlers, track, trackServer } from '@quiesce/runtime-shim';
import { createApp, listen } from './app.mjs';

setInterval(() => {
  void track(sleep(20), { name: 'metrics-flush' });
}, 25);
const server = trackServer(createApp());
installShutdownHandlers({ timeoutMs: 20_000, logger: false });
listen(server);
