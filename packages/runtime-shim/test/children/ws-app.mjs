// A ws WebSocketServer under trackServer: MODE=attached (on a tracked http server) or MODE=port
// (ws makes its own server). A message "slow" is answered after 300 ms by a tracked handler; the
// clients must get that answer, then a 1001 close.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { installShutdownHandlers, trackCallback, trackServer } from '@quiesce/runtime-shim';

installShutdownHandlers({ timeoutMs: 10_000 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const onMessage = (client) =>
  trackCallback(async (data) => {
    const text = String(data);
    if (text === 'slow') await sleep(300);
    client.send(`answer to ${text}`);
  }, { name: 'ws message' });

let wss;
if (process.env.MODE === 'port') {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  console.log(JSON.stringify({ port: wss.address().port }));
} else {
  const server = createServer((_req, res) => res.end('http ok\n'));
  wss = new WebSocketServer({ server });
  trackServer(server);
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
}
trackServer(wss);
wss.on('connection', (client) => {
  client.on('message', onMessage(client));
});
