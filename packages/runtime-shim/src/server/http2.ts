// HTTP/2: each stream is work in flight. At shutdown every session gets a GOAWAY through
// `session.close()`: streams already open finish, and the client learns which of its new streams
// were never processed (it may retry them elsewhere), so no idle-connection race exists.

import { constants, type Http2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { QuiescerCore } from '../core/index.js';
import type { ProtocolDrain } from './intake.js';

export function trackHttp2Server(quiescer: QuiescerCore, server: Http2Server): ProtocolDrain {
  const sessions = new Set<Http2Session>();
  let listenerClosed = false;

  const closeSession = (session: Http2Session): void => {
    const work = quiescer.beginWork({ kind: 'connection', name: 'HTTP/2 session closing', onDeadline: () => session.destroy() });
    session.once('close', () => work.end());
    session.close();
  };

  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    if (listenerClosed) closeSession(session);
  });
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const work = quiescer.beginWork({
      kind: 'request',
      name: `${headers[':method'] ?? 'GET'} ${headers[':path'] ?? '/'}`,
      onDeadline: () => stream.close(constants.NGHTTP2_CANCEL),
    });
    stream.once('close', () => work.end());
  });

  return {
    // HTTP/2 has no per-response Connection header: the GOAWAY at stopIntake says it all.
    beginShutdown() {},
    stopIntake() {
      listenerClosed = true;
      for (const session of sessions) {
        if (!session.closed && !session.destroyed) closeSession(session);
      }
    },
  };
}
