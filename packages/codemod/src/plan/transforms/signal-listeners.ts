// A service's own listener on a shutdown signal (`process.on('SIGTERM', () => { server.close(); })`, or an async
// teardown `process.on('SIGTERM', handleShutdown)`) is its shutdown handling: the shim's drain is connected to it,
// whichever transform puts the service's work on the shim (in this file, or, for an entry file, in any file of its
// package: see find/entry-listeners.ts), so one signal drains the tracked work and runs the app's own statements, once each.
import {
  Node,
  SyntaxKind,
  type ArrowFunction,
  type CallExpression,
  type Expression,
  type FunctionDeclaration,
  type FunctionExpression,
  type Identifier,
  type Statement,
  type VariableDeclaration,
} from 'ts-morph';
import { insertion, type TextEdit } from '../edits.js';
import type { Finding, TransformContext } from '../../find/findings.js';
import { REGISTER_MODULE } from '../shim.js';
import { expressionOnlyReports, onlyReports, phaseOf, phaseOfExpression } from './shutdown-phases.js';
import { existingShimNames } from './shim-names.js';
import { atNode } from './signal-ownership.js';
import { indentationOf, semicolon } from './statement-edits.js';
import { quoted } from './task-names.js';

/** The listeners already connected (or reviewed), per file: a listener on two signals is connected once. */
const connectedListeners = new WeakMap<TransformContext, Set<Node>>();
/** The files whose own signal listeners were looked at (connectOwnSignalListeners ran). */
const consideredFiles = new WeakSet<TransformContext>();

/** Listener methods of `process` that register a signal listener. */
const SIGNAL_LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
const SHUTDOWN_SIGNALS = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']);
/**
 * The signals a synchronous listener is connected on: those the shim's own handlers take (runtime-shim
 * `defaultSignals`). A synchronous SIGHUP listener is as often a reload as a shutdown.
 */
const SYNC_CONNECTED_SIGNALS = new Set(['SIGTERM', 'SIGINT']);

/** The rule id of review items and fixes about connecting a listener outside any finding (an entry file). */
export const SIGNAL_LISTENER_RULE = 'quiesce-codemod/signal-listener';

export type ListenerFunction = ArrowFunction | FunctionExpression | FunctionDeclaration;

/**
 * The function a shutdown-signal registration's listener is, when it is the service's own: an inline function, or a
 * name (`process.on('SIGTERM', handleShutdown)`, `const handleShutdown = () => { … }`) used for nothing but signal
 * registrations, in a service file that owns the signal itself (no register import now or from this run). A listener
 * that is also removed or compared is not (only) the service's shutdown handling: it is left alone.
 */
export function ownSignalListener(callback: Expression, context: TransformContext): ListenerFunction | undefined {
  if (context.role && context.role.role !== 'service') return undefined;
  if (ownsNoSignal(context)) return undefined;
  if (!isShutdownSignalRegistration(callback)) return undefined;
  let handler: Node | undefined = callback;
  if (Node.isIdentifier(callback)) {
    const definition = definitionOf(callback);
    const declaredAt = definition?.getNameNode()?.getStart();
    const elsewhere = context.names.occurrences(callback.getText()).filter((start) => start !== declaredAt);
    const onlyRegistered = elsewhere.every((start) => {
      const use = context.sourceFile.getDescendantAtPos(start);
      return use !== undefined && Node.isIdentifier(use) && isShutdownSignalRegistration(use);
    });
    if (!onlyRegistered) return undefined;
    handler = Node.isVariableDeclaration(definition) ? definition.getInitializer() : definition;
  }
  if (!(Node.isArrowFunction(handler) || Node.isFunctionExpression(handler) || Node.isFunctionDeclaration(handler))) return undefined;
  if (Node.isFunctionExpression(handler) && handler.isGenerator()) return undefined;
  return handler;
}

/** The register entry (the shim's own signal handlers) is, or will be, in this file: the shim owns the signal. */
function ownsNoSignal(context: TransformContext): boolean {
  return (
    context.text.includes(REGISTER_MODULE) ||
    context.imports.installsHandlers ||
    context.allFindings.some((finding) => finding.ruleId === 'quiesce/require-shutdown-handler')
  );
}

/**
 * The block body of an async own shutdown-signal listener (see ownSignalListener). Wrapping such a listener in
 * trackCallback changed nothing (nothing ever started the shim's drain) and, with a register, the drain would wait
 * for the teardown that waits for it; instead the drain is connected in it (see connectSignalListener).
 */
export function signalListenerBody(callback: Expression, context: TransformContext): Node | undefined {
  const handler = ownSignalListener(callback, context);
  if (!handler || !handler.isAsync()) return undefined;
  const body = handler.getBody();
  return Node.isBlock(body) ? body : undefined;
}

/** `process.on('SIGTERM', <node>)` (and once/addListener/prepend…, for a shutdown signal named by a literal). */
export function isShutdownSignalRegistration(node: Node): boolean {
  const call = node.getParent();
  if (!Node.isCallExpression(call) || call.getArguments()[1] !== node) return false;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getExpression().getText() !== 'process' || !SIGNAL_LISTENER_METHODS.has(callee.getName())) return false;
  const signal = literalSignal(call.getArguments()[0]);
  return signal !== undefined && SHUTDOWN_SIGNALS.has(signal);
}

/** The signal a registration names by a literal (`'SIGTERM'`, `` `SIGTERM` ``); undefined for anything else. */
function literalSignal(event: Node | undefined): string | undefined {
  return event !== undefined && (Node.isStringLiteral(event) || Node.isNoSubstitutionTemplateLiteral(event)) ? event.getLiteralValue() : undefined;
}

/**
 * Connects an async own listener (its block `body`): `async (signal) => { …intake; await shutdown(signal); …teardown }`,
 * so one signal runs the shim's intake, drain and cleanup hooks, then the app's own teardown, once each (the shim's
 * `shutdown()` returns the same promise to a second call, so a listener on two signals or a repeated signal does not
 * run it twice).
 */
export function connectSignalListener(body: Node, context: TransformContext): boolean {
  const handler = body.getParent();
  if (!(Node.isArrowFunction(handler) || Node.isFunctionExpression(handler) || Node.isFunctionDeclaration(handler))) return false;
  if (!firstTime(handler, context) || callsShimShutdown(handler, context)) return false;
  drainThroughShim(handler, context);
  return true;
}

/** Makes an own listener drain through the shim, passing the signal (see signalArgument and drainInListener). */
function drainThroughShim(handler: ListenerFunction, context: TransformContext): void {
  const argument = signalArgument(handler, context);
  context.edit(...argument.edits, ...drainInListener(handler, argument.text, context, indentationOf(context.text, handler)));
}

export type Definition = FunctionDeclaration | VariableDeclaration;

/** The declaration `name` refers to at `use`, found by scope (syntax only), when it is a function of this file. */
export function definitionOf(use: Identifier): Definition | undefined {
  const name = use.getText();
  for (let scope: Node | undefined = use.getParent(); scope; scope = scope.getParent()) {
    if (Node.isBlock(scope) || Node.isSourceFile(scope) || Node.isModuleBlock(scope)) {
      for (const statement of scope.getStatements()) {
        if (Node.isFunctionDeclaration(statement) && statement.getName() === name) return statement;
        if (Node.isVariableStatement(statement)) {
          const declaration = statement.getDeclarations().find((candidate) => candidate.getName() === name);
          if (declaration) return declaration;
        }
      }
    }
    if (Node.isFunctionLikeDeclaration(scope) && scope.getParameters().some((parameter) => parameter.getName() === name)) {
      return undefined;
    }
  }
  return undefined;
}

/** Whether connectOwnSignalListeners looked at this file's listeners (an entry then needs no second look). */
export function ownSignalListenersConsidered(context: TransformContext): boolean {
  return consideredFiles.has(context);
}

/**
 * Connects every own shutdown-signal listener of the file (see ownSignalListener): called when work of the service
 * is put on the shim (by a transform in this file, or in another file of an entry's package), since tracked work
 * that nothing drains is an edit with no effect, whether or not the listener itself was reported.
 * - an async listener awaits the drain before its first statement that does not stop intake (connectSignalListener);
 * - a synchronous one on SIGTERM or SIGINT (a SIGHUP listener is as often a reload) that does not exit stays synchronous (typescript-eslint's `no-misused-promises` reports an async
 *   listener) and keeps its statements: those that stop intake or only report (shutdown-phases.ts) still run at the
 *   signal, then `void shutdown(signal)` starts the drain, and the statements that close what in-flight work needs
 *   (a pool's `end()`) run after it, in its `.then(() => { … })`. It still ends nothing: the process ends when its
 *   handles close, as before (the shim's `shutdown()` never exits);
 * - a synchronous one that only logs (or does nothing) is left alone: it keeps the process running at the signal;
 * - a synchronous one whose statements cannot all be told apart, or that closes resources before it stops intake,
 *   gets a review item; one that exits is no-abrupt-exit's.
 * `finding`: the finding whose fix put work on the shim (review items point from it); absent for an entry connected
 * because another file of its package got work on the shim.
 */
export function connectOwnSignalListeners(context: TransformContext, finding?: Finding): number {
  consideredFiles.add(context);
  let connected = 0;
  if (!/SIG(?:TERM|INT|HUP|QUIT)/.test(context.text)) return connected;
  for (const call of context.sourceFile.getDescendants().filter(Node.isCallExpression)) {
    const listener = call.getArguments()[1];
    if (listener === undefined || !isShutdownSignalRegistration(listener)) continue;
    const handler = ownSignalListener(listener as Expression, context);
    if (handler === undefined) continue;
    if (handler.isAsync()) {
      // An inline async listener that exits is no-abrupt-exit's to convert or connect.
      if (handler.getParent() === call && reachesExit(handler)) continue;
      const body = handler.getBody();
      if (Node.isBlock(body) && connectSignalListener(body, context)) connected += 1;
      continue;
    }
    const signal = literalSignal(call.getArguments()[0]);
    if (signal !== undefined && SYNC_CONNECTED_SIGNALS.has(signal) && connectSyncListener(handler, call, context, finding)) connected += 1;
  }
  return connected;
}

/** Connects a synchronous own listener (see connectOwnSignalListeners); true when it was. */
function connectSyncListener(handler: ListenerFunction, registration: CallExpression, context: TransformContext, finding: Finding | undefined): boolean {
  if (reachesExit(handler) || !firstTime(handler, context) || callsShimShutdown(handler, context)) return false;
  const body = handler.getBody();
  if (!body) return false;
  // A listener that only logs (or does nothing) keeps the process running at the signal: it is no shutdown
  // handling, and starting the drain there would stop what the service meant to keep running.
  if (Node.isBlock(body) ? body.getStatements().every(onlyReports) : expressionOnlyReports(body as Expression)) return false;
  const problem = Node.isBlock(body) ? unorderedStatement(body.getStatements()) : phaseOfExpression(body as Expression) === 'unknown' ? body : undefined;
  if (problem !== undefined) {
    const signal = registration.getArguments()[0]?.getText() ?? 'the signal';
    const base = finding ?? syntheticFinding(registration);
    context.review(
      registration,
      atNode(base, registration),
      `nothing starts the shim's drain of the tracked work at ${signal}: this listener is the service's own shutdown handling, and it is not clear whether \`${oneLine(problem.getText())}\` stops intake or closes what in-flight work needs; call \`void shutdown(signal)\` (from '@quiesce/runtime-shim') in it after the statements that stop intake, with those that close resources in its \`.then(() => { … })\``,
    );
    return false;
  }
  drainThroughShim(handler, context);
  return true;
}

/**
 * The first statement that keeps a synchronous listener from being connected in order: one whose phase is unknown,
 * or one that stops intake after a statement that closes resources (the drain goes between the two runs).
 */
function unorderedStatement(statements: readonly Statement[]): Statement | undefined {
  let closing = false;
  for (const statement of statements) {
    const phase = phaseOf(statement);
    if (phase === 'unknown') return statement;
    if (phase === 'cleanup') closing = true;
    else if (closing) return statement;
  }
  return undefined;
}

function firstTime(handler: Node, context: TransformContext): boolean {
  let done = connectedListeners.get(context);
  if (!done) connectedListeners.set(context, (done = new Set()));
  if (done.has(handler)) return false;
  done.add(handler);
  return true;
}

/** Whether the listener already calls the shim's shutdown() (connected by an earlier run, or by hand). */
function callsShimShutdown(handler: Node, context: TransformContext): boolean {
  const local = existingShimNames(context.sourceFile).get('shutdown');
  if (local === undefined) return false;
  return handler.getDescendantsOfKind(SyntaxKind.CallExpression).some((call) => call.getExpression().getText() === local);
}

/**
 * What the listener passes to `shutdown()` (the shim's report names it as the reason): its own first parameter,
 * which Node sets to the signal's name; else a new `signal` parameter (typed `NodeJS.Signals` in TypeScript where no
 * registration types it); else, where that name is taken, the signal of its one registration, or nothing.
 */
function signalArgument(handler: ListenerFunction, context: TransformContext): { text: string; edits: TextEdit[] } {
  const [first] = handler.getParameters();
  const inline = isShutdownSignalRegistration(handler);
  const registered = inline ? literalSignal((handler.getParent() as CallExpression).getArguments()[0]) : undefined;
  const literal = registered === undefined ? '' : quoted(registered, context.style.quote);
  if (first) {
    return { text: Node.isIdentifier(first.getNameNode()) && !first.getInitializer() ? first.getName() : literal, edits: [] };
  }
  const open = handler.getFirstChildByKind(SyntaxKind.OpenParenToken);
  if (!open || context.names.isUsed('signal')) return { text: literal, edits: [] };
  const typed = !inline && /\.[cm]?tsx?$/i.test(context.sourceFile.getFilePath());
  return { text: 'signal', edits: [insertion(open.getEnd(), typed ? 'signal: NodeJS.Signals' : 'signal')] };
}

/**
 * The edits that make a listener drain through the shim, keeping its own statements and what it returns. The
 * listener's leading statements that stop intake (`clearInterval(t)`, `accepting = false`, `server.close()`, a log
 * line) still run at the signal, before the drain; the rest (its teardown and exit) after it. An async listener
 * awaits the drain: `async (signal) => { …intake; await shutdown(signal); …rest }`. One that is not stays a function
 * that returns nothing — `() => { …intake; void shutdown(signal).then(() => { …rest }); }`, or
 * `void shutdown(signal);` last when nothing is left for after the drain — since Node ignores what a listener returns
 * and typescript-eslint's `no-misused-promises` reports an async one. `outer`: the indentation the listener's own
 * line has (the statements moved into the callback get one more unit than its body's).
 * Shared by no-abrupt-exit (listeners that exit) and connectOwnSignalListeners.
 */
export function drainInListener(handler: ListenerFunction, reason: string, context: TransformContext, outer: string): TextEdit[] {
  const text = context.text;
  const shutdown = context.imports.localName('shutdown');
  const { eol, semicolons } = context.style;
  const edits: TextEdit[] = [];
  const awaits = handler.isAsync();
  const body = handler.getBody();
  if (body === undefined) return edits;
  if (Node.isBlock(body)) {
    const statements = body.getStatements();
    const drainBefore = statements.find((statement) => phaseOf(statement) !== 'intake' || reachesExit(statement));
    const inner = statements[0] ? indentationOf(text, statements[0]) : `${outer}  `;
    if (awaits) {
      const line = `await ${shutdown}(${reason})${semicolon(semicolons)}`;
      if (drainBefore) edits.push(insertion(drainBefore.getStart(), `${line}${eol}${indentationOf(text, drainBefore)}`, -drainBefore.getWidth()));
      else edits.push(insertion(body.getFirstChildByKindOrThrow(SyntaxKind.OpenBraceToken).getEnd(), `${eol}${inner}${line}`));
    } else {
      const drain = `void ${shutdown}(${reason})`;
      const rest = drainBefore ? statements.slice(statements.indexOf(drainBefore)) : [];
      if (rest.length === 0) {
        const last = statements.at(-1);
        const at = last ? last.getEnd() : body.getFirstChildByKindOrThrow(SyntaxKind.OpenBraceToken).getEnd();
        edits.push(insertion(at, `${eol}${inner}${drain}${semicolon(semicolons)}`, last ? last.getWidth() : 0));
      } else {
        const from = rest[0]!;
        const to = rest.at(-1)!;
        const unit = inner.startsWith(outer) && inner.length > outer.length ? inner.slice(outer.length) : '  ';
        edits.push(insertion(from.getStart(), `${drain}.then(() => {${eol}${inner}${unit}`, -from.getWidth()));
        edits.push(...indentationOfLines(text, context, from.getStart(), to.getEnd(), unit));
        edits.push(insertion(to.getEnd(), `${eol}${inner}})${semicolon(semicolons)}`, to.getWidth()));
      }
    }
  } else if (awaits) {
    edits.push(insertion(body.getStart(), `{ await ${shutdown}(${reason}); return `, -body.getWidth()));
    edits.push(insertion(body.getEnd(), ' }', body.getWidth()));
  } else if (!reachesExit(body) && phaseOfExpression(body as Expression) === 'intake') {
    // `() => server.close()`: it still runs at the signal, then the drain starts; the listener returns nothing.
    edits.push(insertion(body.getStart(), '{ ', -body.getWidth()));
    edits.push(insertion(body.getEnd(), `; void ${shutdown}(${reason})${semicolon(semicolons)} }`, body.getWidth()));
  } else {
    edits.push(insertion(body.getStart(), `{ void ${shutdown}(${reason}).then(() => `, -body.getWidth()));
    edits.push(insertion(body.getEnd(), `)${semicolon(semicolons)} }`, body.getWidth()));
  }
  return edits;
}

/**
 * One more indentation `unit` at the start of each line after the first between `start` and `end` (the statements
 * moved into a callback), except lines that begin inside a string or template literal, whose text it would change.
 */
function indentationOfLines(text: string, context: TransformContext, start: number, end: number, unit: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const lineBreak = /\r\n|\r|\n/g;
  lineBreak.lastIndex = start;
  for (let match = lineBreak.exec(text); match && match.index < end; match = lineBreak.exec(text)) {
    const lineStart = match.index + match[0].length;
    const lineLength = text.slice(lineStart).search(/\r\n|\r|\n/);
    if (text.slice(lineStart, lineLength === -1 ? undefined : lineStart + lineLength).trim() === '') continue;
    const token = context.sourceFile.getDescendantAtPos(lineStart);
    if (token && token.getStart() < lineStart && isLiteralText(token)) continue;
    edits.push(insertion(lineStart, unit));
  }
  return edits;
}

function isLiteralText(node: Node): boolean {
  return (
    Node.isStringLiteral(node) ||
    Node.isNoSubstitutionTemplateLiteral(node) ||
    node.getKind() === SyntaxKind.TemplateHead ||
    node.getKind() === SyntaxKind.TemplateMiddle ||
    node.getKind() === SyntaxKind.TemplateTail ||
    Node.isJsxText(node)
  );
}

/** Whether `node` is, or holds, a call that ends the process (also in a callback inside it). */
export function reachesExit(node: Node): boolean {
  return (Node.isCallExpression(node) && isExitCall(node)) || node.getDescendantsOfKind(SyntaxKind.CallExpression).some(isExitCall);
}

/** `process.exit(…)`, `process.abort()`, `process.kill(process.pid, …)`. */
export function isExitCall(call: CallExpression): boolean {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getExpression().getText() !== 'process') return false;
  const method = callee.getName();
  if (method === 'exit' || method === 'abort') return true;
  return method === 'kill' && call.getArguments()[0]?.getText() === 'process.pid';
}

/** A finding standing for a listener connected outside any finding (an entry whose package got work on the shim). */
function syntheticFinding(node: Node): Finding {
  const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
  return { ruleId: SIGNAL_LISTENER_RULE, messageId: 'connect', message: '', data: {}, start: node.getStart(), end: node.getEnd(), line, column };
}

function oneLine(code: string): string {
  const flat = code.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}
