// The text report: per run, what was sent and how it ended, then each check; last, the verdict.
import { countOutcomes } from './outcome.js';
import type { RunReport, VerifyReport } from './report-types.js';

const MARK = { pass: '✓', fail: '✗', skip: '–' } as const;

function outcomeLine(label: string, records: RunReport['requests']): string {
  const counts = countOutcomes(records);
  const parts = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcome}`);
  return `  ${label}: ${records.length}${parts.length === 0 ? '' : ` (${parts.join(', ')})`}`;
}

export function formatRun(run: RunReport, totalRuns: number): string {
  const lines: string[] = [];
  const records = run.requests.length > 0 ? run.requests : run.work;
  const unit = run.work.length > 0 ? 'work units' : 'requests';
  lines.push(`run ${run.run}${totalRuns > 1 ? ` of ${totalRuns}` : ''}: ${run.verdict.toUpperCase()}`);
  if (run.readyAt !== null) {
    const exit = run.exitSignal === null ? `exit code ${run.exitCode}` : `killed by ${run.exitSignal}`;
    const signalToExit = run.signalAt !== null && run.exitAt !== null ? `, ${(run.exitAt - run.signalAt).toFixed(0)} ms after ${run.signal}` : '';
    lines.push(outcomeLine(`${unit} before ${run.signal}`, records.filter((record) => !record.inFlightAtSignal && !record.afterSignal)));
    lines.push(outcomeLine(`in flight at ${run.signal}`, records.filter((record) => record.inFlightAtSignal)));
    lines.push(outcomeLine(`sent after ${run.signal}`, records.filter((record) => record.afterSignal)));
    lines.push(`  ${exit}${signalToExit}${run.timeline === null ? '; no shim timeline' : `; shim timeline: ${run.timeline.length} events`}`);
  }
  for (const check of run.checks) {
    const mark = check.skipped ? MARK.skip : check.passed ? MARK.pass : MARK.fail;
    lines.push(`  ${mark} ${check.id}: ${check.message}`);
  }
  if (run.verdict === 'fail' && run.outputTail.length > 0) {
    lines.push('  last output of the service:');
    for (const line of run.outputTail.slice(-10)) lines.push(`    | ${line}`);
  }
  return lines.join('\n');
}

export function formatReport(report: VerifyReport): string {
  const runs = report.runs.map((run) => formatRun(run, report.runs.length));
  const failed = report.runs.filter((run) => run.verdict === 'fail').length;
  const summary =
    report.verdict === 'pass'
      ? `PASS: ${report.runs.length === 1 ? 'the service drained' : `all ${report.runs.length} runs drained`}`
      : `FAIL: ${report.runs.length === 1 ? 'the shutdown lost work or misbehaved' : `${failed} of ${report.runs.length} runs failed`}`;
  return `${runs.join('\n\n')}\n\n${summary}\n`;
}
