#!/usr/bin/env node
// Usage: node scripts/screenshot.mjs <report.json> <out.png> [width]
// Renders a quiesce-verify JSON report (`--format json`) as the HTML timeline (from the built
// package: run `npm run build -w @quiesce/verify` first) and writes a full-page PNG of it, taken with
// the system's Chromium (QUIESCE_CHROMIUM or chromium on PATH) driven by playwright-core.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [reportPath, outPath, widthArg] = process.argv.slice(2);
if (!reportPath || !outPath) {
  console.error('usage: node scripts/screenshot.mjs <report.json> <out.png> [width, default 1280]');
  process.exit(2);
}
let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch (error) {
  console.error(`screenshot: cannot read the report ${reportPath}: ${error.message}. Pass the file quiesce-verify --format json wrote.`);
  process.exit(2);
}
if (!report || !Array.isArray(report.runs)) {
  console.error(`screenshot: ${reportPath} is not a quiesce-verify report (no "runs" array). Pass the file quiesce-verify --format json wrote.`);
  process.exit(2);
}
const width = Number(widthArg ?? 1280);
if (!Number.isInteger(width) || width < 320) {
  console.error(`screenshot: the width ${widthArg} is not a whole number of pixels of at least 320.`);
  process.exit(2);
}
let chromiumPath;
let renderTimelineHtml;
try {
  ({ chromiumPath } = await import('../dist/html/chromium.js'));
  ({ renderTimelineHtml } = await import('../dist/html/index.js'));
} catch (error) {
  console.error(`screenshot: cannot load the built package (${error.message}). Build it first: npm run build -w @quiesce/verify`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'quiesce-screenshot-'));
const page = join(dir, 'timeline.html');
writeFileSync(page, renderTimelineHtml(report));
const browser = await chromium.launch({ executablePath: chromiumPath(), timeout: 30_000 });
try {
  const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 2 });
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (error) => errors.push(error.message));
  tab.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await tab.goto(pathToFileURL(page).href);
  await tab.waitForSelector('[data-chart] svg', { timeout: 15_000 });
  await tab.screenshot({ path: resolve(outPath), fullPage: true });
  if (errors.length > 0) console.error(`screenshot: the page reported errors:\n  ${errors.join('\n  ')}`);
  console.log(`wrote ${resolve(outPath)}`);
  if (errors.length > 0) process.exitCode = 1;
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
