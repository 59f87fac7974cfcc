// MODE=last-task: a tracked task settles during the drain; prints when it settled.
// MODE=idle: nothing in flight. MODE=bare-idle: no shim, `process.exit(0)` on SIGTERM (the floor).
const mode = process.env.MODE;
const now = () => performance.timeOrigin + performance.now();

if (mode === 'bare-idle') {
  process.on('SIGTERM', () => process.exit(0));
} else {
  const { installShutdownHandlers, track } = await import('@quiesce/runtime-shim');
  installShutdownHandlers({ logger: false });
  if (mode === 'last-task') {
    void track(new Promise((resolve) => setTimeout(resolve, 100)).then(() => console.log(`settled ${now()}`)));
  }
}
setInterval(() => {}, 1_000);
console.log('ready');
