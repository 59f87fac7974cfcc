import { Node, type Identifier, type PropertyAccessExpression } from 'ts-morph';
import { replacement } from '../edits.js';
import { forEachReportedNode, type Finding, type Transform, type TransformContext } from '../../find/findings.js';

type TimerCallee = Identifier | PropertyAccessExpression;
type TrackedTimer = 'setInterval' | 'setTimeout';

const isTimerCallee = (node: Node): node is TimerCallee =>
  Node.isIdentifier(node) || Node.isPropertyAccessExpression(node);

/**
 * Untracked timers → the shim's timers. Importing `setInterval` from the shim shadows the global, which
 * is the smallest diff, but only when every use of that name in the file is a reported call: otherwise
 * (a delay `new Promise(r => setTimeout(r, ms))`, a local or imported binding of that name) the shim's
 * timer comes in under an alias and only the reported call sites are renamed.
 */
export const noUntrackedTimer: Transform = {
  ruleId: 'quiesce/no-untracked-timer',
  apply(findings, context) {
    const byTimer = new Map<TrackedTimer, { finding: Finding; callee: TimerCallee }[]>();
    forEachReportedNode(findings, context, isTimerCallee, (callee, finding) => {
      const timer = finding.data['timer'] ?? timerNameOf(callee);
      if (timer !== 'setInterval' && timer !== 'setTimeout') {
        context.review(
          callee,
          finding,
          `${timer} has no tracked replacement; use the shim's setTimeout(fn, 0) or track the work it starts`,
        );
        return;
      }
      const sites = byTimer.get(timer) ?? [];
      sites.push({ finding, callee });
      byTimer.set(timer, sites);
    });
    for (const [timer, sites] of byTimer) rewriteSites(timer, sites, context);
  },
};

function rewriteSites(
  timer: TrackedTimer,
  sites: readonly { callee: TimerCallee }[],
  context: TransformContext,
): void {
  const reportedBareCalls = new Set(
    sites.filter(({ callee }) => Node.isIdentifier(callee) && callee.getText() === timer).map(({ callee }) => callee.getStart()),
  );
  const canShadow = context.names.occurrences(timer).every((start) => reportedBareCalls.has(start));
  const local = context.imports.localName(timer, canShadow);
  for (const { callee } of sites) {
    if (Node.isIdentifier(callee) && callee.getText() === local) continue;
    context.edit(replacement(callee.getStart(), callee.getEnd(), local));
  }
}

function timerNameOf(callee: TimerCallee): string {
  return Node.isIdentifier(callee) ? callee.getText() : callee.getName();
}
