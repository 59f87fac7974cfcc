// Loaded after `@quiesce/runtime-shim/register` (via --import or -r): no handler code of its own.
// It is CommonJS so that both the ESM (--import) and the CJS (-r) copies of the shim meet here.
const { track } = require('@quiesce/runtime-shim');

void track(new Promise((resolve) => setTimeout(resolve, 300)).then(() => console.log('task done')), { name: 'registered-task' });
setInterval(() => {}, 1_000);
console.log('ready');
