// server.close() and let the event loop empty.
import { createAppServer, listenAndAnnounce } from './app.mjs';

const server = listenAndAnnounce(createAppServer());
process.on('SIGTERM', () => server.close());
