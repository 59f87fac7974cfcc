import ts from '../detect/typescript.cjs';

import type { FileNodes } from '../detect/file.js';

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

/** Which list a TypeScript node goes to, from the type of the ESTree node it was mapped from, and which nodes count. */
type Route = readonly [list: keyof FileNodes, accepts: (node: ts.Node) => boolean];

const isCall = (node: ts.Node): boolean => node.kind === ts.SyntaxKind.CallExpression;
const isMemberAccess = (node: ts.Node): boolean => node.kind === ts.SyntaxKind.PropertyAccessExpression || node.kind === ts.SyntaxKind.ElementAccessExpression;
// An element of an object binding pattern (`const { timer } = this`, `{ ...rest }`); in an assignment pattern or an
// object literal the same ESTree types map to other TypeScript nodes.
const isObjectBindingElement = (node: ts.Node): boolean => node.kind === ts.SyntaxKind.BindingElement && node.parent.kind === ts.SyntaxKind.ObjectBindingPattern;

// Keyed by the ESTree type first: only these types can map to a node of a list, and several ESTree nodes can map to one
// TypeScript node (a chain `a?.b()` is a ChainExpression and a CallExpression of one TypeScript call).
const routes: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['CallExpression', ['calls', isCall]],
  // `import(…)`: a call to TypeScript, an ImportExpression to ESLint.
  ['ImportExpression', ['importCalls', isCall]],
  ['ExpressionStatement', ['expressionStatements', (node) => node.kind === ts.SyntaxKind.ExpressionStatement]],
  ['ImportSpecifier', ['importSpecifiers', (node) => node.kind === ts.SyntaxKind.ImportSpecifier]],
  [
    'VariableDeclarator',
    ['initializedVariables', (node) => node.kind === ts.SyntaxKind.VariableDeclaration && (node as ts.VariableDeclaration).initializer !== undefined],
  ],
  ['MemberExpression', ['propertyReads', isMemberAccess]],
  // `<ui.Item />`: a property access to TypeScript.
  ['JSXMemberExpression', ['propertyReads', isMemberAccess]],
  ['Property', ['propertyReads', isObjectBindingElement]],
  ['RestElement', ['propertyReads', isObjectBindingElement]],
]);

/**
 * The file's node lists from the traversal ESLint has already made of the parser's tree for its rules, each ESTree node
 * mapped back to its TypeScript node: an array to read instead of a second walk of the whole TypeScript tree, which was
 * a fifth of the plugin's time on a syntax-only run (docs/benchmark.md). The lists equal those of `collectNodes`
 * (src/detect/file.ts), in the same order (test/traversal-nodes.test.ts checks it); undefined when this ESLint has no
 * `traverse()` (8.57), and the caller then walks the TypeScript tree.
 */
export function nodesFromTraversal(sourceCode: Traversable, esTreeNodeToTSNodeMap: NodeMap): FileNodes | undefined {
  if (typeof sourceCode.traverse !== 'function') return undefined;
  const nodes: FileNodes = { calls: [], importCalls: [], expressionStatements: [], importSpecifiers: [], initializedVariables: [], propertyReads: [] };
  for (const step of sourceCode.traverse()) {
    if (step.kind !== 1 || step.phase !== 1) continue;
    const route = routes.get((step.target as { type: string }).type);
    if (route === undefined) continue;
    const node = esTreeNodeToTSNodeMap.get(step.target as never);
    if (node !== undefined && route[1](node)) (nodes[route[0]] as ts.Node[]).push(node);
  }
  return nodes;
}
