// The common one-liner: exit on SIGTERM.
import { createAppServer, listenAndAnnounce } from './app.mjs';

listenAndAnnounce(createAppServer());
process.on('SIGTERM', () => process.exit(0));
