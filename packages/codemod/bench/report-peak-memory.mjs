// Preloaded with `node --import` into each measured process: prints its peak resident memory on exit
// (also when the program calls process.exit, as tsc does), for bench/run.mjs to read from stderr.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\n@@peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
