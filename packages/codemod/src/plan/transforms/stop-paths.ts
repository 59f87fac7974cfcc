import {
  Node,
  SyntaxKind,
  type ArrowFunction,
  type Block,
  type ConstructorDeclaration,
  type FunctionDeclaration,
  type FunctionExpression,
  type GetAccessorDeclaration,
  type MethodDeclaration,
  type SetAccessorDeclaration,
  type Statement,
} from 'ts-morph';

/**
 * Stop paths: the methods and functions an owner's shutdown goes through (`close`, `stop`, `destroy`, … and
 * `[Symbol.asyncDispose]`), named as the plugin names them for ownership (issue 14, item 2). Work dropped inside
 * one is part of stopping: the rewrite awaits or returns it, so the caller's `await x.stop()` waits for it.
 */
const STOP_WORDS = ['close', 'stop', 'destroy', 'dispose', 'shutdown', 'teardown', 'disconnect', 'quit', 'end', 'terminate'];
const STOP_NAME = new RegExp(`^[_#]?(?:${STOP_WORDS.join('|')})(?:[A-Z_$\\d][\\w$]*)?$`);

export type FunctionNode =
  | FunctionDeclaration
  | FunctionExpression
  | ArrowFunction
  | MethodDeclaration
  | GetAccessorDeclaration
  | SetAccessorDeclaration
  | ConstructorDeclaration;

export interface StopPathSite {
  /** The stop path the dropped statement belongs to. */
  readonly stopPath: FunctionNode;
  /** The statement that drops the promise (`x();` or `void x();`). */
  readonly statement: Statement;
  /**
   * Set when the statement sits in a `new Promise((resolve) => { … })` executor inside the stop path: the
   * promise the stop path returns, which should settle only once the dropped work has.
   */
  readonly executor?: ArrowFunction | FunctionExpression;
}

/** Whether a function or method is named like a stop path. */
export function isStopPathName(name: string | undefined): boolean {
  return name !== undefined && (STOP_NAME.test(name) || name === '[Symbol.dispose]' || name === '[Symbol.asyncDispose]');
}

/** The nearest function-like node around `node` (methods, accessors and constructors included). */
export function enclosingFunction(node: Node): FunctionNode | undefined {
  return node.getFirstAncestor(
    (ancestor) =>
      Node.isFunctionDeclaration(ancestor) ||
      Node.isFunctionExpression(ancestor) ||
      Node.isArrowFunction(ancestor) ||
      Node.isMethodDeclaration(ancestor) ||
      Node.isGetAccessorDeclaration(ancestor) ||
      Node.isSetAccessorDeclaration(ancestor) ||
      Node.isConstructorDeclaration(ancestor),
  ) as FunctionNode | undefined;
}

/** The name a function is known by: its own, the method's, or the variable or property it is assigned to. */
export function functionName(fn: FunctionNode): string | undefined {
  if (Node.isConstructorDeclaration(fn)) return undefined;
  if (Node.isMethodDeclaration(fn) || Node.isGetAccessorDeclaration(fn) || Node.isSetAccessorDeclaration(fn)) {
    const nameNode = fn.getNameNode();
    return Node.isComputedPropertyName(nameNode) ? `[${nameNode.getExpression().getText()}]` : fn.getName();
  }
  if (Node.isFunctionDeclaration(fn) || Node.isFunctionExpression(fn)) {
    const own = fn.getName();
    if (own) return own;
  }
  const parent = fn.getParent();
  if (Node.isVariableDeclaration(parent) || Node.isPropertyAssignment(parent) || Node.isPropertyDeclaration(parent)) {
    return parent.getName();
  }
  if (Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
    const left = parent.getLeft();
    if (Node.isPropertyAccessExpression(left)) return left.getName();
    if (Node.isIdentifier(left)) return left.getText();
  }
  return undefined;
}

/** The stop path a dropped promise (the reported expression) belongs to, if any. */
export function stopPathSiteOf(dropped: Node): StopPathSite | undefined {
  const statement = droppingStatement(dropped);
  if (!statement) return undefined;
  const fn = enclosingFunction(statement);
  if (!fn) return undefined;
  if (isStopPathName(functionName(fn))) return { stopPath: fn, statement };
  // `stop() { return new Promise((resolve) => { work(); resolve(); }); }`
  if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return undefined;
  const newPromise = fn.getParent();
  if (!Node.isNewExpression(newPromise) || newPromise.getExpression().getText() !== 'Promise') return undefined;
  if (newPromise.getArguments()[0] !== fn) return undefined;
  const outer = enclosingFunction(newPromise);
  if (!outer || !isStopPathName(functionName(outer))) return undefined;
  return { stopPath: outer, statement, executor: fn };
}

/** `x();` or `void x();` as a whole statement, else undefined (a promise dropped inside a larger expression). */
function droppingStatement(dropped: Node): Statement | undefined {
  let node = dropped;
  const parent = node.getParent();
  if (Node.isVoidExpression(parent)) node = parent;
  const statement = node.getParent();
  return Node.isExpressionStatement(statement) ? statement : undefined;
}

/** The statements of a function's block body, or undefined for an expression body. */
export function bodyBlock(fn: FunctionNode): Block | undefined {
  const body = fn.getBody();
  return Node.isBlock(body) ? body : undefined;
}

/** Whether `fn` itself (not a nested function) returns a value anywhere. */
export function returnsValue(fn: FunctionNode): boolean {
  return fn
    .getDescendantsOfKind(SyntaxKind.ReturnStatement)
    .some((statement) => statement.getExpression() !== undefined && enclosingFunction(statement) === fn);
}

export function isAsyncFunction(fn: FunctionNode): boolean {
  return Node.isAsyncable(fn) && fn.isAsync();
}
