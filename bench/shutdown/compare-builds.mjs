// Two builds of the shim in the same shutdown scenarios, run by run in turn (this build, then the
// other, each round and mode), so that a loaded machine treats both alike: whether a change to the
// shim changes what is lost, when the machine is too busy for one build's rounds to be compared
// with another run's.
//
// node bench/shutdown/compare-builds.mjs --baseline-shim <dir> [--only quiesce,quiesce-fastify]
//   [--rounds N] (default 4); <dir> is the packages/runtime-shim directory of another checkout, built.
// Prints, per contender, mode and build, each round's "in-flight lost / post-signal unclean".
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { killAllChildren } from './child.mjs';
import { MODES, runScenario, uncleanFailures } from './scenario.mjs';
import { formatTable } from './table.mjs';

const { values: args } = parseArgs({
  options: {
    'baseline-shim': { type: 'string' },
    only: { type: 'string', default: 'quiesce' },
    rounds: { type: 'string', default: '4' },
  },
});
if (args['baseline-shim'] === undefined) throw new TypeError('--baseline-shim <dir> is required: the packages/runtime-shim directory of another checkout, built');
const baselineEntry = join(resolve(args['baseline-shim']), 'dist', 'esm', 'index.js');
if (!existsSync(baselineEntry)) throw new TypeError(`--baseline-shim: no build at ${baselineEntry}; run \`npm run build -w @quiesce/runtime-shim\` there first`);
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new TypeError(`--rounds must be a positive integer, got "${args.rounds}"`);
const contenderDir = join(dirname(fileURLToPath(import.meta.url)), 'contenders');
const builds = { 'this build': undefined, baseline: pathToFileURL(baselineEntry).href };
/** The modes whose load continues after the signal: where what a build does with new work shows. */
const modes = MODES.filter((mode) => mode.loadAfterSignal);

process.once('exit', killAllChildren);
const cells = new Map();
try {
  for (let round = 1; round <= rounds; round += 1) {
    for (const contender of args.only.split(',')) {
      const script = join(contenderDir, `${contender}.mjs`);
      if (!existsSync(script)) throw new TypeError(`--only: no contender "${contender}" in bench/shutdown/contenders`);
      for (const mode of modes) {
        for (const [build, url] of Object.entries(builds)) {
          // The contenders load the shim from QUIESCE_BENCH_SHIM when it is set (a child inherits it).
          if (url === undefined) delete process.env.QUIESCE_BENCH_SHIM;
          else process.env.QUIESCE_BENCH_SHIM = url;
          const result = await runScenario({
            script,
            keepAlive: mode.keepAlive,
            loadAfterSignal: true,
            warmupMs: 700,
            hardLimitMs: 8_000,
            concurrency: mode.concurrency ?? 100,
            minDurationMs: mode.minDurationMs,
            maxDurationMs: mode.maxDurationMs,
            seed: round,
          });
          const key = `${contender}\u0000${mode.name}\u0000${build}`;
          const lost = result.inFlight - result.inFlightOutcomes.ok;
          cells.set(key, [...(cells.get(key) ?? []), `${lost} / ${uncleanFailures(result.afterSignalOutcomes)}${result.killed ? ' (killed)' : ''}`]);
          process.stderr.write('.');
        }
      }
    }
  }
} finally {
  killAllChildren();
}
process.stderr.write('\n');
console.log(`\n## This build against the baseline, run by run in turn (${rounds} rounds; each cell: in-flight lost / post-signal unclean)\n`);
console.log(formatTable(['contender', 'mode', 'build', 'rounds'], [...cells].map(([key, values]) => [...key.split('\u0000'), values.join(', ')])));
