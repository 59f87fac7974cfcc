import ts from './typescript.cjs';

import type { DetectionFile } from './file.js';
import { returnsPromise } from './promises.js';
import { classOfThis, functionReferencedBy } from './references.js';
import { type FunctionLike, isAsync, isAsyncFunction, isFunctionLike, isGenerator, isMemberAccess, skipTransparent, staticPropertyName, unparen, walk } from './syntax.js';

/** DOM-style listener registration: `target.addEventListener(type, listener)` drops what the listener returns. */
export const eventTargetMethods: ReadonlySet<string> = new Set(['addEventListener']);

/**
 * Whether calling a callback returns a promise: declared async or (with types) typed so, also when passed by reference
 * (`this.onMessage.bind(this)`, `this.onMessage`, `handlers.onMessage`): the reference is followed to the function of
 * this file it names.
 */
export function callbackReturnsPromise(callback: ts.Node, file: DetectionFile): boolean {
  if (returnsPromise(callback, file)) return true;
  const target = skipTransparent(callback);
  if (ts.isIdentifier(target) || ts.isArrowFunction(target) || ts.isFunctionExpression(target)) return false;
  const referenced = functionReferencedBy(target, file);
  return referenced !== undefined && isAsyncFunction(referenced);
}

/**
 * An async function with no async work of its own: its body (nested functions excluded) has no `await`, no
 * `for await`, and returns no value (a returned promise would be adopted: `async () => save()` waits for save()). Its
 * promise settles before the call returns, so dropping it cuts nothing off; a promise it drops inside is judged where it
 * is dropped (no-untracked-promise), a listener it registers where it is registered.
 */
export function hasNoAsyncWork(fn: FunctionLike): boolean {
  if (!isAsync(fn) || isGenerator(fn) || fn.body === undefined || !ts.isBlock(fn.body)) return false;
  let work = false;
  walk(fn.body, (node) => {
    if (work || isFunctionLike(node) || ts.isClassLike(node)) return false;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) work = true;
    else if (ts.isReturnStatement(node) && node.expression !== undefined) work = true;
    return !work;
  });
  return !work;
}

const maxBindingDepth = 6;

/**
 * Whether a callback is a tracker's wrapper, made in place (`trackCallback(fn)`) or bound to one at its definition and
 * passed by reference: a name (`const onSignal = trackCallback(…)`), `this.onMessage` where every value the class gives
 * it is a tracker call (a property initializer, `this.onMessage = trackCallback(…)` in any of its methods), a property of
 * a `const` object literal, and `.bind(…)` of any of these. A binding written again with anything else is not followed.
 */
export function isBoundToTracker(callback: ts.Node, file: DetectionFile, names: ReadonlySet<string>): boolean {
  return boundToTracker(callback, file, names, 0);
}

function boundToTracker(node: ts.Node, file: DetectionFile, names: ReadonlySet<string>, depth: number): boolean {
  if (depth > maxBindingDepth) return false;
  const target = skipTransparent(node);
  if (file.isTrackerCall(target, names)) return true;
  if (ts.isCallExpression(target)) {
    const callee = skipTransparent(target.expression);
    return isMemberAccess(callee) && staticPropertyName(callee) === 'bind' && boundToTracker(callee.expression, file, names, depth + 1);
  }
  if (ts.isIdentifier(target)) {
    const values = valuesOfName(target, file);
    return values !== undefined && values.length > 0 && values.every((value) => boundToTracker(value, file, names, depth + 1));
  }
  if (isMemberAccess(target)) {
    const name = staticPropertyName(target) ?? (ts.isPropertyAccessExpression(target) && ts.isPrivateIdentifier(target.name) ? target.name.text : undefined);
    if (name === undefined) return false;
    const object = skipTransparent(target.expression);
    let values: ts.Expression[] | undefined;
    if (object.kind === ts.SyntaxKind.ThisKeyword) {
      const owner = classOfThis(target);
      values = owner && valuesOfThisMember(owner, name);
    } else if (ts.isIdentifier(object)) {
      values = valuesOfLiteralProperty(object, name, file);
    }
    return values !== undefined && values.length > 0 && values.every((value) => boundToTracker(value, file, names, depth + 1));
  }
  return false;
}

/** Every value a variable of this file is given: its initializer and each later assignment (undefined when unknown). */
function valuesOfName(identifier: ts.Identifier, file: DetectionFile): ts.Expression[] | undefined {
  const symbol = file.names.symbolOf(identifier);
  const declarations = file.names.declarationsOfSymbol(symbol);
  if (!symbol || declarations.length !== 1) return undefined;
  const declaration = declarations[0]!;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const values: ts.Expression[] = declaration.initializer ? [declaration.initializer] : [];
  if (!file.names.isReassigned(symbol)) return values;
  for (const reference of file.names.referencesOf(symbol)) {
    const parent = reference.parent;
    if (ts.isBinaryExpression(parent) && parent.left === reference && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      values.push(parent.right);
    } else if (reference !== declaration.name) {
      // Written some other way (`x ||= …`, destructured into): unknown.
      if (isWrite(reference)) return undefined;
    }
  }
  return values;
}

function isWrite(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isBinaryExpression(parent) && parent.left === identifier) {
    return parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  }
  return ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent) || ts.isArrayLiteralExpression(parent) || ts.isShorthandPropertyAssignment(parent);
}

/** What a class gives `this.<name>`: its property's initializer and every `this.<name> = value` in its own methods. */
function valuesOfThisMember(owner: ts.ClassLikeDeclaration, name: string): ts.Expression[] | undefined {
  const values: ts.Expression[] = [];
  let unknown = false;
  for (const member of owner.members) {
    const key = member.name && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : undefined;
    if (key === name) {
      if (ts.isPropertyDeclaration(member)) {
        if (member.initializer) values.push(member.initializer);
      } else {
        unknown = true; // a method or accessor of that name
      }
    }
  }
  walk(owner, (node) => {
    if (unknown) return false;
    if (node !== owner && ts.isClassLike(node)) return false;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const left = skipTransparent(node.left);
      if (isMemberAccess(left) && unparen(left.expression).kind === ts.SyntaxKind.ThisKeyword && memberKey(left) === name && classOfThis(left) === owner) {
        if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken) values.push(node.right);
        else unknown = true;
      }
    }
    return true;
  });
  return unknown ? undefined : values;
}

function memberKey(member: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (ts.isPropertyAccessExpression(member) && ts.isPrivateIdentifier(member.name)) return member.name.text;
  return staticPropertyName(member);
}

/** The value of a property of the object literal a `const` of this file holds. */
function valuesOfLiteralProperty(object: ts.Identifier, name: string, file: DetectionFile): ts.Expression[] | undefined {
  const values = valuesOfName(object, file);
  if (values?.length !== 1) return undefined;
  const literal = skipTransparent(values[0]!);
  if (!ts.isObjectLiteralExpression(literal)) return undefined;
  for (const property of literal.properties) {
    const key = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    if (key !== name) continue;
    if (ts.isPropertyAssignment(property)) return [property.initializer];
    if (ts.isShorthandPropertyAssignment(property)) return [property.name];
    return undefined;
  }
  return undefined;
}
