// trackServer's own cost per request, measured in one process without sockets: a request and a
// response are emitted on a server (as Node's HTTP parser does) and closed, with and without
// tracking, alternating runs; CPU time per request, medians. Steadier than req/s on a busy machine.
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { createQuiescer } from '@quiesce/runtime-shim';
import { median } from './table.mjs';

function requestLoop(tracked) {
  const server = createServer(() => {});
  if (tracked) createQuiescer({ logger: false }).trackServer(server);
  const socket = new Socket();
  server.emit('connection', socket);
  return (count) => {
    const started = process.cpuUsage();
    for (let i = 0; i < count; i++) {
      const request = new IncomingMessage(socket);
      request.method = 'GET';
      request.url = '/items/42';
      const response = new ServerResponse(request);
      server.emit('request', request, response);
      response.emit('close');
    }
    const used = process.cpuUsage(started);
    return ((used.user + used.system) * 1000) / count;
  };
}

export function measureHotPath({ rounds = 7, requestsPerRound = 200_000 } = {}) {
  const bare = requestLoop(false);
  const tracked = requestLoop(true);
  bare(requestsPerRound);
  tracked(requestsPerRound);
  const samples = { bare: [], tracked: [] };
  for (let round = 0; round < rounds; round += 1) {
    samples.bare.push(bare(requestsPerRound));
    samples.tracked.push(tracked(requestsPerRound));
  }
  const bareNs = median(samples.bare);
  const trackedNs = median(samples.tracked);
  return { bareNs, trackedNs, overheadNs: trackedNs - bareNs };
}
