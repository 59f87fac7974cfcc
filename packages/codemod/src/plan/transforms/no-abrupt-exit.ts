import {
  Node,
  SyntaxKind,
  type ArrowFunction,
  type CallExpression,
  type ExpressionStatement,
  type FunctionExpression,
  type Statement,
} from 'ts-morph';
import { insertion, replacement, type TextEdit } from '../edits.js';
import { drainInListener, isExitCall } from './signal-listeners.js';
import { forEachReportedNode, isCall, type Finding, type Transform, type TransformContext } from '../../find/findings.js';
import { phaseOf, type Phase } from './shutdown-phases.js';
import { atNode, requireShimSignalHandling } from './signal-ownership.js';
import { indentationOf, removalOfStatement, semicolon } from './statement-edits.js';
import { quoted } from './task-names.js';

/** The signals the shim's register entry listens for by default (runtime-shim `defaultSignals`). */
const SIGNALS_THE_SHIM_HANDLES = new Set(['SIGTERM', 'SIGINT']);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

type Handler = ArrowFunction | FunctionExpression;

interface Listener {
  /** The top-level `process.on('SIGTERM', handler);` statement. */
  readonly statement: ExpressionStatement;
  readonly call: CallExpression;
  readonly handler: Handler;
  readonly signal: string;
}

interface Plan {
  readonly listener: Listener;
  readonly finding: Finding;
  readonly exits: CallExpression[];
  /** Why the listener cannot become shim hooks (then it is connected to the shim), or undefined. */
  blocker: string | undefined;
}

/**
 * An exit in an app's own signal listener. The shim then owns the signal and the app's shutdown work still runs,
 * exactly once, in timer-first order:
 * - a top-level `process.on('SIGTERM' | 'SIGINT', () => { …; process.exit() })` becomes shim hooks and the file
 *   loads the shim's register entry: the statements that stop intake or only report (`accepting = false`,
 *   `server.close()`, `clearInterval(t)`, a log line) become an `intake` hook, which runs at the signal before the
 *   drain, as they did before; those that close what in-flight work needs (pools, clients, connections) become a
 *   `cleanup` hook, after the drain; what cannot be told apart stays at intake with a review item;
 * - a listener whose exit cannot simply go (an exit in a callback or in the middle, a signal the shim does not
 *   listen for, a handler that uses its parameter) is connected instead: it first awaits the shim's
 *   `shutdown(signal)` (intake, drain, cleanup hooks), then does its own teardown and exit as before; the file then
 *   gets no register entry, so the app's listener stays the one owner of the signal;
 * - anything else (an exit outside a top-level signal listener) gets a review marker.
 */
export const noAbruptExit: Transform = {
  ruleId: 'quiesce/no-abrupt-exit',
  apply(findings, context) {
    const plans = new Map<Handler, Plan>();
    const role = (context as { readonly role?: { readonly role: string; readonly reason: string } }).role;
    forEachReportedNode(findings, context, isCall, (exit, finding) => {
      if (role && role.role !== 'service') {
        // Only a service owns its process: a library exiting on a signal takes that decision from the app.
        context.review(
          exit,
          finding,
          `${role.role} code (${role.reason}) must not own the process: drop this exit (and the signal listener), and let the app call this package's close() from its own shutdown`,
        );
        return;
      }
      const listener = signalListenerAround(exit);
      if (typeof listener === 'string') {
        context.review(exit, finding, listener);
        return;
      }
      const plan = plans.get(listener.handler) ?? { listener, finding, exits: [], blocker: undefined };
      plan.exits.push(exit);
      plan.blocker ??= conversionBlocker(listener, exit);
      plans.set(listener.handler, plan);
    });
    // A listener that must stay is connected only when it always ends the process: one that may go on (an exit
    // behind a condition) would be left running with its timers and servers stopped by the shim.
    const kept = [...plans.values()].filter((plan) => plan.blocker !== undefined);
    for (const plan of kept) {
      if (endsTheProcess(plan.listener.handler)) continue;
      for (const exit of plan.exits) {
        context.review(
          exit,
          plan.finding,
          `${plan.blocker}, and the handler does not always exit; await the shim's shutdown() right before the exit`,
        );
      }
      plans.delete(plan.listener.handler);
    }
    // One owner of the signal per file: when a listener is kept (connected), all of them are connected, so the
    // shim's own handler never races the app's.
    const connectAll = [...plans.values()].some((plan) => plan.blocker !== undefined);
    const convertedBodies = new Set<string>();
    for (const plan of plans.values()) {
      if (connectAll) connectListener(plan.listener, context);
      else convertListener(plan, context, convertedBodies);
    }
  },
};

/** The top-level signal listener (an inline function) that `exit` is inside, or why there is none. */
function signalListenerAround(exit: CallExpression): Listener | string {
  let handler: Node | undefined = exit.getParent();
  for (; handler; handler = handler.getParent()) {
    if (!Node.isArrowFunction(handler) && !Node.isFunctionExpression(handler)) continue;
    const call = handler.getParent();
    if (Node.isCallExpression(call) && call.getArguments()[1] === handler && isProcessListenerCall(call)) break;
  }
  if (!handler || !(Node.isArrowFunction(handler) || Node.isFunctionExpression(handler))) {
    return "this exit is not inside a top-level process.on(signal, …) listener; await the shim's shutdown() right before it";
  }
  const call = handler.getParentOrThrow() as CallExpression;
  const signal = signalOf(call);
  if (signal === undefined) return 'the signal of this listener is not a string; route the shutdown through the shim by hand';
  const statement = call.getParent();
  if (!Node.isExpressionStatement(statement) || !Node.isSourceFile(statement.getParent())) {
    return 'this signal listener is not a top-level statement; await the shim\'s shutdown() in it before exiting';
  }
  if (Node.isFunctionExpression(handler) && handler.isGenerator()) return 'the handler is a generator';
  return { statement, call, handler, signal };
}

function isProcessListenerCall(call: CallExpression): boolean {
  const callee = call.getExpression();
  return (
    Node.isPropertyAccessExpression(callee) &&
    callee.getExpression().getText() === 'process' &&
    LISTENER_METHODS.has(callee.getName()) &&
    signalOf(call) !== undefined
  );
}

function signalOf(call: CallExpression): string | undefined {
  const [signalArgument] = call.getArguments();
  if (!signalArgument || !(Node.isStringLiteral(signalArgument) || Node.isNoSubstitutionTemplateLiteral(signalArgument))) {
    return undefined;
  }
  const signal = signalArgument.getLiteralValue();
  return signal.startsWith('SIG') ? signal : undefined;
}

/** Why the listener cannot become shim hooks (it is connected then), or undefined. */
function conversionBlocker(listener: Listener, exit: CallExpression): string | undefined {
  const { handler, signal } = listener;
  if (!SIGNALS_THE_SHIM_HANDLES.has(signal)) return `the shim's handlers do not listen for ${signal}`;
  const body = handler.getBody();
  const parent = exit.getParentOrThrow();
  const isLast = Node.isBlock(body)
    ? Node.isExpressionStatement(parent) && parent.getParent() === body && body.getStatements().at(-1) === parent
    : body === exit;
  if (!isLast) return notLastReason(body, exit);
  if (exit.getArguments().some((argument) => !isInertArgument(argument))) return 'the exit call computes its arguments';
  const code = exit.getArguments()[0];
  if (code && code.getText() !== '0') return 'the exit code is not 0';
  const parameterNames = handler.getParameters().map((parameter) => parameter.getName());
  for (const node of body.getDescendants()) {
    if (Node.isFunctionExpression(handler) && (node.getKind() === SyntaxKind.ThisKeyword || (Node.isIdentifier(node) && node.getText() === 'arguments'))) {
      return 'the handler uses `this` or `arguments`';
    }
    if (Node.isIdentifier(node) && parameterNames.includes(node.getText())) return 'the handler uses its parameters';
  }
  if (Node.isBlock(body)) {
    const work = body.getStatements().filter((statement) => statement !== parent);
    const phases = work.map(phaseOf);
    const firstCleanup = phases.indexOf('cleanup');
    if (firstCleanup >= 0 && phases.slice(firstCleanup).some((phase) => phase !== 'cleanup')) {
      return 'it closes resources before statements that stop intake';
    }
  }
  return undefined;
}

/** Where an exit that does not end its handler sits, in the words a reader looks for. */
function notLastReason(body: Node, exit: CallExpression): string {
  const statement = exit.getParentOrThrow();
  const block = statement.getParent();
  if (Node.isExpressionStatement(statement) && block !== undefined && Node.isBlock(block) && block !== body && block.getStatements().at(-1) === statement) {
    const owner = block.getParent();
    const where = Node.isTryStatement(owner)
      ? owner.getTryBlock() === block ? 'its try block' : 'a finally block'
      : Node.isCatchClause(owner)
        ? 'a catch block'
        : Node.isIfStatement(owner)
          ? 'one branch of an if'
          : 'a nested block';
    return `the exit is the last statement of ${where}, not of the handler`;
  }
  return 'the exit is not the last statement of the handler';
}

function convertListener(plan: Plan, context: TransformContext, convertedBodies: Set<string>): void {
  const { listener, finding } = plan;
  const { statement, call, handler } = listener;
  const exit = plan.exits[0]!;
  const text = context.text;
  const body = handler.getBody();
  const exitStatement = Node.isBlock(body) ? exit.getParentOrThrow() : undefined;
  const work = Node.isBlock(body) ? body.getStatements().filter((child) => child !== exitStatement) : [];
  requireShimSignalHandling(context, finding);
  const workText = work.map((child) => child.getText().replace(/\s+/g, ' ')).join('\n');
  // A listener with no other work, or the same work as a listener already converted (one body for
  // SIGINT and SIGTERM), is removed: the shim's handlers already cover its signal.
  if (work.length === 0 || convertedBodies.has(workText)) {
    context.edit(removalOfStatement(text, statement));
    return;
  }
  convertedBodies.add(workText);
  const phases = work.map(phaseOf);
  const intake = work.filter((_, index) => phases[index] !== 'cleanup');
  const cleanup = work.filter((_, index) => phases[index] === 'cleanup');
  work.forEach((child, index) => {
    if (phases[index] === 'unknown') {
      context.review(
        child,
        atNode(finding, child),
        "it is not clear whether this stops intake or closes what in-flight work needs; it runs at intake, before the drain, as it ran at the signal before: move it into a cleanup hook if work in flight needs it",
      );
    }
  });
  const onShutdown = context.imports.localName('onShutdown');
  const { eol, semicolons, quote } = context.style;
  const outer = indentationOf(text, statement);
  const intakeOption = `{ phase: ${quoted('intake', quote)} }`;
  const head = (statements: readonly Statement[]): string => `${awaitsIn(statements, handler) ? 'async ' : ''}() => `;
  const edits: TextEdit[] = [
    replacement(call.getStart(), handler.getStart(), `${onShutdown}(`),
    replacement(handler.getStart(), body.getStart(), head(intake.length > 0 ? intake : cleanup)),
  ];
  if (intake.length > 0 && cleanup.length > 0) {
    const lastIntake = intake[intake.length - 1]!;
    edits.push(
      insertion(
        lastIntake.getEnd(),
        `${eol}${outer}}, ${intakeOption})${semicolon(semicolons)}${eol}${outer}${onShutdown}(${head(cleanup)}{`,
        lastIntake.getWidth(),
      ),
    );
  } else if (intake.length > 0) {
    edits.push(insertion(handler.getEnd(), `, ${intakeOption}`, handler.getWidth()));
  }
  if (exitStatement) edits.push(removalOfStatement(text, exitStatement));
  context.edit(...edits);
}

/**
 * Keeps the app's listener and its exits, and makes it drain through the shim first (signal-listeners.ts
 * drainInListener): `process.on('SIGTERM', () => { …intake…; void shutdown('SIGTERM').then(() => { …its own
 * teardown…; process.exit(0); }); })`, or `await shutdown('SIGTERM')` before them in a listener that was already async.
 */
function connectListener(listener: Listener, context: TransformContext): void {
  const { handler, signal } = listener;
  const first = handler.getParameters()[0];
  const reason = first && Node.isIdentifier(first.getNameNode()) && !first.getInitializer() ? first.getName() : quoted(signal, context.style.quote);
  context.edit(...drainInListener(handler, reason, context, indentationOf(context.text, listener.statement)));
}

/**
 * Whether every run of the handler ends in an exit: its last statement is an exit, or a call whose callback's
 * last statement is (`server.close(() => { db.close(); process.exit(0); })`).
 */
function endsTheProcess(fn: Handler, depth = 0): boolean {
  const body = fn.getBody();
  const last = Node.isBlock(body) ? body.getStatements().at(-1) : body;
  const expression = Node.isExpressionStatement(last) ? last.getExpression() : last;
  const call = expression && Node.isAwaitExpression(expression) ? expression.getExpression() : expression;
  if (!call || !Node.isCallExpression(call)) return false;
  if (isExitCall(call)) return true;
  if (depth >= 2) return false;
  return call
    .getArguments()
    .some((argument) => (Node.isArrowFunction(argument) || Node.isFunctionExpression(argument)) && endsTheProcess(argument, depth + 1));
}

/** Whether the statements themselves (not functions inside them) await. */
function awaitsIn(statements: readonly Statement[], handler: Handler): boolean {
  return statements.some((statement) =>
    [...statement.getDescendantsOfKind(SyntaxKind.AwaitExpression), ...statement.getDescendantsOfKind(SyntaxKind.ForOfStatement).filter((loop) => loop.isAwaited())].some(
      (node) => node.getFirstAncestor((ancestor) => Node.isFunctionLikeDeclaration(ancestor) || Node.isArrowFunction(ancestor)) === handler,
    ),
  );
}

function isInertArgument(node: Node): boolean {
  if (Node.isLiteralExpression(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isIdentifier(node)) return true;
  if (Node.isPrefixUnaryExpression(node)) return isInertArgument(node.getOperand());
  if (Node.isPropertyAccessExpression(node)) return isInertArgument(node.getExpression());
  return node.getKind() === SyntaxKind.TrueKeyword || node.getKind() === SyntaxKind.FalseKeyword;
}

export type { Phase };
