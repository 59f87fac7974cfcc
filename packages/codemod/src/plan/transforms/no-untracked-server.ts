import { Node, SyntaxKind, ts } from 'ts-morph';
import { wrap } from '../edits.js';
import { forEachReportedNode, isCall, type Transform, type TransformContext } from '../../find/findings.js';
import { connectShutdownLibraries, shutdownLibraryClosing } from './shutdown-libraries.js';
import { handOverToShim, nestHandOverOf } from './nest-hooks.js';
import { gracefulShutdownPlanOf, handOverGracefulShutdown } from './http-graceful-shutdown.js';

/**
 * `x.listen(…)` → `trackServer(x).listen(…)`. Wrapping evaluates `x` exactly once, as before, so any
 * receiver expression is safe except `super` and optional chains (`x?.listen()` would call trackServer
 * on undefined), which get a review marker.
 *
 * A NestJS app whose own `app.enableShutdownHooks()` owns the signals (`closedByNestShutdownHooks`) gets that call
 * replaced by the shim's signal handling when nothing would keep starting work through the drain (nestHandOverOf),
 * and otherwise a review item at that call.
 *
 * A server given to http-graceful-shutdown (`closedByShutdownLibrary`, reported at that call) has the library's signals
 * handed to the shim where the call can be read (http-graceful-shutdown.ts), else a review item at the call.
 *
 * A server the app closes only at the signal (`closedOnlyAtSignal`) gets the same wrap, and the library's callback or
 * the app's own signal listener runs the shim's shutdown(signal) (connectShutdownLibraries); the app's own close then
 * finds the server closed. Fastify's second `close()` resolves at once (its onClose hooks ran once); Node's
 * `server.close(callback)` calls back with ERR_SERVER_NOT_RUNNING, which would make a callback that checks its error
 * fail where it did not: such a close gets a review item instead.
 */
const SECOND_CLOSE_REVIEW =
  "the app closes this server at the signal with a callback; once tracked, the shim's drain closes it first and that callback gets ERR_SERVER_NOT_RUNNING: wrap it in trackServer(…), run the shim's shutdown(signal) first, and drop the app's own close (or ignore that error)";

export const noUntrackedServer: Transform = {
  ruleId: 'quiesce/no-untracked-server',
  apply(findings, context) {
    forEachReportedNode(findings, context, isCall, (call, finding) => {
      if (finding.messageId === 'closedByShutdownLibrary') {
        // `gracefulShutdown(server, …)`: the signals go to the shim, or the call gets a review item saying why not.
        const plan = gracefulShutdownPlanOf(call, context);
        if ('review' in plan) {
          context.review(call, finding, plan.review);
          return;
        }
        handOverGracefulShutdown(plan.handOver, context);
        connectShutdownLibraries(context, finding);
        return;
      }
      const callee = call.getExpression();
      const receiver = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
      if (
        !Node.isPropertyAccessExpression(callee) ||
        !receiver ||
        ts.isOptionalChain(callee.compilerNode) ||
        receiver.getKind() === SyntaxKind.SuperKeyword
      ) {
        context.review(call, finding, 'wrap the server in trackServer(…) before it listens');
        return;
      }
      const library = shutdownLibraryClosing(receiver, context);
      if (library !== undefined) {
        context.review(
          call,
          finding,
          `${library} closes this server at shutdown; leave it to it (trackServer would close it first, and the library's own close would then fail)`,
        );
        return;
      }
      if (finding.messageId === 'closedOnlyAtSignal' && finding.data['server'] !== 'fastify' && closesWithCallback([receiver.getText(), ...resultName(call)], context)) {
        context.review(call, finding, SECOND_CLOSE_REVIEW);
        return;
      }
      const nest = nestHandOverOf(receiver.getText(), context);
      if (nest && 'review' in nest) {
        context.review(nest.at, finding, nest.review);
        return;
      }
      const trackServer = context.imports.localName('trackServer');
      if (nest) handOverToShim(nest.handOver, context);
      connectShutdownLibraries(context, finding);
      context.edit(...wrap(receiver.getStart(), receiver.getEnd(), `${trackServer}(`, ')'));
    });
  },
};

/**
 * Whether the file closes one of `names` with a callback that may look at the error: a function with a parameter
 * (`server.close((err) => …)`), or a function passed by name (`server.close(done)`) other than the `resolve` of the
 * promise it is in (`new Promise((resolve) => server.close(resolve))`, whose awaited value nobody reads).
 */
function closesWithCallback(names: readonly string[], context: TransformContext): boolean {
  if (!context.text.includes('.close(')) return false;
  return context.sourceFile.getDescendants().some((node) => {
    if (!Node.isCallExpression(node)) return false;
    const callee = node.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'close' || !names.includes(callee.getExpression().getText())) return false;
    const [callback] = node.getArguments();
    if (callback === undefined) return false;
    if (Node.isArrowFunction(callback) || Node.isFunctionExpression(callback)) return callback.getParameters().length > 0;
    return !(Node.isIdentifier(callback) && isResolveOfEnclosingPromise(callback));
  });
}

function isResolveOfEnclosingPromise(name: Node): boolean {
  for (let node = name.getParent(); node; node = node.getParent()) {
    if (!Node.isArrowFunction(node) && !Node.isFunctionExpression(node)) continue;
    const created = node.getParent();
    if (!Node.isNewExpression(created) || created.getExpression().getText() !== 'Promise') continue;
    return node.getParameters()[0]?.getName() === name.getText();
  }
  return false;
}

/** The name the start's result is kept in: `const server = app.listen(3000)`, `server = await app.listen(…)`. */
function resultName(call: Node): string[] {
  let holder = call;
  while (Node.isAwaitExpression(holder.getParent()) || Node.isParenthesizedExpression(holder.getParent())) holder = holder.getParentOrThrow();
  const parent = holder.getParent();
  if (Node.isVariableDeclaration(parent) && Node.isIdentifier(parent.getNameNode())) return [parent.getName()];
  if (Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken && parent.getRight() === holder) {
    return [parent.getLeft().getText()];
  }
  return [];
}
