import { Node, SyntaxKind, type Expression } from 'ts-morph';
import { replacement, insertion, wrap } from '../edits.js';
import { forEachReportedNode, type Transform } from '../../find/findings.js';

const isExpression = (node: Node): node is Expression => Node.isExpression(node);

/**
 * Dropped promises → `track(expr)`; `void expr` → `track(expr)`. An array of promises (a dropped
 * `items.map(async …)`) becomes `track(Promise.all(expr))`, since `track` takes one promise.
 */
export const noUntrackedPromise: Transform = {
  ruleId: 'quiesce/no-untracked-promise',
  apply(findings, context) {
    forEachReportedNode(findings, context, isExpression, (node, finding) => {
      const track = context.imports.localName('track');
      const isArray = finding.data['kind'] === 'array';
      const open = `${track}(${isArray ? 'Promise.all(' : ''}`;
      const close = isArray ? '))' : ')';
      if (Node.isVoidExpression(node)) {
        const operand = node.getExpression();
        const [first, second] = parenthesisedIfComma(operand);
        context.edit(replacement(node.getStart(), operand.getStart(), open + first));
        context.edit(insertion(node.getEnd(), second + close, node.getWidth()));
      } else {
        const [first, second] = parenthesisedIfComma(node);
        context.edit(...wrap(node.getStart(), node.getEnd(), open + first, second + close));
      }
    });
  },
};

// `a(), b()` as an argument would become two arguments.
function parenthesisedIfComma(node: Node): [string, string] {
  const isComma = Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.CommaToken;
  return isComma ? ['(', ')'] : ['', ''];
}
