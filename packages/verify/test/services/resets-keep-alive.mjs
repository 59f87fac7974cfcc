// Resets keep-alive connections: on SIGTERM it stops listening and waits for the requests that were
// in flight at the signal, then destroys every connection and exits. Requests that came in on
// kept-alive connections after the signal are cut off (reset), though all in flight at the signal
// were answered.
import { createApp, listen } from './app.mjs';

const server = listen(createApp());
const active = new Set();
server.on('request', (request, response) => {
  active.add(response);
  response.on('close', () => active.delete(response));
});
process.on('SIGTERM', async () => {
  const atSignal = [...active];
  server.close();
  await Promise.all(atSignal.map((response) => new Promise((resolve) => (response.writableFinished ? resolve() : response.on('close', resolve)))));
  server.closeAllConnections();
  process.exit(0);
});
