import { installShutdownHandlers, isShuttingDown, track } from '@quiesce/runtime-shim';

installShutdownHandlers();
void track(
  new Promise((resolve) => setTimeout(resolve, 300)).then(() => console.log(`task done (shutting down: ${isShuttingDown()})`)),
  { name: 'esm-task' },
);
setInterval(() => {}, 1_000);
console.log('ready');
