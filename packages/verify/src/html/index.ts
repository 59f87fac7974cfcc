// renderTimelineHtml: one self-contained page for `quiesce-verify --html <file>`. The summary, the
// checks and the tables are static HTML (they read without the script); the chart is drawn by the
// inline script from the JSON data in the page. A Content-Security-Policy forbids every fetch, so
// the page works offline and nothing in a report can make it load anything.
import type { RequestRecord, RunReport, TimelineEvent, VerifyReport } from '../report-types.js';
import { OUTCOMES, OUTCOME_LABELS, countRun, isLost, isUnclean, unitsOf, type RunCounts } from './classify.js';
import { escapeHtml as esc, jsonForScript } from './escape.js';
import { formatMs, formatRelative } from './format.js';
import { layoutRun, originOf } from './layout.js';
import { pageScript } from './page-script.js';
import { pageStyle } from './page-style.js';

export type { ChartData } from './layout.js';
export { countRun, isLost, isUnclean, type RunCounts } from './classify.js';

/** Lost and unclean requests listed in a run's table; the chart shows every one. */
const PROBLEM_ROWS = 200;
/** A longer list starts folded, so that the next run's summary stays near. */
const OPEN_PROBLEMS = 20;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

function verdictBadge(verdict: 'pass' | 'fail'): string {
  return `<span class="verdict ${verdict}">${verdict === 'pass' ? 'PASS' : 'FAIL'}</span>`;
}

function swatch(className: string): string {
  return `<svg viewBox="0 0 22 12" aria-hidden="true"><rect class="${className}" width="22" height="12" rx="2"/></svg>`;
}

function relativeTo(run: RunReport): (t: number) => string {
  const origin = originOf(run).at;
  return (t) => formatRelative(t - origin);
}

function exitText(run: RunReport): string {
  if (run.exitSignal) return run.exitSignal;
  if (run.exitCode !== null) return String(run.exitCode);
  return 'none';
}

function breakdown(records: RequestRecord[]): string {
  const by = new Map<string, number>();
  for (const r of records) by.set(r.outcome, (by.get(r.outcome) ?? 0) + 1);
  return OUTCOMES.filter((o) => by.has(o)).map((o) => `${by.get(o)} ${OUTCOME_LABELS[o]}`).join(', ');
}

function headline(run: RunReport, counts: RunCounts): string {
  const units = unitsOf(run);
  const parts: string[] = [];
  if (run.signalAt === null) parts.push('No signal was sent.');
  if (counts.lost > 0) {
    parts.push(`${counts.lost} of ${counts.inFlightAtSignal} requests in flight at the ${run.signal} were lost (${breakdown(units.filter(isLost))}).`);
  } else if (run.signalAt !== null) {
    parts.push(`All ${counts.inFlightAtSignal} requests in flight at the ${run.signal} completed.`);
  }
  if (counts.unclean > 0) {
    parts.push(`${counts.unclean} of ${counts.afterSignal} sent after it failed uncleanly (${breakdown(units.filter(isUnclean))}).`);
  } else if (counts.afterSignal > 0) {
    parts.push(`None of the ${counts.afterSignal} sent after it failed uncleanly.`);
  }
  const failed = run.checks.filter((c) => !c.passed).length;
  parts.push(failed === 0 ? 'Every check passed.' : `${failed} of ${run.checks.length} checks failed.`);
  return parts.join(' ');
}

function countTile(key: string, label: string, value: string | number, bad: boolean): string {
  return `<div data-count="${key}" data-value="${esc(value)}"${bad ? ' class="bad"' : ''}><dt>${esc(label)}</dt><dd>${esc(value === '' ? '–' : value)}</dd></div>`;
}

function countsHtml(run: RunReport, counts: RunCounts): string {
  const exitBad = run.exitSignal !== null || (run.exitCode !== null && run.exitCode !== 0);
  const lag = run.exitLagMs === null ? '' : Math.round(run.exitLagMs * 10) / 10;
  const lagCheck = run.checks.find((c) => c.id === 'exit-lag');
  return `<dl class="counts">${[
    countTile('requests', 'requests', counts.total, false),
    countTile('in-flight-at-signal', 'in flight at signal', counts.inFlightAtSignal, false),
    countTile('lost', 'lost', counts.lost, counts.lost > 0),
    countTile('after-signal', 'sent after signal', counts.afterSignal, false),
    countTile('refused', 'refused', counts.refused, false),
    countTile('status', '5xx status', counts.status, false),
    countTile('unclean', 'unclean after signal', counts.unclean, counts.unclean > 0),
    countTile('exit-code', run.exitSignal ? 'killed by' : 'exit code', exitText(run), exitBad),
    countTile('exit-lag', 'exit lag (ms)', lag, lagCheck !== undefined && !lagCheck.passed),
  ].join('')}</dl>`;
}

function checksHtml(run: RunReport): string {
  if (run.checks.length === 0) return '<p class="note">No checks were recorded for this run.</p>';
  const ordered = [...run.checks.filter((c) => !c.passed), ...run.checks.filter((c) => c.passed)];
  return `<ul class="checks">${ordered
    .map(
      (c) =>
        `<li data-check="${esc(c.id)}" data-passed="${c.passed}"><span class="mark ${c.passed ? 'pass' : 'fail'}">${c.passed ? '✓ pass' : '✗ fail'}</span><span><code>${esc(c.id)}</code> ${esc(c.message)}</span></li>`,
    )
    .join('')}</ul>`;
}

function legendHtml(run: RunReport, counts: RunCounts): string {
  const outcomes = OUTCOMES.map(
    (o) => `<li data-outcome-count="${o}" data-value="${counts.byOutcome[o]}">${swatch(`o-${o}`)}${esc(OUTCOME_LABELS[o])} (${counts.byOutcome[o]})</li>`,
  );
  const shim =
    run.timeline === null
      ? []
      : [
          `<li>${swatch('phase intake')}intake</li>`,
          `<li>${swatch('phase drain')}drain</li>`,
          `<li>${swatch('phase cleanup')}cleanup</li>`,
          '<li><svg viewBox="0 0 22 12" aria-hidden="true"><circle cx="11" cy="6" r="4" fill="#333"/></svg>shim event</li>',
          '<li><svg viewBox="0 0 22 12" aria-hidden="true"><path d="M11 0l6 6l-6 6l-6 -6z" fill="#b3261e"/></svg>work after intake, fault</li>',
          '<li><svg viewBox="0 0 22 12" aria-hidden="true"><line x1="0" x2="22" y1="6" y2="6" stroke="#b3261e" stroke-width="2" stroke-dasharray="6 3"/></svg>deadline</li>',
        ];
  const lines = [
    '<li><svg viewBox="0 0 22 12" aria-hidden="true"><line x1="0" x2="22" y1="6" y2="6" stroke="#1a1a1a" stroke-width="2"/></svg>signal</li>',
    '<li><svg viewBox="0 0 22 12" aria-hidden="true"><line x1="0" x2="22" y1="6" y2="6" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="2 2"/></svg>exit</li>',
  ];
  return `<ul class="legend" aria-label="Legend">${[...outcomes, ...lines, ...shim].join('')}</ul>`;
}

function problemsHtml(run: RunReport): string {
  const problems = unitsOf(run)
    .filter((r) => isLost(r) || isUnclean(r))
    .sort((a, b) => a.start - b.start || a.id - b.id);
  if (problems.length === 0) return '';
  const rel = relativeTo(run);
  const rows = problems.slice(0, PROBLEM_ROWS).map(
    (r) =>
      `<tr data-request="${esc(r.id)}"><td class="num">${esc(r.id)}</td><td class="mono">${esc(r.method)} ${esc(r.path)}</td><td class="num">${esc(rel(r.start))}</td><td class="num">${esc(rel(r.end))}</td><td>${esc(OUTCOME_LABELS[r.outcome] ?? r.outcome)}</td><td class="mono">${esc(r.status ?? '')}${r.status !== undefined && r.error ? ' ' : ''}${esc(r.error ?? '')}</td><td>${isLost(r) ? 'lost (in flight at signal)' : 'unclean (after signal)'}</td></tr>`,
  );
  const more = problems.length > PROBLEM_ROWS ? `<p class="note">…and ${problems.length - PROBLEM_ROWS} more; the chart shows every one.</p>` : '';
  return `<details class="problems"${problems.length <= OPEN_PROBLEMS ? ' open' : ''}><summary>Lost and unclean requests (${problems.length})</summary><table><thead><tr><th class="num">#</th><th>request</th><th class="num">sent</th><th class="num">done</th><th>outcome</th><th>status / error</th><th>why it counts</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}</details>`;
}

type Of<K extends TimelineEvent['event']> = Extract<TimelineEvent, { event: K }>;

function shimHtml(run: RunReport): string {
  if (run.timeline === null) {
    return `<p class="note" data-no-timeline>No shim timeline: the service did not run @quiesce/runtime-shim with QUIESCE_TIMELINE_FILE, so its phases, work begun after intake and pending work at the deadline are not known. The chart shows only what the client saw.</p>`;
  }
  const rel = relativeTo(run);
  const parts: string[] = [];
  // A cluster's workers have their own deadlines, late work and faults: a column says whose.
  const clustered = run.timeline.some((e) => e.worker !== undefined);
  const whoHead = clustered ? '<th>process</th>' : '';
  const who = (e: TimelineEvent) => (clustered ? `<td>${e.worker === undefined ? 'primary' : `worker ${esc(e.worker)}`}</td>` : '');
  const deadlines = run.timeline.filter((e): e is Of<'deadline'> => e.event === 'deadline');
  const pending = deadlines.flatMap((d) => d.pending.map((p) => ({ ...p, at: d.t, of: d })));
  if (deadlines.length > 0) {
    parts.push(
      `<details class="pending" open data-pending-count="${pending.length}"><summary>Pending at the deadline (${pending.length})</summary><table><thead><tr>${whoHead}<th>kind</th><th>name</th><th class="num">age</th><th>where</th><th class="num">deadline</th></tr></thead><tbody>${pending
        .map((p) => `<tr>${who(p.of)}<td>${esc(p.kind)}</td><td class="mono">${esc(p.name)}</td><td class="num">${esc(formatMs(p.ageMs))}</td><td class="mono">${esc(p.location ?? '')}</td><td class="num">${esc(rel(p.at))}</td></tr>`)
        .join('')}</tbody></table></details>`,
    );
  }
  const late = run.timeline.filter((e): e is Of<'work-after-intake'> => e.event === 'work-after-intake');
  if (late.length > 0) {
    parts.push(
      `<details class="late-work" open data-late-work-count="${late.length}"><summary>Work begun after intake (${late.length})</summary><table><thead><tr>${whoHead}<th class="num">at</th><th>kind</th><th>name</th><th>where</th></tr></thead><tbody>${late
        .map((e) => `<tr>${who(e)}<td class="num">${esc(rel(e.t))}</td><td>${esc(e.kind)}</td><td class="mono">${esc(e.name)}</td><td class="mono">${esc(e.location ?? '')}</td></tr>`)
        .join('')}</tbody></table></details>`,
    );
  }
  const faults = run.timeline.filter((e): e is Of<'fault'> => e.event === 'fault');
  if (faults.length > 0) {
    parts.push(
      `<details class="faults" open data-fault-count="${faults.length}"><summary>Faults (${faults.length})</summary><table><thead><tr>${whoHead}<th class="num">at</th><th>origin</th><th>task</th><th>message</th></tr></thead><tbody>${faults
        .map((e) => `<tr>${who(e)}<td class="num">${esc(rel(e.t))}</td><td>${esc(e.origin)}</td><td class="mono">${esc(e.task ?? '')}</td><td class="mono">${esc(e.message)}</td></tr>`)
        .join('')}</tbody></table></details>`,
    );
  }
  return parts.join('');
}

function runHtml(run: RunReport, index: number, focus: boolean): string {
  const counts = countRun(run);
  const origin = run.signalAt !== null ? `the ${esc(run.signal)}` : `the ${originOf(run).kind}`;
  const output =
    run.outputTail.length > 0
      ? `<details class="output"><summary>Service output (last ${run.outputTail.length} lines)</summary><pre class="output">${esc(run.outputTail.join('\n'))}</pre></details>`
      : '';
  return `<section class="run" id="run-${esc(run.run)}" data-run="${esc(run.run)}" data-verdict="${esc(run.verdict)}">
<h2>Run ${esc(run.run)} ${verdictBadge(run.verdict)}</h2>
<p class="headline">${esc(headline(run, counts))}</p>
${countsHtml(run, counts)}
${checksHtml(run)}
<figure class="timeline">
${legendHtml(run, counts)}
<div class="toolbar">${focus ? '<button type="button" data-range="focus">Around the signal</button>' : ''}<button type="button" data-range="full">Whole run</button><span>Times relative to ${origin}. Drag across the chart to zoom; double-click for the whole run; hover a bar for its request, or focus the chart and use the arrow keys.</span></div>
<div class="chart" data-chart="${index}"><noscript><p class="note">The chart needs JavaScript; the counts and tables above do not.</p></noscript></div>
</figure>
${problemsHtml(run)}
${shimHtml(run)}
${output}
</section>`;
}

function overviewHtml(report: VerifyReport): string {
  if (report.runs.length < 2) return '';
  const rows = report.runs.map((run) => {
    const c = countRun(run);
    return `<tr data-overview-run="${esc(run.run)}"><td><a href="#run-${esc(run.run)}">Run ${esc(run.run)}</a></td><td>${verdictBadge(run.verdict)}</td><td class="num">${c.total}</td><td class="num">${c.inFlightAtSignal}</td><td class="num">${c.lost}</td><td class="num">${c.unclean}</td><td class="num">${esc(exitText(run))}</td><td class="num">${run.exitLagMs === null ? '–' : esc(formatMs(run.exitLagMs))}</td></tr>`;
  });
  return `<table class="overview"><thead><tr><th>run</th><th>verdict</th><th class="num">requests</th><th class="num">in flight at signal</th><th class="num">lost</th><th class="num">unclean</th><th class="num">exit</th><th class="num">exit lag</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function optionsHtml(options: Record<string, unknown>): string {
  const entries = Object.entries(options);
  if (entries.length === 0) return '';
  return `<details class="options"><summary>Options</summary><table>${entries
    .map(([key, value]) => `<tr><th class="mono">${esc(key)}</th><td class="mono">${esc(JSON.stringify(value) ?? String(value))}</td></tr>`)
    .join('')}</table></details>`;
}

// The stripes that tell failed outcomes apart without colour; defined once, used by every chart and the legend.
const PATTERNS = `<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>
<pattern id="q-reset" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#D55E00"/><rect width="2" height="6" fill="#7a2d00"/></pattern>
<pattern id="q-hung" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#CC79A7"/><rect width="2" height="6" fill="#6d2f58"/></pattern>
<pattern id="q-error" patternUnits="userSpaceOnUse" width="4" height="4"><rect width="4" height="4" fill="#3a3a3a"/><rect width="2" height="2" fill="#9a9a9a"/></pattern>
</defs></svg>`;

export function renderTimelineHtml(report: VerifyReport): string {
  const charts = report.runs.map((run) => layoutRun(run));
  const data = { outcomes: OUTCOMES, outcomeLabels: OUTCOMES.map((o) => OUTCOME_LABELS[o]), runs: charts };
  const command = report.command.join(' ');
  const runs = report.runs.map((run, index) => runHtml(run, index, charts[index]!.focus !== null)).join('\n');
  const runCount = `${report.runs.length} run${report.runs.length === 1 ? '' : 's'}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>quiesce-verify ${report.verdict === 'pass' ? 'PASS' : 'FAIL'}: ${esc(command)}</title>
<link rel="icon" href="data:,">
<style>${pageStyle}</style>
</head>
<body>
${PATTERNS}
<header class="page" data-verdict="${esc(report.verdict)}" data-runs="${report.runs.length}">
<h1>${verdictBadge(report.verdict)} quiesce-verify</h1>
<p class="command"><code>${esc(command)}</code></p>
<p class="note">${runCount}, ${report.runs.filter((r) => r.verdict === 'fail').length} failed.</p>
${optionsHtml(report.options)}
${overviewHtml(report)}
</header>
<main>
${runs}
</main>
<div id="quiesce-tooltip" class="tooltip" role="tooltip" aria-live="polite" hidden></div>
<script type="application/json" id="quiesce-data">${jsonForScript(data)}</script>
<script>${pageScript}</script>
</body>
</html>
`;
}
