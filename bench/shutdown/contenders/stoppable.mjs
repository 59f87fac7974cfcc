// stoppable: server.stop() on SIGTERM.
import stoppable from 'stoppable';
import { GRACE_MS, createAppServer, listenAndAnnounce } from './app.mjs';

const server = listenAndAnnounce(stoppable(createAppServer(), GRACE_MS));
process.on('SIGTERM', () => server.stop());
