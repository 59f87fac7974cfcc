// http-terminator as its README shows it: terminate() on SIGTERM.
import { createHttpTerminator } from 'http-terminator';
import { GRACE_MS, createAppServer, listenAndAnnounce } from './app.mjs';

const server = listenAndAnnounce(createAppServer());
const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: GRACE_MS });
process.on('SIGTERM', () => {
  void terminator.terminate();
});
