// The HTML timeline in a real headless Chromium (Debian's chromium, driven by playwright-core): it
// renders without console or page errors, makes no request beyond its own file, shows the counts
// of the report it was given, draws a bar per request, and hovering a bar names the request.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../src/html/chromium.js';
import { renderTimelineHtml } from '../src/html/index.js';
import type { RequestRecord, RunReport, VerifyReport } from '../src/report-types.js';
import { failingRun, passingRun, report, runWithoutTimeline } from './fixtures-html/reports.js';

let browser: Browser;
let dir: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quiesce-html-'));
  browser = await chromium.launch({ executablePath: chromiumPath(), timeout: 15_000 });
});

afterAll(async () => {
  await Promise.allSettled(contexts.map((context) => context.close()));
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  /** Console errors and warnings, page errors and dialogs (alert, confirm) the page opened. */
  problems: string[];
  /** Every URL the page asked for, its own file first. */
  requested: string[];
}

async function openHtml(html: string, name: string): Promise<Opened> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const problems: string[] = [];
  const requested: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  // Nothing but the page's own file may load; anything else is recorded above and refused here.
  await context.route(
    () => true,
    (route) => (route.request().url() === url ? route.continue() : route.abort()),
  );
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(url, { timeout: 15_000 });
  return { page, problems, requested };
}

async function openReport(verifyReport: VerifyReport, name: string): Promise<Opened> {
  const opened = await openHtml(renderTimelineHtml(verifyReport), name);
  await opened.page.waitForSelector('[data-chart] svg', { timeout: 15_000 });
  return opened;
}

function expectClean({ problems, requested, page }: Opened): void {
  expect(problems).toEqual([]);
  expect(requested).toEqual([page.url()]);
}

const count = (page: Page, run: number, key: string): Promise<string | null> =>
  page.getAttribute(`[data-run="${run}"] [data-count="${key}"]`, 'data-value');

/** The counts a reader of the report expects, worked out from its records here, not by the page's code. */
function expectedCounts(run: RunReport): Record<string, string> {
  const all: RequestRecord[] = [...run.requests, ...run.work];
  const inFlight = all.filter((r) => r.inFlightAtSignal);
  const after = all.filter((r) => r.afterSignal);
  return {
    requests: String(all.length),
    'in-flight-at-signal': String(inFlight.length),
    lost: String(inFlight.filter((r) => r.outcome !== 'completed').length),
    'after-signal': String(after.length),
    refused: String(all.filter((r) => r.outcome === 'refused').length),
    status: String(all.filter((r) => r.outcome === 'status').length),
    unclean: String(after.filter((r) => ['reset', 'hung', 'error'].includes(r.outcome)).length),
    'exit-code': run.exitSignal ?? String(run.exitCode),
    'exit-lag': run.exitLagMs === null ? '' : String(Math.round(run.exitLagMs * 10) / 10),
  };
}

async function expectCounts(page: Page, run: RunReport): Promise<void> {
  const shown: Record<string, string | null> = {};
  for (const key of Object.keys(expectedCounts(run))) shown[key] = await count(page, run.run, key);
  expect(shown).toEqual(expectedCounts(run));
}

async function tooltipAfterHover(page: Page, selector: string): Promise<string> {
  await page.hover(selector, { timeout: 5_000 });
  const tooltip = page.locator('#quiesce-tooltip');
  await tooltip.waitFor({ state: 'visible', timeout: 5_000 });
  return (await tooltip.innerText()).replace(/\s+/g, ' ');
}

/** A small run written out by hand: the signal at S, three requests in flight, three after it. */
function handWrittenRun(): RunReport {
  const S = 1_764_633_700_000;
  const r = (id: number, method: string, path: string, from: number, to: number, rest: Partial<RequestRecord>): RequestRecord => ({
    id,
    method,
    path,
    start: S + from,
    end: S + to,
    outcome: 'completed',
    status: 200,
    inFlightAtSignal: from < 0 && to > 0,
    afterSignal: from >= 0,
    ...rest,
  });
  const requests = [
    r(1, 'GET', '/health', -80, -70, {}),
    r(2, 'GET', '/orders', -40, 12, {}),
    r(3, 'POST', '/orders', -12.5, 5.2, { outcome: 'reset', status: undefined, error: 'ECONNRESET' }),
    r(4, 'GET', '/orders/9', -3, 30, {}),
    r(5, 'GET', '/health', 2, 3.1, { outcome: 'status', status: 503 }),
    r(6, 'GET', '/health', 15, 15.4, { outcome: 'refused', status: undefined, error: 'ECONNREFUSED' }),
    r(7, 'PUT', '/cart', 1, 9, { outcome: 'reset', status: undefined, error: 'socket hang up' }),
    r(8, 'GET', '/late', -150, -120, {}),
  ];
  for (const request of requests) if (request.status === undefined) delete request.status;
  return {
    run: 1,
    startedAt: S - 400,
    readyAt: S - 300,
    signal: 'SIGTERM',
    signalAt: S,
    exitAt: S + 34.2,
    exitCode: 0,
    exitSignal: null,
    exitLagMs: 4.2,
    requests,
    work: [],
    timeline: [
      { event: 'signal', t: S + 0.2, signal: 'SIGTERM' },
      { event: 'phase-start', t: S + 0.3, phase: 'intake' },
      { event: 'phase-end', t: S + 1, phase: 'intake' },
      { event: 'phase-start', t: S + 1, phase: 'drain' },
      { event: 'phase-end', t: S + 30, phase: 'drain' },
      { event: 'phase-start', t: S + 30, phase: 'cleanup' },
      { event: 'phase-end', t: S + 33, phase: 'cleanup' },
      { event: 'exit', t: S + 34, code: 0 },
    ],
    outputTail: [],
    checks: [
      { id: 'in-flight-lost', passed: false, message: '1 request in flight at the signal was reset' },
      { id: 'unclean-after-signal', passed: false, message: '1 request after the signal was reset' },
      { id: 'exit-code', passed: true, message: 'exit code 0' },
    ],
    verdict: 'fail',
  };
}

describe('renderTimelineHtml in Chromium', () => {
  it('the harness sees a request the page makes and an error it throws (so the checks below can fail)', async () => {
    const opened = await openHtml(
      '<!doctype html><title>control</title><img src="http://127.0.0.1:9/control.png"><script>throw new Error("control boom")</script>',
      'control',
    );
    await opened.page.waitForLoadState('load');
    expect(opened.requested).toContain('http://127.0.0.1:9/control.png');
    expect(opened.problems.some((p) => p.includes('control boom'))).toBe(true);
  });

  it('a hand-written run: its exact counts, its phases, a bar per request and a hover that names the request', async () => {
    const run = handWrittenRun();
    const opened = await openReport(report([run]), 'hand-written');
    const { page } = opened;
    const shown: Record<string, string | null> = {};
    for (const key of ['requests', 'in-flight-at-signal', 'lost', 'after-signal', 'refused', 'status', 'unclean', 'exit-code', 'exit-lag']) {
      shown[key] = await count(page, 1, key);
    }
    expect(shown).toEqual({
      requests: '8',
      'in-flight-at-signal': '3',
      lost: '1',
      'after-signal': '3',
      refused: '1',
      status: '1',
      unclean: '1',
      'exit-code': '0',
      'exit-lag': '4.2',
    });
    expect(await page.getAttribute('header.page', 'data-verdict')).toBe('fail');
    expect(await page.getAttribute('[data-run="1"]', 'data-verdict')).toBe('fail');
    expect(await page.getAttribute('[data-check="in-flight-lost"]', 'data-passed')).toBe('false');
    expect(await page.getAttribute('[data-check="exit-code"]', 'data-passed')).toBe('true');
    expect(await page.getAttribute('[data-outcome-count="reset"]', 'data-value')).toBe('2');
    expect(await page.locator('[data-run="1"] rect.bar').count()).toBe(8);
    expect(await page.locator('[data-run="1"] rect.bar[data-outcome="reset"]').count()).toBe(2);
    expect(await page.locator('[data-run="1"] [data-chart] rect.phase').count()).toBe(3);
    expect(await page.locator('[data-run="1"] tr[data-request]').count()).toBe(2);

    const text = await tooltipAfterHover(page, '[data-run="1"] rect.bar[data-id="3"]');
    expect(text).toContain('POST /orders');
    expect(text).toContain('request #3');
    expect(text).toContain('outcome: reset');
    expect(text).toContain('error: ECONNRESET');
    expect(text).toContain('sent: -12.5 ms, done: +5.2 ms');
    expect(text).toContain('In flight at the signal, lost');
    expect(await page.getAttribute('#quiesce-tooltip', 'data-for')).toBe('item-3');

    // The keyboard reaches the same details: lost first, then unclean.
    await page.mouse.move(0, 0);
    await page.focus('[data-run="1"] [data-chart]');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#quiesce-tooltip', 'data-for')).toBe('item-3');
    expect(await page.locator('[data-run="1"] rect.bar.selected').getAttribute('data-id')).toBe('3');
    await page.keyboard.press('ArrowRight');
    expect((await page.locator('#quiesce-tooltip').innerText()).replace(/\s+/g, ' ')).toContain('PUT /cart');
    await page.keyboard.press('Escape');
    expect(await page.locator('#quiesce-tooltip').isHidden()).toBe(true);

    const answered = await tooltipAfterHover(page, '[data-run="1"] rect.bar[data-id="5"]');
    expect(answered).toContain('GET /health');
    expect(answered).toContain('status: 503');
    expect(answered).toContain('sent: +2 ms');
    expectClean(opened);
  });

  it('a passing run: no losses, its counts, every bar, the shim phases', async () => {
    const run = passingRun(1);
    const opened = await openReport(report([run]), 'passing');
    const { page } = opened;
    await expectCounts(page, run);
    expect(await count(page, 1, 'lost')).toBe('0');
    expect(await page.getAttribute('header.page', 'data-verdict')).toBe('pass');
    expect(await page.locator('[data-run="1"] [data-check][data-passed="false"]').count()).toBe(0);
    expect(await page.locator('[data-run="1"] rect.bar').count()).toBe(run.requests.length);
    expect(await page.locator('[data-run="1"] [data-chart] rect.phase').count()).toBe(3);
    expect(await page.locator('[data-run="1"] details.problems').count()).toBe(0);
    expectClean(opened);
  });

  it('a failing run: resets, unclean requests, pending work at the deadline and work after intake', async () => {
    const run = failingRun(2);
    const opened = await openReport(report([run]), 'failing');
    const { page } = opened;
    await expectCounts(page, run);
    expect(Number(await count(page, 2, 'lost'))).toBeGreaterThan(0);
    expect(Number(await count(page, 2, 'unclean'))).toBeGreaterThan(0);
    expect(await page.locator('[data-run="2"] rect.bar').count()).toBe(run.requests.length);
    for (const check of run.checks) {
      expect(await page.getAttribute(`[data-run="2"] [data-check="${check.id}"]`, 'data-passed')).toBe(String(check.passed));
    }
    expect(await page.getAttribute('[data-run="2"] [data-pending-count]', 'data-pending-count')).toBe('2');
    expect(await page.locator('[data-run="2"] .pending').innerText()).toContain('invoice-batch');
    expect(await page.getAttribute('[data-run="2"] [data-late-work-count]', 'data-late-work-count')).toBe('1');

    const reset = run.requests.find((r) => r.inFlightAtSignal && r.outcome === 'reset')!;
    const text = await tooltipAfterHover(page, `[data-run="2"] rect.bar[data-id="${reset.id}"]`);
    expect(text).toContain(`${reset.method} ${reset.path}`);
    expect(text).toContain(`request #${reset.id}`);
    expect(text).toContain('outcome: reset');
    expect(text).toContain('error: ECONNRESET');
    expect(text).toContain(`sent: -${Math.round((run.signalAt! - reset.start) * 10) / 10} ms`);

    // The deadline's marker names what was pending.
    const deadlineText = await tooltipAfterHover(page, '[data-run="2"] rect.hit[data-kind="deadline"]');
    expect(deadlineText).toContain('deadline: 2 pending');
    expect(deadlineText).toContain('task invoice-batch, 812 ms old (src/jobs/invoice.ts:41)');
    expectClean(opened);
  });

  it('a run with no shim timeline and hostile text: says so, draws no phases, runs none of the text', async () => {
    const run = runWithoutTimeline(3);
    const opened = await openReport(report([run], ['node', '-e', '</script><img src=x onerror=alert(6)>']), 'no-timeline');
    const { page } = opened;
    await expectCounts(page, run);
    expect(await page.locator('[data-run="3"] [data-no-timeline]').count()).toBe(1);
    expect(await page.locator('[data-run="3"] [data-chart] rect.phase').count()).toBe(0);
    expect(await page.locator('[data-run="3"] rect.bar').count()).toBe(run.requests.length);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('p.command code').innerText()).toBe('node -e </script><img src=x onerror=alert(6)>');
    expect(await page.locator('[data-run="3"] pre.output').textContent()).toBe(run.outputTail.join('\n'));
    const hostile = run.requests.find((r) => r.inFlightAtSignal)!;
    const text = await tooltipAfterHover(page, `[data-run="3"] rect.bar[data-id="${hostile.id}"]`);
    expect(text).toContain(`${hostile.method} ${hostile.path}`);
    expect(text).toContain('error: EPIPE </script><img src=x onerror=alert(3)>');
    expectClean(opened);
  });

  it('a run that never became ready: no requests, no signal, no timeline, still a page without errors', async () => {
    const S = 1_764_633_800_000;
    const run: RunReport = {
      run: 1,
      startedAt: S,
      readyAt: null,
      signal: 'SIGTERM',
      signalAt: null,
      exitAt: S + 180,
      exitCode: 1,
      exitSignal: null,
      exitLagMs: null,
      requests: [],
      work: [],
      timeline: null,
      outputTail: ['Error: listen EADDRINUSE: address already in use 127.0.0.1:3000'],
      checks: [{ id: 'ready', passed: false, message: 'the service exited with code 1 before it was ready' }],
      verdict: 'fail',
    };
    const opened = await openReport(report([run]), 'never-ready');
    const { page } = opened;
    expect(await count(page, 1, 'requests')).toBe('0');
    expect(await count(page, 1, 'exit-code')).toBe('1');
    expect(await count(page, 1, 'exit-lag')).toBe('');
    expect(await page.getAttribute('[data-check="ready"]', 'data-passed')).toBe('false');
    expect(await page.locator('[data-run="1"] rect.bar').count()).toBe(0);
    expect(await page.locator('[data-run="1"] .headline').innerText()).toContain('No signal was sent.');
    expectClean(opened);
  });

  it('work units of --load count and draw like requests, and the hover says they are work units', async () => {
    const run = handWrittenRun();
    const S = run.signalAt!;
    run.work = [
      { id: 101, method: 'enqueue', path: 'invoice-batch 1', start: S - 30, end: S - 10, outcome: 'completed', inFlightAtSignal: false, afterSignal: false },
      { id: 102, method: 'enqueue', path: 'invoice-batch 2', start: S - 5, end: S + 400, outcome: 'hung', error: 'no ack in 400 ms', inFlightAtSignal: true, afterSignal: false },
      { id: 103, method: 'enqueue', path: 'invoice-batch 3', start: S + 20, end: S + 21, outcome: 'refused', error: 'queue closed', inFlightAtSignal: false, afterSignal: true },
    ];
    const opened = await openReport(report([run]), 'work-units');
    const { page } = opened;
    expect(await count(page, 1, 'requests')).toBe('11');
    expect(await count(page, 1, 'lost')).toBe('2');
    expect(await count(page, 1, 'refused')).toBe('2');
    expect(await page.locator('[data-run="1"] rect.bar').count()).toBe(11);
    const text = await tooltipAfterHover(page, '[data-run="1"] rect.bar[data-id="102"]');
    expect(text).toContain('work unit enqueue invoice-batch 2');
    expect(text).toContain('work unit #102');
    expect(text).toContain('outcome: hung (no response)');
    expect(text).toContain('error: no ack in 400 ms');
    expectClean(opened);
  });

  it('several runs: an overview row and a section per run, each with its own counts and bars', async () => {
    const runs = [passingRun(1), failingRun(2), runWithoutTimeline(3)];
    const opened = await openReport(report(runs), 'several');
    const { page } = opened;
    expect(await page.getAttribute('header.page', 'data-verdict')).toBe('fail');
    expect(await page.locator('tr[data-overview-run]').count()).toBe(3);
    expect(await page.locator('section.run').count()).toBe(3);
    for (const run of runs) {
      await expectCounts(page, run);
      expect(await page.getAttribute(`[data-run="${run.run}"]`, 'data-verdict')).toBe(run.verdict);
      expect(await page.locator(`[data-run="${run.run}"] rect.bar`).count()).toBe(run.requests.length);
    }
    expectClean(opened);
  });

  it('a large run (thousands of requests): every bar drawn, packed into lanes, and still hoverable', async () => {
    const run = passingRun(1, 200);
    expect(run.requests.length).toBeGreaterThan(5_000);
    const opened = await openReport(report([run]), 'large');
    const { page } = opened;
    await expectCounts(page, run);
    expect(await page.locator('[data-run="1"] rect.bar').count()).toBe(run.requests.length);
    const height = await page.$eval('[data-run="1"] [data-chart] svg', (svg) => svg.getBoundingClientRect().height);
    // Packed: about as tall as the 200 clients' lanes, not a row per request.
    expect(height).toBeLessThan(run.requests.length / 2);
    const inFlight = run.requests.find((r) => r.inFlightAtSignal)!;
    const text = await tooltipAfterHover(page, `[data-run="1"] rect.bar[data-id="${inFlight.id}"]`);
    expect(text).toContain(`request #${inFlight.id}`);
    expect(text).toContain('outcome: completed');
    expectClean(opened);
  });
});
