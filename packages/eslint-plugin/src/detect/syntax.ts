import ts from './typescript.cjs';

/**
 * What ESTree calls a function: a function written in place or declared, and (as the `FunctionExpression` value of an
 * ESTree method) a method, constructor or accessor. A function's own `this` and its own body start here.
 */
export type FunctionLike =
  | ts.ArrowFunction
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

export function isFunctionLike(node: ts.Node | undefined): node is FunctionLike {
  switch (node?.kind) {
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}

/** A function that is a value where it is written: an arrow function or a function expression. */
export function isFunctionValue(node: ts.Node | undefined): node is ts.ArrowFunction | ts.FunctionExpression {
  return node?.kind === ts.SyntaxKind.ArrowFunction || node?.kind === ts.SyntaxKind.FunctionExpression;
}

export function isAsync(fn: FunctionLike): boolean {
  return (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) !== 0;
}

export function isGenerator(fn: FunctionLike): boolean {
  return 'asteriskToken' in fn && fn.asteriskToken !== undefined;
}

/** Declared `async` and not a generator: calling it returns a promise. */
export function isAsyncFunction(fn: FunctionLike): boolean {
  return isAsync(fn) && !isGenerator(fn);
}

/** Parentheses are syntax, not values: ESTree has none, so every child expression is read through them. */
export function unparen(node: ts.Expression): ts.Expression;
export function unparen(node: ts.Node): ts.Node;
export function unparen(node: ts.Node): ts.Node {
  let current = node;
  while (current.kind === ts.SyntaxKind.ParenthesizedExpression) current = (current as ts.ParenthesizedExpression).expression;
  return current;
}

/** The nearest ancestor that is not a pair of parentheses around `node`. */
export function parentOf(node: ts.Node): ts.Node | undefined {
  let current = node.parent;
  while (current?.kind === ts.SyntaxKind.ParenthesizedExpression) current = current.parent;
  return current;
}

/** The node as a value without the parentheses around it (what ESTree keeps of it). */
function outermostParens(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent?.kind === ts.SyntaxKind.ParenthesizedExpression) current = current.parent;
  return current;
}

/** Whether `node` is, parentheses aside, one of `list` (an argument of a call, say). */
export function isAmong(node: ts.Node, list: readonly ts.Node[] | undefined): boolean {
  return list !== undefined && list.includes(outermostParens(node));
}

/** Strips what does not change the value: parentheses, casts, `!` and `satisfies`. */
export function skipTransparent(node: ts.Node): ts.Node {
  let current = node;
  for (;;) {
    switch (current.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        current = (current as ts.ParenthesizedExpression).expression;
        break;
      default:
        return current;
    }
  }
}

export type MemberAccess = ts.PropertyAccessExpression | ts.ElementAccessExpression;

export function isMemberAccess(node: ts.Node): node is MemberAccess {
  return node.kind === ts.SyntaxKind.PropertyAccessExpression || node.kind === ts.SyntaxKind.ElementAccessExpression;
}

/** `a.b` or `a['b']` → `'b'`; anything computed at run time (and `a.#b`) → undefined. */
export function staticPropertyName(member: MemberAccess): string | undefined {
  if (ts.isPropertyAccessExpression(member)) return ts.isIdentifier(member.name) ? member.name.text : undefined;
  return stringValue(unparen(member.argumentExpression));
}

/** A string literal or a template literal without substitutions. */
export function stringValue(node: ts.Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  const target = unparen(node);
  return ts.isStringLiteral(target) || ts.isNoSubstitutionTemplateLiteral(target) ? target.text : undefined;
}

/** The name a call is made by, for cheap pre-checks: `f()` → f, `a.b.f()` → f. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipTransparent(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (isMemberAccess(callee)) return staticPropertyName(callee);
  return undefined;
}

/** `a.b.c` for a chain of identifiers and static members, else undefined (used by allowlists and messages). */
export function dottedPath(node: ts.Node): string | undefined {
  const target = skipTransparent(node);
  if (ts.isIdentifier(target)) return target.text;
  if (target.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (isMemberAccess(target)) {
    const property = staticPropertyName(target);
    const object = dottedPath(target.expression);
    return property !== undefined && object !== undefined ? `${object}.${property}` : undefined;
  }
  return undefined;
}

/** The nearest enclosing function of a node (not the node itself), or undefined at module level. */
export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return current;
  }
  return undefined;
}

export function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/**
 * Whether a string literal of the file may hold one of `values`: the file's text contains one of them, or a backslash
 * (an escape such as `\x74` can spell any character). An exact pre-check that lets most files skip a search.
 */
export function textMaySpell(text: string, values: Iterable<string>): boolean {
  if (text.includes('\\')) return true;
  for (const value of values) if (text.includes(value)) return true;
  return false;
}

/** Calls `visit` on every node below `root` in source order; `visit` returns false to skip a subtree. */
export function walk(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const visitChild = (node: ts.Node): undefined => {
    if (visit(node) !== false) ts.forEachChild(node, visitChild);
    return undefined;
  };
  ts.forEachChild(root, visitChild);
}

/** The module a `require('m')` names (whether `require` is the global one is for the caller to check). */
export function requireCallModule(call: ts.CallExpression): string | undefined {
  const callee = unparen(call.expression);
  if (!ts.isIdentifier(callee) || callee.text !== 'require') return undefined;
  return stringLiteralText(call.arguments[0]);
}

/** `import('m')` → 'm' (a string literal only). */
export function importCallModule(call: ts.CallExpression): string | undefined {
  return call.expression.kind === ts.SyntaxKind.ImportKeyword ? stringLiteralText(call.arguments[0]) : undefined;
}

/** A quoted string (no template literal): what ESLint's `Literal` with a string value is. */
function stringLiteralText(node: ts.Node | undefined): string | undefined {
  const target = node && unparen(node);
  return target !== undefined && ts.isStringLiteral(target) ? target.text : undefined;
}

/** Offsets of a node as ESTree has them: without leading trivia and without the parentheses around it. */
export function rangeOf(node: ts.Node, sourceFile: ts.SourceFile): [number, number] {
  const target = unparen(node);
  return [target.getStart(sourceFile), target.end];
}
