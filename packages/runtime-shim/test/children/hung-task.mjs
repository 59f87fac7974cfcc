// A task that never settles: the shutdown must end at the deadline, name it, and exit non-zero.
import { installShutdownHandlers, track } from '@quiesce/runtime-shim';

installShutdownHandlers({ timeoutMs: Number(process.env.TIMEOUT_MS ?? 500) });
void track(new Promise(() => {}), { name: 'stuck-upload' });
setInterval(() => {}, 1_000); // an untracked handle keeps the process alive, as a real service's would
console.log('ready');
