// NOT the shim's timeline: a service drained by the real shim (trackServer, installShutdownHandlers)
// that writes the timeline contract's lines itself (TimelineEvent in src/report-types.ts, to the
// file QUIESCE_TIMELINE_FILE names), to test quiesce-verify's reader and verdict independently of
// what the shim writes. TIMELINE_SCENARIO picks what it reports:
//   clean              — signal, the three phases, exit 0
//   work-after-intake  — a timer callback starts after intake ('metrics-flush' at src/metrics.js:12)
//   deadline           — a tracked task never finishes: the shim's deadline (1 s) hits, exit 1, and
//                        the timeline names 'stuck-upload' as pending
import { appendFileSync } from 'node:fs';
import { installShutdownHandlers, onShutdown, track, trackServer } from '@quiesce/runtime-shim';
import { createApp, listen } from './app.mjs';

const file = process.env.QUIESCE_TIMELINE_FILE;
// The shim would write its own timeline to the same file: these lines are to be the only ones.
delete process.env.QUIESCE_TIMELINE_FILE;
const scenario = process.env.TIMELINE_SCENARIO ?? 'clean';
const startedAt = performance.timeOrigin + performance.now();
const t = () => performance.timeOrigin + performance.now();
const write = (event) => {
  if (file) appendFileSync(file, `${JSON.stringify({ t: t(), ...event })}\n`);
};

write({ event: 'start', pid: process.pid, timeoutMs: 1000 });
// Registered before the shim's own handler, so these lines come first.
process.once('SIGTERM', () => {
  write({ event: 'signal', signal: 'SIGTERM' });
  write({ event: 'shutdown-start', reason: 'SIGTERM' });
  write({ event: 'phase-start', phase: 'intake' });
  write({ event: 'timers-stopped', count: 1 });
  write({ event: 'phase-end', phase: 'intake' });
  write({ event: 'phase-start', phase: 'drain' });
  if (scenario === 'work-after-intake') write({ event: 'work-after-intake', kind: 'timer', name: 'metrics-flush', location: 'src/metrics.js:12' });
});
// A cleanup hook runs once the drain is over.
onShutdown(() => {
  if (scenario === 'deadline') write({ event: 'deadline', pending: [{ kind: 'task', name: 'stuck-upload', ageMs: Math.round(t() - startedAt) }] });
  write({ event: 'phase-end', phase: 'drain' });
  write({ event: 'phase-start', phase: 'cleanup' });
  write({ event: 'phase-end', phase: 'cleanup' });
});
process.on('exit', (code) => write({ event: 'exit', code }));

if (scenario === 'deadline') track(new Promise(() => {}), { name: 'stuck-upload' });
const server = trackServer(createApp());
installShutdownHandlers({ timeoutMs: 1000, logger: false });
listen(server);
