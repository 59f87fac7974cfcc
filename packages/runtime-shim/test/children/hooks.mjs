// Three cleanup hooks, the middle one throws: the others still run, last registered first.
import { installShutdownHandlers, onShutdown } from '@quiesce/runtime-shim';

installShutdownHandlers();
onShutdown(() => console.log('hook first ran'), { name: 'first' });
onShutdown(() => {
  throw new Error('pool already closed');
}, { name: 'broken' });
onShutdown(async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  console.log('hook third ran');
}, { name: 'third' });
onShutdown(() => console.log('intake hook ran'), { name: 'stop-consumer', phase: 'intake' });
setInterval(() => {}, 1_000);
console.log('ready');
