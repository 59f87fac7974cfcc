import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import type { FileAnalysis } from './analysis.js';
import { enclosingFunction, skipTransparent, staticPropertyName } from './ast.js';
import type { Origin } from './origin.js';

export type ServerKind = 'http' | 'https' | 'http2' | 'net' | 'express' | 'koa' | 'connect' | 'server';

const serverModules = new Set(['http', 'https', 'http2', 'net']);
const serverFactories = new Set(['createServer', 'createSecureServer']);
const appCalledModules = new Map<string, ServerKind>([
  ['express', 'express'],
  ['connect', 'connect'],
]);
const appConstructedModules = new Map<string, ServerKind>([['koa', 'koa']]);

/** `x.listen(…)` → x, for any receiver. */
export function listenReceiver(call: TSESTree.CallExpression): TSESTree.Expression | undefined {
  const callee = skipTransparent(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || staticPropertyName(callee) !== 'listen') return undefined;
  return callee.object;
}

/** What kind of server (or app whose `listen` makes one) an expression is, by its origin or, with types, its type. */
export function serverKindOf(receiver: TSESTree.Node, analysis: FileAnalysis): ServerKind | undefined {
  const bySyntax = kindOfOrigin(analysis.origin(receiver));
  if (bySyntax !== undefined) return bySyntax;
  return analysis.types ? kindOfType(receiver, analysis) : undefined;
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
function kindOfType(receiver: TSESTree.Node, analysis: FileAnalysis): ServerKind | undefined {
  const types = analysis.types!;
  const symbol = types.typeOf(receiver).getSymbol();
  const declaration = symbol?.getDeclarations()?.[0];
  if (!symbol || !declaration) return undefined;
  const file = declaration.getSourceFile().fileName;
  const name = symbol.getName();
  if (file.includes('/@types/node/') && /^(?:Http2(?:Secure)?)?Server$/.test(name)) return 'server';
  if (file.includes('/@types/express') && (name === 'Express' || name === 'Application')) return 'express';
  if (file.includes('/koa/') && name === 'Application') return 'koa';
  return undefined;
}

const trackServerNames: ReadonlySet<string> = new Set(['trackServer']);
const onShutdownNames: ReadonlySet<string> = new Set(['onShutdown']);

/**
 * Whether the server a `listen` call starts is tracked in this file: the listen runs on `trackServer(x)`, its result
 * goes to `trackServer`, or the server (the receiver or the listen result bound to a name) is passed to `trackServer`
 * or closed inside an `onShutdown` hook.
 */
export function isServerTracked(call: TSESTree.CallExpression, analysis: FileAnalysis): boolean {
  const receiver = listenReceiver(call);
  if (!receiver) return false;
  if (analysis.isTrackerCall(receiver, trackServerNames)) return true;
  const parent = call.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(call) && analysis.isTrackerCall(parent, trackServerNames)) {
    return true;
  }
  const candidates = [...serverVariables(receiver, analysis.sourceCode), ...resultVariables(call, analysis.sourceCode)];
  return candidates.some((variable) => variable.references.some((reference) => isTrackingReference(reference.identifier, analysis)));
}

type Variable = TSESLint.Scope.Variable;

/** The variable a receiver names, and the one its value came from: `const server = http.createServer(app)`. */
function serverVariables(receiver: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): Variable[] {
  const target = skipTransparent(receiver);
  if (target.type !== AST_NODE_TYPES.Identifier) return [];
  const variable = ASTUtils.findVariable(sourceCode.getScope(target), target);
  return variable ? [variable] : [];
}

/** The variable that receives the listen result: `const server = app.listen(3000)` or `server = app.listen(3000)`. */
function resultVariables(call: TSESTree.CallExpression, sourceCode: Readonly<TSESLint.SourceCode>): Variable[] {
  let holder: TSESTree.Node = call;
  while (holder.parent && (holder.parent.type === AST_NODE_TYPES.AwaitExpression || holder.parent.type === AST_NODE_TYPES.TSAsExpression)) {
    holder = holder.parent;
  }
  const parent = holder.parent;
  let name: TSESTree.Identifier | undefined;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === holder && parent.id.type === AST_NODE_TYPES.Identifier) {
    name = parent.id;
  } else if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === holder && parent.left.type === AST_NODE_TYPES.Identifier) {
    name = parent.left;
  } else if (
    parent?.type === AST_NODE_TYPES.AssignmentExpression &&
    parent.right === holder &&
    parent.left.type === AST_NODE_TYPES.MemberExpression &&
    parent.left.object.type === AST_NODE_TYPES.ThisExpression
  ) {
    return [];
  }
  if (!name) return [];
  const variable = ASTUtils.findVariable(sourceCode.getScope(name), name);
  return variable ? [variable] : [];
}

function isTrackingReference(identifier: TSESTree.Identifier | TSESTree.JSXIdentifier, analysis: FileAnalysis): boolean {
  const parent = identifier.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(identifier as TSESTree.Identifier)) {
    return analysis.isTrackerCall(parent, trackServerNames);
  }
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === identifier && staticPropertyName(parent) === 'close') {
    return isInsideShutdownHook(parent, analysis);
  }
  return false;
}

function isInsideShutdownHook(node: TSESTree.Node, analysis: FileAnalysis): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const parent = fn.parent;
    if (parent?.type === AST_NODE_TYPES.CallExpression && (parent.arguments as readonly TSESTree.Node[]).includes(fn) && analysis.isTrackerCall(parent, onShutdownNames)) {
      return true;
    }
  }
  return false;
}
