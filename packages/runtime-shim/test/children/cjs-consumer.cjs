const { installShutdownHandlers, isShuttingDown, track } = require('@quiesce/runtime-shim');

installShutdownHandlers();
void track(
  new Promise((resolve) => setTimeout(resolve, 300)).then(() => console.log(`task done (shutting down: ${isShuttingDown()})`)),
  { name: 'cjs-task' },
);
setInterval(() => {}, 1_000);
console.log('ready');
