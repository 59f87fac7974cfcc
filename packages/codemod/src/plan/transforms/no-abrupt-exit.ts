import {
  Node,
  SyntaxKind,
  type ArrowFunction,
  type CallExpression,
  type ExpressionStatement,
  type FunctionExpression,
} from 'ts-morph';
import { replacement, type TextEdit } from '../edits.js';
import { forEachReportedNode, isCall, type Transform, type TransformContext } from '../../find/findings.js';
import { lineStartOf } from '../../write/source-text.js';

/** The signals the shim's register entry listens for by default (runtime-shim `defaultSignals`). */
const SIGNALS_THE_SHIM_HANDLES = new Set(['SIGTERM', 'SIGINT']);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

type Handler = ArrowFunction | FunctionExpression;

interface Listener {
  /** The top-level `process.on('SIGTERM', handler);` statement. */
  readonly statement: ExpressionStatement;
  readonly call: CallExpression;
  readonly handler: Handler;
}

/**
 * An exit that ends a top-level signal listener → the listener becomes `onShutdown(async () => { … })`
 * holding the handler's other work, and the file loads the shim's register entry, whose handlers then own
 * the signal (so the process never has less shutdown handling than before). Anything else — an exit in the
 * middle of a handler, in a function the handler calls, a signal the shim does not handle — gets a marker.
 */
export const noAbruptExit: Transform = {
  ruleId: 'quiesce/no-abrupt-exit',
  apply(findings, context) {
    const convertedBodies = new Set<string>();
    forEachReportedNode(findings, context, isCall, (exit, finding) => {
      const verdict = listenerEndingWith(exit);
      if (typeof verdict === 'string') context.review(exit, finding, verdict);
      else convertListener(verdict, exit, context, convertedBodies);
    });
  },
};

function convertListener(
  listener: Listener,
  exit: CallExpression,
  context: TransformContext,
  convertedBodies: Set<string>,
): void {
  const { statement, call, handler } = listener;
  const text = context.text;
  const body = handler.getBody();
  const exitStatement = Node.isBlock(body) ? exit.getParentOrThrow() : undefined;
  const remainingWork = Node.isBlock(body)
    ? body.getStatements().filter((child) => child !== exitStatement)
    : [];
  context.imports.requireRegister();
  const work = remainingWork.map((child) => child.getText().replace(/\s+/g, ' ')).join('\n');
  // A listener with no other work, or the same work as a listener already converted (one body for
  // SIGINT and SIGTERM), is removed: the shim's handlers already cover its signal.
  if (remainingWork.length === 0 || convertedBodies.has(work)) {
    context.edit(removalOfStatement(text, statement));
    return;
  }
  convertedBodies.add(work);
  const onShutdown = context.imports.localName('onShutdown');
  const edits: TextEdit[] = [
    replacement(call.getStart(), handler.getStart(), `${onShutdown}(`),
    replacement(handler.getStart(), body.getStart(), 'async () => '),
  ];
  if (exitStatement) edits.push(removalOfStatement(text, exitStatement));
  context.edit(...edits);
}

/** The listener whose handler ends with `exit`, or the reason the exit cannot be rewritten. */
function listenerEndingWith(exit: CallExpression): Listener | string {
  const parent = exit.getParentOrThrow();
  let handler: Node | undefined;
  if (Node.isExpressionStatement(parent)) {
    const block = parent.getParent();
    if (!Node.isBlock(block)) return 'this exit is not directly inside a signal handler; route the shutdown through the shim';
    const statements = block.getStatements();
    if (statements[statements.length - 1] !== parent) {
      return 'code runs after this exit; move the shutdown work into onShutdown(…) and drop the exit';
    }
    handler = block.getParent();
  } else if (Node.isArrowFunction(parent) && parent.getBody() === exit) {
    handler = parent;
  }
  if (!handler || !(Node.isArrowFunction(handler) || Node.isFunctionExpression(handler))) {
    return 'this exit is not the last statement of a signal handler; route the shutdown through the shim';
  }
  const call = handler.getParent();
  if (!Node.isCallExpression(call) || call.getArguments()[1] !== handler) {
    return 'this exit ends a function that is not a signal listener; route the shutdown through the shim';
  }
  const callee = call.getExpression();
  const [signalArgument] = call.getArguments();
  if (
    !Node.isPropertyAccessExpression(callee) ||
    callee.getExpression().getText() !== 'process' ||
    !LISTENER_METHODS.has(callee.getName()) ||
    !signalArgument ||
    !(Node.isStringLiteral(signalArgument) || Node.isNoSubstitutionTemplateLiteral(signalArgument))
  ) {
    return 'this exit ends a handler that is not a process.on(signal, …) listener';
  }
  const signal = signalArgument.getLiteralValue();
  if (!SIGNALS_THE_SHIM_HANDLES.has(signal)) {
    return `the shim's handlers do not listen for ${signal}; keep this listener and call shutdown() before exiting`;
  }
  const statement = call.getParent();
  if (!Node.isExpressionStatement(statement) || !Node.isSourceFile(statement.getParent())) {
    return 'this signal listener is not a top-level statement; move its work into onShutdown(…)';
  }
  const unsafe = handlerRewriteBlocker(handler, exit);
  if (unsafe) return unsafe;
  return { statement, call, handler };
}

function handlerRewriteBlocker(handler: Handler, exit: CallExpression): string | undefined {
  if (Node.isFunctionExpression(handler) && handler.isGenerator()) return 'the handler is a generator';
  const body = handler.getBody();
  const parameterNames = handler.getParameters().map((parameter) => parameter.getName());
  for (const node of body.getDescendants()) {
    if (Node.isFunctionExpression(handler) && (node.getKind() === SyntaxKind.ThisKeyword || isArgumentsReference(node))) {
      return "the handler uses `this` or `arguments`; move its work into onShutdown(…) by hand";
    }
    if (Node.isIdentifier(node) && parameterNames.includes(node.getText())) {
      return "the handler uses its parameters, which onShutdown(…) hooks do not receive; move its work by hand";
    }
  }
  const exitHasSideEffects = exit.getArguments().some((argument) => !isInertArgument(argument));
  if (exitHasSideEffects) return 'the exit call computes its arguments; keep that work and route the shutdown through the shim';
  return undefined;
}

function isArgumentsReference(node: Node): boolean {
  return Node.isIdentifier(node) && node.getText() === 'arguments';
}

function isInertArgument(node: Node): boolean {
  if (Node.isLiteralExpression(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isIdentifier(node)) return true;
  if (Node.isPrefixUnaryExpression(node)) return isInertArgument(node.getOperand());
  if (Node.isPropertyAccessExpression(node)) return isInertArgument(node.getExpression());
  return node.getKind() === SyntaxKind.TrueKeyword || node.getKind() === SyntaxKind.FalseKeyword;
}

/** Removes a statement: its whole line when it is alone on it, else from the previous statement's end. */
function removalOfStatement(text: string, statement: Node): TextEdit {
  const start = statement.getStart();
  const end = statement.getEnd();
  const onlyOnItsLine = /^[ \t]*$/.test(text.slice(lineStartOf(text, start), start)) && /^[ \t]*(\r\n|\r|\n|$)/.test(text.slice(end));
  if (onlyOnItsLine) return removalOfLines(text, start, end);
  const previous = statement.getPreviousSibling();
  return replacement(previous ? previous.getEnd() : start, end, '');
}

function removalOfLines(text: string, start: number, end: number): TextEdit {
  const from = lineStartOf(text, start);
  const lineBreak = /^[ \t]*(\r\n|\r|\n)?/.exec(text.slice(end));
  let to = end + (lineBreak?.[0].length ?? 0);
  // Between two blank lines, take one of them too, so the removal leaves no double gap.
  const blankBefore = from === 0 || /(\r\n|\r|\n)[ \t]*(\r\n|\r|\n)$/.test(text.slice(Math.max(0, from - 4), from));
  const blankAfter = /^[ \t]*(\r\n|\r|\n)/.exec(text.slice(to));
  let begin = from;
  if (blankBefore && blankAfter) to += blankAfter[0].length;
  else if (blankBefore && to === text.length && from > 0) begin -= text.slice(0, from).endsWith('\r\n') ? 2 : 1;
  return replacement(begin, to, '');
}
