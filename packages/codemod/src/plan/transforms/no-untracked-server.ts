import { Node, SyntaxKind, ts } from 'ts-morph';
import { wrap } from '../edits.js';
import { forEachReportedNode, isCall, type Transform, type TransformContext } from '../../find/findings.js';
import { connectShutdownLibraries, shutdownLibraryClosing } from './shutdown-libraries.js';
import { NEST_HOOKS_REVIEW } from './nest-hooks.js';

/**
 * `x.listen(…)` → `trackServer(x).listen(…)`. Wrapping evaluates `x` exactly once, as before, so any
 * receiver expression is safe except `super` and optional chains (`x?.listen()` would call trackServer
 * on undefined), which get a review marker. So does a NestJS app whose own `app.enableShutdownHooks()` owns the
 * signals (see NEST_HOOKS_REVIEW).
 */
export const noUntrackedServer: Transform = {
  ruleId: 'quiesce/no-untracked-server',
  apply(findings, context) {
    forEachReportedNode(findings, context, isCall, (call, finding) => {
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
      if (enablesNestShutdownHooks(receiver, context)) {
        context.review(call, finding, NEST_HOOKS_REVIEW);
        return;
      }
      const trackServer = context.imports.localName('trackServer');
      connectShutdownLibraries(context, finding);
      context.edit(...wrap(receiver.getStart(), receiver.getEnd(), `${trackServer}(`, ')'));
    });
  },
};

function enablesNestShutdownHooks(app: Node, context: TransformContext): boolean {
  if (!context.text.includes('enableShutdownHooks')) return false;
  return context.sourceFile.getDescendants().some((node) => {
    if (!Node.isCallExpression(node)) return false;
    const callee = node.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'enableShutdownHooks' && callee.getExpression().getText() === app.getText();
  });
}
