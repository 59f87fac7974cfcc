// A rolling restart through a loopback proxy: two instances behind round-robin; each is replaced in
// turn (start the new one, signal the old one). The proxy keeps routing to a signalled instance for
// `routingLagMs`, as a Kubernetes endpoints controller and kube-proxy lag behind the SIGTERM.
import { Agent, createServer, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { exitCodeOf, startServer } from './child.mjs';
import { startLoad } from './load.mjs';

function startProxy() {
  const upstreams = [];
  let turn = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const upstreamErrors = {};
  const server = createServer((incoming, outgoing) => {
    const upstream = upstreams[turn++ % upstreams.length];
    if (upstream === undefined) {
      outgoing.writeHead(503).end();
      return;
    }
    const forwarded = request({ host: '127.0.0.1', port: upstream.port, path: incoming.url, agent }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'text/plain' });
      answer.pipe(outgoing);
    });
    // No retry, as with kube-proxy: a refused or reset upstream connection fails the client's request.
    forwarded.on('error', (error) => {
      const key = error.code ?? error.message;
      upstreamErrors[key] = (upstreamErrors[key] ?? 0) + 1;
      if (outgoing.headersSent) outgoing.destroy();
      else outgoing.writeHead(502).end();
    });
    forwarded.end();
  });
  return {
    upstreams,
    upstreamErrors,
    listening: new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port))),
    close() {
      server.closeAllConnections();
      server.close();
      agent.destroy();
    },
  };
}

/**
 * @param {{ script: string, env?: Record<string, string>, routingLagMs: number, hardLimitMs: number,
 *   concurrency: number, seed: number }} options
 */
export async function runRollingRestart({ script, env = {}, routingLagMs, hardLimitMs, concurrency, seed }) {
  const proxy = startProxy();
  const proxyPort = await proxy.listening;
  const start = async () => {
    const instance = startServer(script, { env });
    instance.port = await instance.ready;
    return instance;
  };
  const instances = [await start(), await start()];
  proxy.upstreams.push(...instances);
  let stopped = false;
  const load = startLoad({ port: proxyPort, keepAlive: true, concurrency, seed, shouldContinue: () => !stopped });
  const exits = [];
  try {
    await sleep(600);
    for (let slot = 0; slot < instances.length; slot += 1) {
      const fresh = await start();
      proxy.upstreams.push(fresh);
      const old = instances[slot];
      old.signal('SIGTERM');
      await sleep(routingLagMs);
      proxy.upstreams.splice(proxy.upstreams.indexOf(old), 1);
      const hardLimit = setTimeout(() => old.child.kill('SIGKILL'), hardLimitMs);
      exits.push(exitCodeOf(await old.exited));
      clearTimeout(hardLimit);
      instances[slot] = fresh;
    }
    await sleep(600);
  } finally {
    stopped = true;
    await load.done;
    load.close();
    for (const instance of instances) instance.child.kill('SIGKILL');
    proxy.close();
  }
  const records = load.records;
  return {
    requests: records.length,
    failed: records.filter((record) => record.outcome !== 'ok').length,
    upstreamErrors: proxy.upstreamErrors,
    exitCodes: exits,
  };
}
