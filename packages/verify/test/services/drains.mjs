// Drains correctly: the shim's trackServer and signal handlers. In-flight requests are answered,
// later ones refused (new connections) or answered with Connection: close (kept-alive ones).
import { installShutdownHandlers, trackServer } from '@quiesce/runtime-shim';
import { createApp, listen } from './app.mjs';

const server = trackServer(createApp());
installShutdownHandlers({ timeoutMs: 20_000, logger: false });
listen(server);
