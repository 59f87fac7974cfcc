// Loaded into a contender by diagnose-resets.mjs (node --import): logs, on this process's clock
// (ms since the epoch), the signal, every listener close, every accepted connection (by its
// client's port), who destroyed it and when it closed, and the exit; written at exit to
// $QUIESCE_DIAGNOSE_DIR/server-<pid>.json. Diagnostic only: it wraps net.Server's close and emit.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server } from 'node:net';

const now = () => performance.timeOrigin + performance.now();
const log = [];
const close = Server.prototype.close;
Server.prototype.close = function loggedClose(...args) {
  log.push({ event: 'listener-close', at: now(), listening: this.listening });
  return close.apply(this, args);
};
const emit = Server.prototype.emit;
Server.prototype.emit = function loggedEmit(event, ...args) {
  if (event === 'connection') {
    const socket = args[0];
    const port = socket.remotePort;
    log.push({ event: 'accept', at: now(), port });
    const destroy = socket.destroy;
    socket.destroy = function loggedDestroy(...destroyArgs) {
      if (!socket.destroyed) {
        const by = new Error().stack.split('\n').slice(2, 5).map((line) => line.trim()).join(' < ');
        log.push({ event: 'destroy', at: now(), port, bytesRead: socket.bytesRead, by });
      }
      return destroy.apply(this, destroyArgs);
    };
    socket.once('close', (hadError) => log.push({ event: 'socket-close', at: now(), port, hadError }));
  }
  return emit.call(this, event, ...args);
};
process.once('SIGTERM', () => log.push({ event: 'signal', at: now() }));
process.on('exit', () => {
  log.push({ event: 'exit', at: now() });
  writeFileSync(join(process.env.QUIESCE_DIAGNOSE_DIR, `server-${process.pid}.json`), JSON.stringify(log));
});
