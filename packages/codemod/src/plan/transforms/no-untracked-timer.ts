import { Node, type CallExpression, type Identifier, type PropertyAccessExpression } from 'ts-morph';
import { replacement } from '../edits.js';
import { enclosingFunction } from './stop-paths.js';
import { ownTimerInClass } from './timer-ownership.js';
import { forEachReportedNode, type Finding, type Transform, type TransformContext } from '../../find/findings.js';
import { connectShutdownLibraries } from './shutdown-libraries.js';

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
      const call = callee.getParent();
      if (timer === 'setTimeout' && Node.isCallExpression(call) && isPollInsideWork(call)) {
        context.review(
          callee,
          finding,
          'this timeout polls inside a promise that running work awaits; keep it a plain timer: the drain waits for that work, and a tracked timer would be cancelled at intake, leaving the promise pending until the deadline',
        );
        return;
      }
      const role = (context as { readonly role?: { readonly role: string; readonly reason: string } }).role;
      if (role && role.role !== 'service') {
        if (role.role === 'library' && Node.isCallExpression(call) && ownTimerInClass(call, timer, context)) return;
        context.review(
          callee,
          finding,
          `${role.role} code (${role.reason}) gets no shim: keep this timer (on the instance) and clear it in the owner's stop path (close/stop/destroy)`,
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
  sites: readonly { finding: Finding; callee: TimerCallee }[],
  context: TransformContext,
): void {
  const reportedBareCalls = new Set(
    sites.filter(({ callee }) => Node.isIdentifier(callee) && callee.getText() === timer).map(({ callee }) => callee.getStart()),
  );
  const canShadow = context.names.occurrences(timer).every((start) => reportedBareCalls.has(start));
  const local = context.imports.localName(timer, canShadow);
  if (sites[0]) connectShutdownLibraries(context, sites[0].finding);
  for (const { callee } of sites) {
    if (Node.isIdentifier(callee) && callee.getText() === local) continue;
    context.edit(replacement(callee.getStart(), callee.getEnd(), local));
  }
}

/**
 * A `setTimeout` inside a `new Promise` executor whose callback (or the function it schedules, declared in the
 * executor) settles that promise: a poll or delay of running work, which the caller awaits.
 */
function isPollInsideWork(call: CallExpression): boolean {
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
    const parent = fn.getParent();
    if (!(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) || !Node.isNewExpression(parent)) continue;
    if (parent.getExpression().getText() !== 'Promise' || parent.getArguments()[0] !== fn) continue;
    const settlers = new Set(fn.getParameters().map((parameter) => parameter.getName()));
    const scheduled = scheduledBody(call.getArguments()[0], fn);
    return scheduled !== undefined && scheduled.getDescendants().some((node) => Node.isIdentifier(node) && settlers.has(node.getText()));
  }
  return false;
}

/** What the timer runs: its inline callback, or the function of that name declared inside `scope`. */
function scheduledBody(callback: Node | undefined, scope: Node): Node | undefined {
  if (!callback) return undefined;
  if (Node.isArrowFunction(callback) || Node.isFunctionExpression(callback)) return callback;
  if (!Node.isIdentifier(callback)) return undefined;
  const name = callback.getText();
  for (const declaration of scope.getDescendants()) {
    if (Node.isFunctionDeclaration(declaration) && declaration.getName() === name) return declaration;
    if (Node.isVariableDeclaration(declaration) && declaration.getName() === name) return declaration.getInitializer();
  }
  return undefined;
}

function timerNameOf(callee: TimerCallee): string {
  return Node.isIdentifier(callee) ? callee.getText() : callee.getName();
}
