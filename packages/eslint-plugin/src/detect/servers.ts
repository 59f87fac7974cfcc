import ts from './typescript.cjs';

import type { DetectionFile } from './file.js';
import type { Origin } from './origin.js';
import { enclosingFunction, isAmong, isMemberAccess, parentOf, skipTransparent, staticPropertyName, unparen } from './syntax.js';

export type ServerKind = 'http' | 'https' | 'http2' | 'net' | 'express' | 'koa' | 'connect' | 'server';

const serverModules = new Set(['http', 'https', 'http2', 'net']);
const serverFactories = new Set(['createServer', 'createSecureServer']);
const appCalledModules = new Map<string, ServerKind>([
  ['express', 'express'],
  ['connect', 'connect'],
]);
const appConstructedModules = new Map<string, ServerKind>([['koa', 'koa']]);

/** `x.listen(…)` → x, for any receiver. */
export function listenReceiver(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipTransparent(call.expression);
  if (!isMemberAccess(callee) || staticPropertyName(callee) !== 'listen') return undefined;
  return unparen(callee.expression);
}

/** What kind of server (or app whose `listen` makes one) an expression is, by its origin or, with types, its type. */
export function serverKindOf(receiver: ts.Node, file: DetectionFile): ServerKind | undefined {
  const bySyntax = kindOfOrigin(file.origin(receiver));
  if (bySyntax !== undefined) return bySyntax;
  return file.types ? kindOfType(receiver, file) : undefined;
}

function kindOfOrigin(origin: Origin): ServerKind | undefined {
  if (origin.kind !== 'instance' || origin.callee.kind !== 'module') return undefined;
  const { module, name } = origin.callee;
  if (serverModules.has(module)) {
    const makes = origin.via === 'call' ? serverFactories.has(name) : name === 'Server' || name === 'Http2Server';
    return makes ? (module as ServerKind) : undefined;
  }
  if (name !== '') return undefined;
  return origin.via === 'call' ? appCalledModules.get(module) : appConstructedModules.get(module);
}

/** Typed fallback: a receiver whose type is a Node server or an Express/Koa app declared by their type packages. */
function kindOfType(receiver: ts.Node, file: DetectionFile): ServerKind | undefined {
  const types = file.types!;
  const symbol = types.typeOf(unparen(receiver)).getSymbol();
  const declaration = symbol?.getDeclarations()?.[0];
  if (!symbol || !declaration) return undefined;
  const fileName = declaration.getSourceFile().fileName;
  const name = symbol.getName();
  if (fileName.includes('/@types/node/') && /^(?:Http2(?:Secure)?)?Server$/.test(name)) return 'server';
  if (fileName.includes('/@types/express') && (name === 'Express' || name === 'Application')) return 'express';
  if (fileName.includes('/koa/') && name === 'Application') return 'koa';
  return undefined;
}

const trackServerNames: ReadonlySet<string> = new Set(['trackServer']);
const onShutdownNames: ReadonlySet<string> = new Set(['onShutdown']);

/**
 * Whether the server a `listen` call starts is tracked in this file: the listen runs on `trackServer(x)`, its result
 * goes to `trackServer`, or the server (the receiver or the listen result bound to a name) is passed to `trackServer`
 * or closed inside an `onShutdown` hook.
 */
export function isServerTracked(call: ts.CallExpression, file: DetectionFile): boolean {
  const receiver = listenReceiver(call);
  if (!receiver) return false;
  if (file.isTrackerCall(receiver, trackServerNames)) return true;
  const parent = parentOf(call);
  if (parent && ts.isCallExpression(parent) && isAmong(call, parent.arguments) && file.isTrackerCall(parent, trackServerNames)) {
    return true;
  }
  const candidates = [...serverVariables(receiver, file), ...resultVariables(call, file)];
  return candidates.some((symbol) => file.names.referencesOf(symbol).some((reference) => isTrackingReference(reference, file)));
}

/** The variable a receiver names, and the one its value came from: `const server = http.createServer(app)`. */
function serverVariables(receiver: ts.Node, file: DetectionFile): ts.Symbol[] {
  const target = skipTransparent(receiver);
  if (!ts.isIdentifier(target)) return [];
  return variableOf(target, file);
}

/** The variable that receives the listen result: `const server = app.listen(3000)` or `server = app.listen(3000)`. */
function resultVariables(call: ts.CallExpression, file: DetectionFile): ts.Symbol[] {
  let holder: ts.Node = call;
  while (holder.parent && (ts.isAwaitExpression(holder.parent) || ts.isAsExpression(holder.parent) || ts.isParenthesizedExpression(holder.parent))) {
    holder = holder.parent;
  }
  const parent = holder.parent;
  let name: ts.Identifier | undefined;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === holder && ts.isIdentifier(parent.name)) {
    name = parent.name;
  } else if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === holder) {
    const left = unparen(parent.left);
    if (ts.isIdentifier(left)) name = left;
  }
  return name ? variableOf(name, file) : [];
}

/** The variable a name refers to, as scope analysis would find it (a declared or a configured global name too). */
function variableOf(identifier: ts.Identifier, file: DetectionFile): ts.Symbol[] {
  const symbol = file.names.symbolOf(identifier);
  return symbol ? [symbol] : [];
}

function isTrackingReference(identifier: ts.Identifier, file: DetectionFile): boolean {
  const parent = parentOf(identifier);
  if (parent && ts.isCallExpression(parent) && isAmong(identifier, parent.arguments)) {
    return file.isTrackerCall(parent, trackServerNames);
  }
  if (parent && isMemberAccess(parent) && unparen(parent.expression) === identifier && staticPropertyName(parent) === 'close') {
    return isInsideShutdownHook(parent, file);
  }
  return false;
}

function isInsideShutdownHook(node: ts.Node, file: DetectionFile): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const parent = parentOf(fn);
    if (parent && ts.isCallExpression(parent) && isAmong(fn, parent.arguments) && file.isTrackerCall(parent, onShutdownNames)) {
      return true;
    }
  }
  return false;
}
