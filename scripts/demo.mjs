// @ts-check
// `npm run demo`: quiesce's whole story on the bundled heat-engine fixture, in under a minute —
// lint finds the hazards, the codemod rewrites a copy, then the original and the rewritten engine
// are each sent SIGTERM in the middle of stack creations and compared side by side; last,
// quiesce-verify checks the rewritten engine as a user would check their own service, and writes
// its shutdown timeline as an HTML page.
import { execFile } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify, styleText } from 'node:util';
import { rewriteFixtureCopy } from '../test/support/codemod.mjs';
import { STACK_TEMPLATE } from '../test/support/scenarios/heat-engine.mjs';
import { startWebhookReceiver } from '../test/support/webhook.mjs';
import { wallClockMs } from '../test/support/clock.mjs';
import { lintProject } from '../test/support/lint.mjs';
import { fixturesDir, repoRoot, scratchDir } from '../test/support/paths.mjs';
import { runHeatEngineScenario } from '../test/support/scenarios/heat-engine.mjs';
import { killAllServices } from '../test/support/service.mjs';
import { buildTypeScript, copyFixture } from '../test/support/workspace.mjs';

const execFileAsync = promisify(execFile);

/** Colour only for a person at a terminal: not when piped, in CI, or when NO_COLOR is set. */
const inCi = !['', '0', 'false', undefined].includes(process.env['CI']);
const colour = process.stdout.isTTY === true && !inCi && !process.env['NO_COLOR'];

/**
 * @param {Parameters<typeof styleText>[0]} style
 * @param {string} text
 */
const paint = (style, text) => (colour ? styleText(style, text) : text);
/** @param {string} text */
const say = (text = '') => process.stdout.write(`${text}\n`);
/** @param {string} title */
const heading = (title) => say(`\n${paint('bold', `━━ ${title}`)}`);
/** @param {number} milliseconds */
const ms = (milliseconds) => (milliseconds >= 1000 ? `${(milliseconds / 1000).toFixed(2)} s` : `${milliseconds.toFixed(1)} ms`);
/** @param {string} dir */
const shown = (dir) => relative(repoRoot, dir);

/** Removes the copies earlier demos left (kept after a run so they can be inspected). */
async function removeOldDemoCopies() {
  const entries = await readdir(scratchDir).catch(() => /** @type {string[]} */ ([]));
  await Promise.all(entries.filter((name) => name.startsWith('demo-')).map((name) => rm(join(scratchDir, name), { recursive: true, force: true })));
}

/** @param {string} diff */
function colourDiff(diff) {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') || line.startsWith('index ')) return paint('bold', line);
      if (line.startsWith('+')) return paint('green', line);
      if (line.startsWith('-')) return paint('red', line);
      if (line.startsWith('@@')) return paint('cyan', line);
      return line;
    })
    .join('\n');
}

/** @param {Run} run */
function narrate(run) {
  const { engine, signalSentAt } = run;
  say(`  3 clients create stacks (5 resources, ~2 s each) and read them back`);
  say(`  SIGTERM after ${run.requests.beforeSignal} requests, with ${run.stacksInFlightAtSignal} stack creations in flight`);
  for (const event of engine.eventsNamed('shutdown')) say(`  ${paint('dim', `engine log +${ms(event.t - signalSentAt)}:`)} ${String(event.msg)}`);
  for (const line of engine.stderr.filter((entry) => entry.at >= signalSentAt)) say(`  ${paint('dim', `stderr     +${ms(line.at - signalSentAt)}:`)} ${line.text}`);
  say(`  ${run.exit.exit} after ${ms(run.exit.drainMs)}; restarted on the same journal: ${run.stacksLeftInProgress} of ${run.stacksTotal} stacks still CREATE_IN_PROGRESS`);
}

/**
 * Only meaningful when the work did finish; an engine that cut its work off has no "last work".
 * @param {Run} run
 */
function lastWorkToExit(run) {
  if (run.stacksLeftInProgress > 0 || run.requests.lost.length > 0) return '— (work cut off)';
  return run.exit.exitLatencyMs === undefined ? '—' : ms(run.exit.exitLatencyMs);
}

/** @typedef {Awaited<ReturnType<typeof runHeatEngineScenario>>} Run */

/** @type {Array<{ label: string, value: (run: Run) => string, good: (run: Run) => boolean }>} */
const OUTCOME_ROWS = [
  {
    label: 'stacks CREATE_IN_PROGRESS after restart',
    value: (run) => `${run.stacksLeftInProgress} of ${run.stacksTotal}`,
    good: (run) => run.stacksLeftInProgress === 0,
  },
  {
    label: 'requests sent before SIGTERM, lost',
    value: (run) => `${run.requests.lost.length} of ${run.requests.beforeSignal}`,
    good: (run) => run.requests.lost.length === 0,
  },
  {
    label: 'requests after SIGTERM: refused / reset',
    value: (run) => `${run.requests.refusedAfterSignal} / ${run.requests.cutOffAfterSignal.length}`,
    good: (run) => run.requests.cutOffAfterSignal.length === 0,
  },
  {
    label: 'notifications of finished stacks lost',
    value: (run) => `${run.stacksFinished - run.notificationsDelivered}`,
    good: (run) => run.stacksFinished === run.notificationsDelivered,
  },
  { label: 'exit code', value: (run) => `${run.exit.exitCode ?? run.exit.exitSignal}`, good: () => true },
  { label: 'drain time (SIGTERM → exit)', value: (run) => ms(run.exit.drainMs), good: () => true },
  { label: 'last work finished → exit', value: lastWorkToExit, good: () => true },
];

/**
 * @param {Run} before
 * @param {Run} after
 */
function sideBySide(before, after) {
  const labelWidth = Math.max(...OUTCOME_ROWS.map((row) => row.label.length));
  const beforeWidth = Math.max(20, ...OUTCOME_ROWS.map((row) => row.value(before).length));
  /** @param {string} text @param {boolean} good */
  const mark = (text, good) => paint(good ? 'green' : 'red', text);
  say(`  ${''.padEnd(labelWidth)}  ${paint('bold', 'before (as written)'.padEnd(beforeWidth))}  ${paint('bold', 'after (quiesce-codemod)')}`);
  for (const row of OUTCOME_ROWS) {
    say(`  ${row.label.padEnd(labelWidth)}  ${mark(row.value(before).padEnd(beforeWidth), row.good(before))}  ${mark(row.value(after), row.good(after))}`);
  }
}

/** A compiled copy of the fixture as written, run under load with SIGTERM. */
async function runOriginal() {
  const dir = await copyFixture('heat-engine', 'demo-before');
  await buildTypeScript(dir);
  return { dir, run: await runHeatEngineScenario(dir) };
}

const verifyBin = join(repoRoot, 'packages', 'verify', 'bin', 'quiesce-verify.js');

/**
 * Runs the quiesce-verify CLI on the rewritten, compiled copy: POST /stacks and GET /stacks under
 * load, SIGTERM after 1.5 s, the timeline written as HTML into the copy.
 * @param {string} dir
 */
async function verifyRewritten(dir) {
  const webhook = await startWebhookReceiver(100);
  const html = join(dir, 'quiesce-verify-timeline.html');
  const args = [
    '--ready-line', '"event":"http\\.listening".*"port":(?<port>\\d+)',
    '--path', 'POST /stacks',
    '--path', 'GET /stacks',
    '--body', JSON.stringify({ stack_name: 'web', template: STACK_TEMPLATE }),
    '--concurrency', '4',
    '--after', '1500',
    '--env', `HEAT_DATA_DIR=${join(dir, '.data-verify')}`,
    '--env', 'HEAT_PORT=0',
    '--env', `HEAT_NOTIFY_URL=${webhook.url}`,
    '--html', html,
    '--', 'node', join(dir, 'dist', 'main.js'),
  ];
  const quoted = args.map((arg) => (/^[\w./=:,@-]+$/.test(arg) ? arg : `'${arg}'`));
  const commandLine = `quiesce-verify ${quoted.map((arg) => arg.replace(repoRoot, '')).join(' ')}`;
  try {
    const { stdout, code } = await new Promise((resolve) => {
      execFile(process.execPath, [verifyBin, ...args], { cwd: dir, timeout: 120_000 }, (error, out, err) => {
        resolve({ stdout: `${out}${err}`, code: error === null ? 0 : (typeof error.code === 'number' ? error.code : 1) });
      });
    });
    return { commandLine, output: stdout, code, html: shown(html) };
  } finally {
    await webhook.close();
  }
}

async function main() {
  const startedAt = wallClockMs();
  say(paint('bold', 'quiesce demo — heat-engine, a stack orchestrator that loses work on SIGTERM'));
  say(`fixture: ${shown(join(fixturesDir, 'heat-engine'))} (see its README for what it does)`);
  await removeOldDemoCopies();

  // The "before" run needs nothing from steps 1 and 2: it runs meanwhile and is shown in step 3.
  const beforeRun = runOriginal();
  beforeRun.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"

  heading('1. Lint: @quiesce/eslint-plugin, recommended-type-checked');
  const findings = await lintProject(join(fixturesDir, 'heat-engine'));
  for (const finding of findings) {
    say(`  ${paint('bold', `${finding.file}:${finding.line}:${finding.column}`)}  ${paint('yellow', finding.ruleId)}`);
    say(`    ${paint('dim', finding.message)}`);
  }
  say(`  ${findings.length} hazards`);

  heading('2. Codemod: quiesce-codemod on a copy (a git repo of its own, everything committed)');
  const { dir: afterCopy, run: codemod } = await rewriteFixtureCopy('heat-engine', 'demo-after');
  say(codemod.stdout.trimEnd().replace(/^/gm, '  '));
  const { stdout: diff } = await execFileAsync('git', ['diff', '--no-color'], { cwd: afterCopy });
  say(colourDiff(diff.trimEnd()));
  const remaining = await lintProject(afterCopy);
  say(`  lint after the rewrite: ${remaining.length === 0 ? paint('green', 'no findings') : paint('red', `${remaining.length} findings left`)}`);

  heading('3. Before: the engine as written, SIGTERM in the middle of stack creations');
  const { dir: beforeCopy, run: before } = await beforeRun;
  narrate(before);

  heading('4. After: the rewritten engine, same load, same SIGTERM');
  await buildTypeScript(afterCopy);
  const after = await runHeatEngineScenario(afterCopy);
  narrate(after);

  heading('5. Side by side');
  sideBySide(before, after);
  heading('6. quiesce-verify: the rewritten engine checked as you would check your own service');
  const verified = await verifyRewritten(afterCopy);
  say(`  $ ${verified.commandLine}`);
  say(verified.output.trimEnd().replace(/^/gm, '  '));
  say(`  quiesce-verify exited ${verified.code} (${verified.code === 0 ? paint('green', 'pass') : paint('red', 'fail')})`);
  say(`  HTML timeline: ${paint('bold', verified.html)}`);

  say(`\ncopies kept for a look: ${shown(beforeCopy)}, ${shown(afterCopy)} (git diff in the second)`);
  say(paint('dim', `demo took ${ms(wallClockMs() - startedAt)}`));
}

try {
  await main();
} catch (error) {
  process.stderr.write(`\ndemo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await killAllServices();
}
