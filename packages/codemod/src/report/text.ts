import type { CodemodReport } from './types.js';

/** The human summary: counts, then what was skipped and why, errors, and the review items. */
export function formatText(report: CodemodReport): string {
  const lines: string[] = [];
  const { summary } = report;
  const verb = report.mode === 'write' ? 'changed' : 'would change';
  lines.push(
    `quiesce-codemod: ${summary.changed} file(s) ${verb}, ${summary.unchanged} unchanged, ${summary.skipped} skipped, ${summary.errors} error(s), ${summary.reviews} review item(s)` +
      '',
  );
  if (summary.untyped > 0) {
    const reasons = Object.entries(summary.untypedReasons).map(([reason, count]) => `${count} ${reason}`);
    lines.push(`${summary.untyped} file(s) analysed without type information (${reasons.join(', ')}): the rules that need types did not run on them.`);
  }
  if (summary.notAnalysed > 0) lines.push(`${summary.notAnalysed} file(s) could not be parsed or analysed (listed under Skipped/Errors): --check fails on them.`);
  const changed = report.files.filter((file) => file.status === 'changed');
  if (changed.length > 0) {
    lines.push('', report.mode === 'write' ? 'Changed:' : 'Would change:');
    for (const file of changed) {
      const fixes = Object.entries(file.fixes).map(([rule, count]) => `${rule.replace(/^quiesce\//, '')} ×${count}`);
      if (file.formatted) fixes.push(`formatted with ${file.formatted}`);
      lines.push(`  ${file.file}${fixes.length > 0 ? `  (${fixes.join(', ')})` : ''}`);
      if (file.formatNote) lines.push(`    ${file.formatNote}`);
    }
  }
  const dependencies = report.dependencies.filter((dependency) => dependency.status === 'changed');
  if (dependencies.length > 0) {
    lines.push('', report.mode === 'write' ? 'Dependencies added (not installed):' : 'Dependencies to add:');
    for (const dependency of dependencies) lines.push(`  ${dependency.file}: ${dependency.added} (then run \`${dependency.install}\`)`);
  }
  const skipped = report.files.filter((file) => file.status === 'skipped');
  if (skipped.length > 0) {
    lines.push('', 'Skipped:');
    for (const file of skipped) lines.push(`  ${file.file}: ${file.reason ?? 'skipped'}`);
  }
  if (report.errors.length > 0) {
    lines.push('', 'Errors:');
    for (const error of report.errors) lines.push(`  ${error.file}: ${error.message}`);
  }
  if (report.reviews.length > 0) {
    lines.push('', 'Review (search for "quiesce-review:"; quiesce/no-review-markers fails while markers remain):');
    for (const review of report.reviews) {
      lines.push(`  ${review.file}:${review.line}:${review.column} ${review.ruleId}: ${review.reason}`);
    }
  }
  if (report.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of report.notes) lines.push(`  ${note}`);
  }
  if (report.interrupted) lines.push('', 'Interrupted: files not reached were left as they were; run again to finish.');
  return lines.join('\n') + '\n';
}
