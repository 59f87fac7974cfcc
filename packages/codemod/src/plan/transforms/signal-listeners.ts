// A service's own async listener on a shutdown signal (`process.on('SIGTERM', handleShutdown)`) is its teardown:
// the shim's drain is connected at its start, whichever transform puts the file's work on the shim, so one signal
// drains the tracked work and then runs the teardown, once each.
import { Node, type Expression, type FunctionDeclaration, type VariableDeclaration, type Identifier } from 'ts-morph';
import type { TransformContext } from '../../find/findings.js';
import { REGISTER_MODULE } from '../shim.js';
import { insertionAtBlockStart } from './statement-edits.js';

/** The listener bodies already connected, per file: a listener on two signals is connected once. */
const connectedListeners = new WeakMap<TransformContext, Set<Node>>();

/** Listener methods of `process` that register a signal listener. */
const SIGNAL_LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
const SHUTDOWN_SIGNALS = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']);

/**
 * The block body of an async shutdown-signal listener that is the service's own teardown
 * (`process.on('SIGTERM', handleShutdown)`, `const handleShutdown = async () => { … }`, a name used for nothing
 * but signal registrations), when the file owns the
 * signal itself (no register import now or from this run). Wrapping such a listener in trackCallback changed nothing
 * (nothing ever started the shim's drain) and, with a register, the drain would wait for the teardown that waits for
 * it; instead the drain is connected at its start (see connectSignalListener).
 */
export function signalListenerBody(callback: Expression, context: TransformContext): Node | undefined {
  if (context.role && context.role.role !== 'service') return undefined;
  if (context.text.includes(REGISTER_MODULE) || context.allFindings.some((finding) => finding.ruleId === 'quiesce/require-shutdown-handler')) return undefined;
  if (!isShutdownSignalRegistration(callback)) return undefined;
  let handler: Node | undefined = callback;
  if (Node.isIdentifier(callback)) {
    const definition = definitionOf(callback);
    // A listener that is also removed or compared is tracked where it is defined instead: its uninstalling must
    // keep working, and it is not (only) the service's teardown.
    const declaredAt = definition?.getNameNode()?.getStart();
    const elsewhere = context.names.occurrences(callback.getText()).filter((start) => start !== declaredAt);
    const onlyRegistered = elsewhere.every((start) => {
      const use = context.sourceFile.getDescendantAtPos(start);
      return use !== undefined && Node.isIdentifier(use) && isShutdownSignalRegistration(use);
    });
    if (!onlyRegistered) return undefined;
    handler = Node.isVariableDeclaration(definition) ? definition.getInitializer() : definition;
  }
  if (!(Node.isArrowFunction(handler) || Node.isFunctionExpression(handler) || Node.isFunctionDeclaration(handler)) || !handler.isAsync()) return undefined;
  const body = handler.getBody();
  return Node.isBlock(body) ? body : undefined;
}

/** `process.on('SIGTERM', <node>)` (and once/addListener/prepend…, for a shutdown signal named by a literal). */
export function isShutdownSignalRegistration(node: Node): boolean {
  const call = node.getParent();
  if (!Node.isCallExpression(call) || call.getArguments()[1] !== node) return false;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getExpression().getText() !== 'process' || !SIGNAL_LISTENER_METHODS.has(callee.getName())) return false;
  const [event] = call.getArguments();
  return event !== undefined && (Node.isStringLiteral(event) || Node.isNoSubstitutionTemplateLiteral(event)) && SHUTDOWN_SIGNALS.has(event.getLiteralValue());
}

/**
 * `async () => { …teardown }` → `async () => { await shutdown(); …teardown }`: one signal runs the shim's intake,
 * drain and cleanup hooks, then the app's own teardown, once each (the shim's `shutdown()` returns the same promise
 * to a second call, so a listener on two signals or a repeated signal does not run it twice).
 */
export function connectSignalListener(body: Node, context: TransformContext): void {
  if (!Node.isBlock(body)) return;
  let done = connectedListeners.get(context);
  if (!done) connectedListeners.set(context, (done = new Set()));
  if (done.has(body)) return;
  done.add(body);
  const shutdown = context.imports.localName('shutdown');
  const statement = `await ${shutdown}()${context.style.semicolons ? ';' : ''}`;
  context.edit(insertionAtBlockStart(context.text, body, statement, context.style.eol));
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

/**
 * Connects every async shutdown-signal listener of the file that is the service's own teardown (see
 * signalListenerBody): called when a transform puts the file's work on the shim, since tracked work that nothing
 * drains is an edit with no effect, whether or not the listener itself was reported.
 */
export function connectOwnSignalListeners(context: TransformContext): void {
  if (!/SIG(?:TERM|INT|HUP|QUIT)/.test(context.text)) return;
  for (const call of context.sourceFile.getDescendants().filter(Node.isCallExpression)) {
    const listener = call.getArguments()[1];
    if (listener === undefined || !isShutdownSignalRegistration(listener)) continue;
    const body = signalListenerBody(listener as Expression, context);
    if (body !== undefined) connectSignalListener(body, context);
  }
}
