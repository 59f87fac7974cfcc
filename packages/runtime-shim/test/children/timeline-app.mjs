// A service whose shutdown writes its timeline (QUIESCE_TIMELINE_FILE, set by the test). MODE picks
// what is in flight at the signal; the process prints "ready" once it is, and "ready <port>" for
// the server modes.
//   drain:        an interval tick, a tracked job and a request in flight; all finish in time
//   deadline:     a tracked job that never ends and a timer callback that hangs: the deadline hits
//   after-intake: an untracked interval keeps tracking new jobs after the signal, a request handler
//                 in flight tracks a step of its own (not new work), and a tracked timer reschedules
//                 itself (cancelled, not new work either)
//   keep-alive:   a server whose idle keep-alive connections stay open 5 s into the drain: `/slow`
//                 answers after 600 ms, `/` at once
//   fault:        an exception nobody catches starts the shutdown
//   reraise:      drains and ends by the signal itself
import { createServer } from 'node:http';
import {
  installShutdownHandlers,
  onShutdown,
  setInterval as trackedSetInterval,
  setTimeout as trackedSetTimeout,
  track,
  trackServer,
} from '@quiesce/runtime-shim';

const mode = process.env.MODE ?? 'drain';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const options = { timeoutMs: Number(process.env.TIMEOUT_MS ?? 10_000), logger: false };
if (mode === 'reraise') options.reraiseSignal = true;
if (process.env.OPTION_FILE) options.timelineFile = process.env.OPTION_FILE;
installShutdownHandlers(options);
onShutdown(() => sleep(20), { name: 'close pool' });

if (mode === 'drain' || mode === 'reraise') {
  let ticks = 0;
  trackedSetInterval(async function poll() {
    ticks++;
    if (ticks === 1) {
      await sleep(300);
      console.log('tick done');
    }
  }, 10);
  void track(sleep(300).then(() => console.log('job done')), { name: 'nightly report' });
  const server = trackServer(
    createServer((request, response) => {
      void sleep(300).then(() => response.end('ok'));
    }),
  );
  server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
}

if (mode === 'deadline') {
  void track(new Promise(() => {}), { name: 'stuck upload' });
  trackedSetTimeout(async function hangingSync() {
    await new Promise(() => {});
  }, 0);
  // Keeps the process up (neither promise does) until the deadline's exit.
  setInterval(() => {}, 1_000);
  setTimeout(() => console.log('ready'), 50);
}

if (mode === 'after-intake') {
  // An untracked source of work: nothing stops it at intake.
  setInterval(() => void track(sleep(5), { name: 'queue job' }), 20).unref();
  // A signal listener of the application's own that schedules a retry: new work, cancelled at once.
  process.on('SIGTERM', () => trackedSetTimeout(function lateRetry() {}, 10));
  // A tracked timer that reschedules itself after its work: its next run is cancelled at intake.
  trackedSetTimeout(async function refresh() {
    await sleep(400);
    trackedSetTimeout(refresh, 10);
  }, 0);
  const server = trackServer(
    createServer((request, response) => {
      void sleep(200)
        .then(() => track(sleep(50), { name: 'audit write' }))
        .then(() => response.end('ok'));
    }),
  );
  server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
}

if (mode === 'keep-alive') {
  const server = trackServer(
    createServer((request, response) => {
      if (request.url === '/slow') void sleep(600).then(() => response.end('slow'));
      else response.end('quick');
    }),
    { idleSocketGraceMs: 5_000 },
  );
  server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
}

if (mode === 'fault') {
  void track(sleep(200), { name: 'in-flight job' });
  setTimeout(() => {
    throw new Error('kaboom');
  }, 50);
  console.log('ready');
}
