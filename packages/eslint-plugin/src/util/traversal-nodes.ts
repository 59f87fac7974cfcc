import ts from '../detect/typescript.cjs';

import type { FileNodes } from '../detect/file.js';
import type { MemberAccess } from '../detect/syntax.js';

type NodeMap = { get(node: never): ts.Node | undefined };

/** ESLint's traversal steps (`SourceCode#traverse()`, ESLint 9+): kind 1 visits `target`, phase 1 entering it. */
interface TraversalStep {
  readonly kind: number;
  readonly target: unknown;
  readonly phase?: unknown;
}

interface Traversable {
  traverse?(): Iterable<TraversalStep>;
}

/**
 * The file's node lists from the traversal ESLint has already made of the parser's tree for its rules, each ESTree node
 * mapped back to its TypeScript node: an array to read instead of a second walk of the whole TypeScript tree, which was
 * a fifth of the plugin's time on a syntax-only run (docs/benchmark.md). The lists equal those of `collectNodes`
 * (src/detect/file.ts), in the same order (test/traversal-nodes.test.ts checks it); undefined when this ESLint has no
 * `traverse()` (8.57), and the caller then walks the TypeScript tree.
 */
export function nodesFromTraversal(sourceCode: Traversable, esTreeNodeToTSNodeMap: NodeMap): FileNodes | undefined {
  if (typeof sourceCode.traverse !== 'function') return undefined;
  const nodes = {
    calls: [] as ts.CallExpression[],
    importCalls: [] as ts.CallExpression[],
    expressionStatements: [] as ts.ExpressionStatement[],
    importSpecifiers: [] as ts.ImportSpecifier[],
    initializedVariables: [] as ts.VariableDeclaration[],
    propertyReads: [] as (MemberAccess | ts.BindingElement)[],
  };
  const tsNodeOf = (target: never): ts.Node | undefined => esTreeNodeToTSNodeMap.get(target);
  for (const step of sourceCode.traverse()) {
    if (step.kind !== 1 || step.phase !== 1) continue;
    const target = step.target as { type: string };
    // Dispatched on the ESTree type first: only these types can map to a node of a list, and several ESTree nodes can
    // map to one TypeScript node (a chain `a?.b()` is a ChainExpression and a CallExpression of one TypeScript call).
    switch (target.type) {
      case 'CallExpression': {
        const node = tsNodeOf(target as never);
        if (node?.kind === ts.SyntaxKind.CallExpression) nodes.calls.push(node as ts.CallExpression);
        break;
      }
      case 'ImportExpression': {
        const node = tsNodeOf(target as never);
        if (node?.kind === ts.SyntaxKind.CallExpression) nodes.importCalls.push(node as ts.CallExpression);
        break;
      }
      case 'ExpressionStatement': {
        const node = tsNodeOf(target as never);
        if (node?.kind === ts.SyntaxKind.ExpressionStatement) nodes.expressionStatements.push(node as ts.ExpressionStatement);
        break;
      }
      case 'ImportSpecifier': {
        const node = tsNodeOf(target as never);
        if (node?.kind === ts.SyntaxKind.ImportSpecifier) nodes.importSpecifiers.push(node as ts.ImportSpecifier);
        break;
      }
      case 'VariableDeclarator': {
        const node = tsNodeOf(target as never);
        if (node?.kind === ts.SyntaxKind.VariableDeclaration && (node as ts.VariableDeclaration).initializer !== undefined) {
          nodes.initializedVariables.push(node as ts.VariableDeclaration);
        }
        break;
      }
      case 'MemberExpression':
      case 'JSXMemberExpression': {
        const node = tsNodeOf(target as never);
        if (node?.kind === ts.SyntaxKind.PropertyAccessExpression || node?.kind === ts.SyntaxKind.ElementAccessExpression) {
          nodes.propertyReads.push(node as MemberAccess);
        }
        break;
      }
      case 'Property':
      case 'RestElement': {
        // An element of an object binding pattern (`const { timer } = this`, `{ ...rest }`); in an assignment pattern
        // or an object literal the same ESTree types map to other TypeScript nodes.
        const node = tsNodeOf(target as never);
        if (node?.kind === ts.SyntaxKind.BindingElement && node.parent.kind === ts.SyntaxKind.ObjectBindingPattern) {
          nodes.propertyReads.push(node as ts.BindingElement);
        }
        break;
      }
      default:
        break;
    }
  }
  return nodes;
}
