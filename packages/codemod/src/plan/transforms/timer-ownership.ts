import { Node, SyntaxKind, type CallExpression, type ClassDeclaration, type ClassExpression, type MethodDeclaration } from 'ts-morph';
import { insertion } from '../edits.js';
import type { TransformContext } from '../../find/findings.js';
import { indentationOf, semicolon } from './statement-edits.js';
import { isStopPathName } from './stop-paths.js';

/**
 * Library code gets no shim: a timer its class starts and drops is fixed by ownership instead, the way libraries
 * already own theirs. `setInterval(…)` (also `.unref()`'d) as a statement in a method of a class that has a stop
 * path becomes `this.intervalTimer = setInterval(…)`, and the stop path clears it first:
 * `close() { clearInterval(this.intervalTimer); … }` (TypeScript gets the property declared). Returns false when
 * the timer is not of that shape (the caller leaves a review item).
 */
export function ownTimerInClass(call: CallExpression, timer: 'setInterval' | 'setTimeout', context: TransformContext): boolean {
  let expression: Node = call;
  // `setInterval(…).unref()` is still the timer.
  for (let parent = expression.getParent(); ; parent = expression.getParent()) {
    const grand = parent?.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getName() === 'unref' && Node.isCallExpression(grand)) expression = grand;
    else break;
  }
  const statement = expression.getParent();
  if (!Node.isExpressionStatement(statement)) return false;
  const method = statement.getFirstAncestor(Node.isMethodDeclaration);
  const owner = method?.getParent();
  if (!method || !(Node.isClassDeclaration(owner) || Node.isClassExpression(owner))) return false;
  // The statement must run in the method itself, not in a callback it passes on.
  if (statement.getFirstAncestor((node) => Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node)) !== method) return false;
  const stopPath = owner.getMethods().find((candidate) => candidate !== method && isStopPathName(candidate.getName()) && candidate.getBody() !== undefined);
  const body = stopPath?.getBody();
  if (!stopPath || !Node.isBlock(body)) return false;
  const property = freePropertyName(owner, timer === 'setInterval' ? 'intervalTimer' : 'timeoutTimer');
  const { eol, semicolons } = context.style;
  const text = context.text;
  context.edit(insertion(statement.getStart(), `this.${property} = `, -statement.getWidth()));
  const firstInStop = body.getStatements()[0];
  const inner = firstInStop ? indentationOf(text, firstInStop) : `${indentationOf(text, stopPath)}  `;
  const clear = timer === 'setInterval' ? 'clearInterval' : 'clearTimeout';
  const openBrace = body.getFirstChildByKindOrThrow(SyntaxKind.OpenBraceToken);
  context.edit(insertion(openBrace.getEnd(), `${eol}${inner}${clear}(this.${property})${semicolon(semicolons)}`));
  if (isTypeScript(context)) declareProperty(owner, property, timer, context, stopPath);
  return true;
}

function declareProperty(
  owner: ClassDeclaration | ClassExpression,
  property: string,
  timer: 'setInterval' | 'setTimeout',
  context: TransformContext,
  stopPath: MethodDeclaration,
): void {
  const { eol, semicolons } = context.style;
  const firstMember = owner.getMembers()[0] ?? stopPath;
  const indent = indentationOf(context.text, firstMember);
  context.edit(
    insertion(
      firstMember.getStart(),
      `private ${property}?: ReturnType<typeof ${timer}>${semicolon(semicolons)}${eol}${eol}${indent}`,
      -firstMember.getWidth() - 1,
    ),
  );
}

function freePropertyName(owner: Node, base: string): string {
  const text = owner.getText();
  for (let index = 1; ; index++) {
    const name = index === 1 ? base : `${base}${index}`;
    if (!new RegExp(`\\b${name}\\b`).test(text)) return name;
  }
}

function isTypeScript(context: TransformContext): boolean {
  return /\.[cm]?tsx?$/.test(context.sourceFile.getFilePath());
}
