import { constants } from 'node:os';
import { Node, type CallExpression } from 'ts-morph';
import type { Finding, TransformContext } from '../../find/findings.js';

/**
 * Gives the signal to the shim in this file (its register entry), and flags what would stop the shim's handlers
 * from running: a `process.removeAllListeners()` (for every event, or for SIGTERM/SIGINT) removes the shim's
 * listener with the others, so its drain would never start.
 */
export function requireShimSignalHandling(context: TransformContext, finding: Finding): void {
  context.imports.requireRegister();
  if (!context.text.includes('removeAllListeners')) return;
  for (const call of context.sourceFile.getDescendants().filter(Node.isCallExpression)) {
    if (!removesShutdownListeners(call)) continue;
    context.review(
      call,
      atNode(finding, call),
      "this removes every SIGTERM listener, the shim's too, so its drain never runs; remove the listeners you own by name, or call the shim's shutdown() from the listener you keep",
    );
  }
}

function removesShutdownListeners(call: CallExpression): boolean {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'removeAllListeners') return false;
  if (callee.getExpression().getText() !== 'process') return false;
  const [event] = call.getArguments();
  if (!event) return true;
  return !(Node.isStringLiteral(event) || Node.isNoSubstitutionTemplateLiteral(event)) || ['SIGTERM', 'SIGINT'].includes(event.getLiteralValue());
}

/** The finding moved to `node`, so the review item points where the marker is. */
export function atNode(finding: Finding, node: Node): Finding {
  const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
  return { ...finding, start: node.getStart(), end: node.getEnd(), line, column };
}

/** Why a signal name given to a library cannot be handed to the shim's listeners, or undefined when it can. */
export function uncatchableSignalReason(name: string): string | undefined {
  return name in constants.signals && name !== 'SIGKILL' && name !== 'SIGSTOP' ? undefined : `${JSON.stringify(name)} is not a signal a listener can catch`;
}
