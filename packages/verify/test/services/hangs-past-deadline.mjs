// Hangs past the deadline: a tracked task that never finishes holds the drain until the shim's
// deadline (1 s), which then exits 1 naming it.
import { installShutdownHandlers, track, trackServer } from '@quiesce/runtime-shim';
import { createApp, listen } from './app.mjs';

const server = trackServer(createApp());
track(new Promise(() => {}), { name: 'stuck-upload' });
installShutdownHandlers({ timeoutMs: 1000, logger: false });
listen(server);
