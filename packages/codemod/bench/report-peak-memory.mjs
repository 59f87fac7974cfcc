// Preloaded with `node --import` into each measured process: prints its peak resident memory and the CPU
// time it used on exit (also when the program calls process.exit, as tsc does), for bench/run.mjs to read
// from stderr. CPU time is the steadier figure on a machine shared with other work.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeSync(2, `\n@@peak-rss-kb ${usage.maxRSS} cpu-us ${usage.userCPUTime + usage.systemCPUTime}\n`);
});
