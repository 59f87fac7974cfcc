// ws's own close: on SIGTERM, wss.close() (no new connections), each client closed with 1001
// "going away", exit once wss.close() calls back (its own server closed: every client gone).
import { startWs } from './messages-app.mjs';

const wss = await startWs();
process.once('SIGTERM', () => {
  wss.close(() => process.exit(0));
  for (const client of wss.clients) client.close(1001, 'server shutting down');
});
