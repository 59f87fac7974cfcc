// @ts-check
import http from 'node:http';

/**
 * A webhook receiver on 127.0.0.1 that answers after `latencyMs` (a slow downstream), recording
 * every JSON body it fully received.
 * @param {number} latencyMs
 */
export async function startWebhookReceiver(latencyMs) {
  /** @type {any[]} */
  const received = [];
  const server = http.createServer((request, response) => {
    const chunks = /** @type {Buffer[]} */ ([]);
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      setTimeout(() => response.end('ok'), latencyMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
