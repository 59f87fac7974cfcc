// Socket.IO's own close: on SIGTERM, io.close() (disconnects every client, closes its http
// server), exit when it calls back.
import { startSocketIo } from './messages-app.mjs';

const { io } = await startSocketIo();
process.once('SIGTERM', () => {
  io.close(() => process.exit(0));
});
