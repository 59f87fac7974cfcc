import ts from './typescript.cjs';

import type { DetectionFile } from './file.js';
import {
  enclosingFunction,
  type FunctionLike,
  isAmong,
  isFunctionLike,
  isFunctionValue,
  isMemberAccess,
  skipTransparent,
  parentOf,
  staticPropertyName,
  unparen,
  walk,
} from './syntax.js';

/**
 * The function of this file a value refers to, as far as the file alone tells: a function written in place, a name
 * bound to one, `f.bind(…)` of one, a method or function-valued property read through `this` inside its class
 * (`this.stop`, `this.#stop`), through the class itself (`Service.stop`, static), through a `const` holding an
 * instance of a class of this file (`service.stop`) or an object literal (`handlers.term`).
 */
export function functionReferencedBy(node: ts.Node, file: DetectionFile): FunctionLike | undefined {
  return resolve(node, file, 0);
}

const maxDepth = 6;

function resolve(node: ts.Node, file: DetectionFile, depth: number): FunctionLike | undefined {
  if (depth > maxDepth) return undefined;
  const target = skipTransparent(node);
  const direct = file.functionOf(target);
  if (direct) return direct;
  if (ts.isCallExpression(target)) {
    // `handler.bind(this)`, `handler.bind(null, arg)`: the same function, called with another `this`.
    const callee = skipTransparent(target.expression);
    if (isMemberAccess(callee) && staticPropertyName(callee) === 'bind') return resolve(callee.expression, file, depth + 1);
    return undefined;
  }
  if (!isMemberAccess(target)) return undefined;
  const name = memberName(target);
  if (name === undefined) return undefined;
  const object = skipTransparent(target.expression);
  if (object.kind === ts.SyntaxKind.ThisKeyword) {
    const owner = classOfThis(target);
    return owner ? memberFunction(owner, name, false, file, depth) : undefined;
  }
  if (ts.isIdentifier(object)) {
    const origin = file.origin(object);
    if (origin.kind === 'class') return memberFunction(origin.node, name, true, file, depth);
    if (origin.kind === 'instance' && origin.via === 'new' && origin.callee.kind === 'class') {
      return memberFunction(origin.callee.node, name, false, file, depth);
    }
    const literal = objectLiteralOf(object, file);
    if (literal) return propertyFunction(literal, name, file, depth);
  }
  return undefined;
}

function memberName(member: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (ts.isPropertyAccessExpression(member) && ts.isPrivateIdentifier(member.name)) return member.name.text;
  return staticPropertyName(member);
}

/** The class whose instance `this` is where `node` stands (arrow functions see through; other functions do not). */
export function classOfThis(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return current;
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
    if (isFunctionLike(current) && !ts.isArrowFunction(current) && ts.isObjectLiteralExpression(current.parent)) return undefined;
  }
  return undefined;
}

function keyName(key: ts.PropertyName | undefined): string | undefined {
  if (!key) return undefined;
  if (ts.isIdentifier(key) || ts.isPrivateIdentifier(key) || ts.isStringLiteral(key)) return key.text;
  return undefined;
}

function isStatic(member: ts.ClassElement): boolean {
  return (ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Static) !== 0;
}

function memberFunction(owner: ts.ClassLikeDeclaration, name: string, statics: boolean, file: DetectionFile, depth: number): FunctionLike | undefined {
  for (const member of owner.members) {
    if (keyName(member.name) !== name || isStatic(member) !== statics) continue;
    if (ts.isMethodDeclaration(member)) return member.body ? member : undefined;
    if (ts.isPropertyDeclaration(member) && member.initializer) return resolve(member.initializer, file, depth + 1);
  }
  if (!statics) {
    // `this.stop = this.stop.bind(this)` in the constructor keeps the method.
    for (const member of owner.members) {
      if (ts.isConstructorDeclaration(member) && member.body) {
        for (const statement of member.body.statements) {
          const assigned = assignedToThisMember(statement, name);
          if (assigned) {
            const found = resolve(assigned, file, depth + 1);
            if (found) return found;
          }
        }
      }
    }
  }
  return undefined;
}

function assignedToThisMember(statement: ts.Statement, name: string): ts.Expression | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  const expression = unparen(statement.expression);
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const left = unparen(expression.left);
  if (!isMemberAccess(left) || unparen(left.expression).kind !== ts.SyntaxKind.ThisKeyword || memberName(left) !== name) return undefined;
  const right = skipTransparent(expression.right);
  // `this.stop = this.stop.bind(this)` refers to the method, not to itself.
  if (ts.isCallExpression(right)) {
    const callee = skipTransparent(right.expression);
    if (isMemberAccess(callee) && staticPropertyName(callee) === 'bind') {
      const bound = skipTransparent(callee.expression);
      if (isMemberAccess(bound) && unparen(bound.expression).kind === ts.SyntaxKind.ThisKeyword && memberName(bound) === name) {
        return undefined;
      }
    }
  }
  return right as ts.Expression;
}

/** The object literal a `const` (or never reassigned `let`) of this file holds. */
function objectLiteralOf(identifier: ts.Identifier, file: DetectionFile): ts.ObjectLiteralExpression | undefined {
  const symbol = file.names.symbolOf(identifier);
  const declarations = file.names.declarationsOfSymbol(symbol);
  if (!symbol || declarations.length !== 1) return undefined;
  const declaration = declarations[0]!;
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const list = declaration.parent;
  const isConst = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
  if (!isConst && file.names.isReassigned(symbol)) return undefined;
  const value = skipTransparent(declaration.initializer);
  return ts.isObjectLiteralExpression(value) ? value : undefined;
}

function propertyFunction(literal: ts.ObjectLiteralExpression, name: string, file: DetectionFile, depth: number): FunctionLike | undefined {
  for (const property of literal.properties) {
    if (keyName(property.name) !== name) continue;
    if (ts.isMethodDeclaration(property)) return property.body ? property : undefined;
    if (ts.isPropertyAssignment(property)) {
      const value = unparen(property.initializer);
      return isFunctionValue(value) ? value : resolve(value, file, depth + 1);
    }
    if (ts.isShorthandPropertyAssignment(property)) return resolve(property.name, file, depth + 1);
  }
  return undefined;
}

/** The function a call calls, by the same references: `stop()`, `this.stop()`, `service.stop()`, `handlers.term()`. */
export function calledFunction(call: ts.CallExpression, file: DetectionFile): FunctionLike | undefined {
  const callee = skipTransparent(call.expression);
  if (isFunctionValue(callee)) return callee;
  return functionReferencedBy(callee, file);
}

/**
 * The functions `starts` are, and every function of this file they call (by name or by reference), transitively, up to
 * `max` functions: what runs when one of them runs.
 */
export function functionsReachedFrom(starts: readonly FunctionLike[], file: DetectionFile, max: number): Set<FunctionLike> {
  const reached = new Set<FunctionLike>();
  const pending = [...starts];
  while (pending.length > 0 && reached.size < max) {
    const fn = pending.pop()!;
    if (reached.has(fn)) continue;
    reached.add(fn);
    walk(fn, (node) => {
      if (ts.isCallExpression(node)) {
        const callee = calledFunction(node, file);
        if (callee && !reached.has(callee)) pending.push(callee);
      }
    });
  }
  return reached;
}

/** A function that runs as part of the code around it: immediately invoked, or a callback of a promise chain. */
export function runsInPlace(fn: FunctionLike): boolean {
  const parent = parentOf(fn);
  if (!parent || !ts.isCallExpression(parent)) return false;
  const callee = skipTransparent(parent.expression);
  if (callee === fn) return true;
  const method = isMemberAccess(callee) ? staticPropertyName(callee) : undefined;
  return (method === 'then' || method === 'catch' || method === 'finally') && isAmong(fn, parent.arguments);
}

/** Runs when the module loads: at top level, or in functions that run in place there (`main().then(() => …)`, IIFEs). */
export function isAtModuleLevel(node: ts.Node): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) if (!runsInPlace(fn)) return false;
  return true;
}
