// grpc-js's own graceful shutdown: on SIGTERM, server.tryShutdown() (GOAWAY: new calls refused,
// calls in flight finish), exit when it calls back.
import { startGrpc } from './messages-app.mjs';

const server = await startGrpc();
process.once('SIGTERM', () => {
  server.tryShutdown(() => process.exit(0));
});
