// Counts unhandledRejection events for a rejecting tracked task that is ignored or handled.
import { track } from '@quiesce/runtime-shim';

const seen = [];
process.on('unhandledRejection', (reason) => seen.push(reason instanceof Error ? reason.message : String(reason)));
const mode = process.env.MODE;
const failing = () => Promise.reject(new Error('boom'));

if (mode === 'ignored') void track(failing());
if (mode === 'handled') track(failing()).catch(() => {});
if (mode === 'untracked-ignored') void failing();
setTimeout(() => console.log(JSON.stringify(seen)), 50);
