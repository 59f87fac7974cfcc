// @godaddy/terminus with its defaults (it re-raises the signal when done).
import { createTerminus } from '@godaddy/terminus';
import { GRACE_MS, createAppServer, listenAndAnnounce } from './app.mjs';

const server = listenAndAnnounce(createAppServer());
createTerminus(server, { signals: ['SIGTERM'], timeout: GRACE_MS });
