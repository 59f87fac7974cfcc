import ts from './typescript.cjs';
import type { NameSymbol } from './names.js';

import type { DetectionFile } from './file.js';
import type { Origin } from './origin.js';
import { holderOwnership, type Ownership, resourceOwnership } from './ownership.js';
import { isShutdownLibraryCall, shutdownPathOf } from './signals.js';
import { isAmong, isMemberAccess, parentOf, skipTransparent, staticPropertyName, unparen, walk } from './syntax.js';

/**
 * What starts accepting connections: a Node server, an app whose `listen` makes one (Express, Koa, Connect, Fastify,
 * NestJS), a Hapi server (`start()`), Hono's Node adapter (`serve(…)`), or a `ws` WebSocket server given a port.
 * `server` is anything typed as a Node server when only its type says so.
 */
export type ServerKind =
  | 'http'
  | 'https'
  | 'http2'
  | 'net'
  | 'express'
  | 'koa'
  | 'connect'
  | 'fastify'
  | 'nestjs'
  | 'hapi'
  | 'hono'
  | 'ws'
  | 'server';

/** How each kind is named in messages ("This Fastify server keeps accepting…"). */
export const serverLabels: Readonly<Record<ServerKind, string>> = {
  http: 'http server',
  https: 'https server',
  http2: 'HTTP/2 server',
  net: 'net server',
  express: 'Express server',
  koa: 'Koa server',
  connect: 'Connect server',
  fastify: 'Fastify server',
  nestjs: 'NestJS server',
  hapi: 'Hapi server',
  hono: 'Hono server',
  ws: 'WebSocket server',
  server: 'server',
};

const serverModules = new Set(['http', 'https', 'http2', 'net']);
const serverFactories = new Set(['createServer', 'createSecureServer']);
/** Apps made by calling the module (or a named factory) whose `listen(…)` starts the server. */
const appCalledModules = new Map<string, { kind: ServerKind; names: ReadonlySet<string> }>([
  ['express', { kind: 'express', names: new Set(['']) }],
  ['connect', { kind: 'connect', names: new Set(['']) }],
  ['fastify', { kind: 'fastify', names: new Set(['', 'fastify', 'default']) }],
  ['@nestjs/core', { kind: 'nestjs', names: new Set(['NestFactory.create']) }],
]);
const appConstructedModules = new Map<string, ServerKind>([['koa', 'koa']]);
const hapiModules = new Set(['@hapi/hapi', 'hapi']);
const wsServerNames = new Set(['WebSocketServer', 'Server', 'WebSocket.Server', 'WebSocketServer.Server']);

/** `x.listen(…)` → x, for any receiver. */
export function listenReceiver(call: ts.CallExpression): ts.Expression | undefined {
  return methodReceiver(call, 'listen');
}

function methodReceiver(call: ts.CallExpression, method: string): ts.Expression | undefined {
  const callee = skipTransparent(call.expression);
  if (!isMemberAccess(callee) || staticPropertyName(callee) !== method) return undefined;
  return unparen(callee.expression);
}

/** One place where a server starts accepting connections. */
export interface ServerStart {
  /** The call (or construction) that starts it: `x.listen(…)`, `server.start()`, `serve(…)`, `new WebSocketServer(…)`. */
  readonly node: ts.CallExpression | ts.NewExpression;
  readonly kind: ServerKind;
  /** The app or server whose method starts it (`x` of `x.listen(…)`); none for `serve(…)` and `new WebSocketServer(…)`. */
  readonly receiver: ts.Expression | undefined;
}

/** Cheap pre-check of a call before resolving any name: only these shapes can start a server. */
export function mayStartServer(call: ts.CallExpression | ts.NewExpression): boolean {
  const callee = unparen(call.expression);
  if (ts.isNewExpression(call)) return ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee);
  if (ts.isIdentifier(callee)) return true;
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name) && (callee.name.text === 'listen' || callee.name.text === 'start');
}

/** The server a call or construction starts, if it starts one. */
export function serverStartOf(node: ts.CallExpression | ts.NewExpression, file: DetectionFile): ServerStart | undefined {
  if (ts.isNewExpression(node)) {
    const origin = file.origin(node.expression);
    if (origin.kind !== 'module' || origin.module !== 'ws' || !wsServerNames.has(origin.name)) return undefined;
    return listensOnItsOwn(node) ? { node, kind: 'ws', receiver: undefined } : undefined;
  }
  const listening = listenReceiver(node);
  if (listening) {
    const kind = serverKindOf(listening, file);
    return kind === undefined || kind === 'hapi' ? undefined : { node, kind, receiver: listening };
  }
  const starting = methodReceiver(node, 'start');
  if (starting) {
    return serverKindOf(starting, file) === 'hapi' ? { node, kind: 'hapi', receiver: starting } : undefined;
  }
  const callee = file.origin(node.expression);
  if (callee.kind === 'module' && callee.module === '@hono/node-server' && callee.name === 'serve') {
    return { node, kind: 'hono', receiver: undefined };
  }
  return undefined;
}

/** `new WebSocketServer({ port })` listens by itself; with `server` or `noServer` it rides on another server. */
function listensOnItsOwn(node: ts.NewExpression): boolean {
  const options = node.arguments?.[0] && unparen(node.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  const keys = new Set(
    options.properties.flatMap((property) => {
      const name = property.name;
      return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? [name.text] : [];
    }),
  );
  return keys.has('port') && !keys.has('server') && !keys.has('noServer');
}

/** What kind of server (or app whose `listen` makes one) an expression is, by its origin or, with types, its type. */
export function serverKindOf(receiver: ts.Node, file: DetectionFile): ServerKind | undefined {
  const bySyntax = kindOfOrigin(file.origin(receiver)) ?? kindOfOrigin(creationOrigin(receiver, file));
  if (bySyntax !== undefined) return bySyntax;
  return file.types ? kindOfType(receiver, file) : undefined;
}

/**
 * The origin of what an awaited factory made: `const app = await NestFactory.create(AppModule)` → an instance made by
 * calling `NestFactory.create` (origins stop at `await`, which in general says nothing about the awaited value).
 */
function creationOrigin(receiver: ts.Node, file: DetectionFile): Origin {
  const creation = creationOf(receiver, file);
  if (!creation) return { kind: 'unknown' };
  const awaited = skipTransparent(creation);
  if (!ts.isAwaitExpression(awaited)) return { kind: 'unknown' };
  const made = skipTransparent(awaited.expression);
  return ts.isCallExpression(made) || ts.isNewExpression(made) ? file.origin(made) : { kind: 'unknown' };
}

/** The initializer of the single-assignment `const`/`let` a name refers to, in this file. */
function creationOf(receiver: ts.Node, file: DetectionFile): ts.Expression | undefined {
  const target = skipTransparent(receiver);
  if (!ts.isIdentifier(target)) return undefined;
  const symbol = file.names.symbolOf(target);
  const declarations = file.names.declarationsOfSymbol(symbol);
  if (declarations.length !== 1 || !symbol) return undefined;
  const declaration = declarations[0]!;
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isIdentifier(declaration.name)) return undefined;
  const list = declaration.parent;
  const isConst = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
  if (!isConst && file.names.isReassigned(symbol)) return undefined;
  return declaration.initializer;
}

function kindOfOrigin(origin: Origin): ServerKind | undefined {
  if (origin.kind !== 'instance' || origin.callee.kind !== 'module') return undefined;
  const { module, name } = origin.callee;
  if (serverModules.has(module)) {
    const makes = origin.via === 'call' ? serverFactories.has(name) : name === 'Server' || name === 'Http2Server';
    return makes ? (module as ServerKind) : undefined;
  }
  if (hapiModules.has(module)) {
    return (origin.via === 'call' && name === 'server') || (origin.via === 'new' && name === 'Server') ? 'hapi' : undefined;
  }
  if (origin.via === 'call') {
    const app = appCalledModules.get(module);
    return app?.names.has(name) ? app.kind : undefined;
  }
  return name === '' ? appConstructedModules.get(module) : undefined;
}

/** Typed fallback: a receiver whose type is a server or app declared by Node's or the framework's own types. */
function kindOfType(receiver: ts.Node, file: DetectionFile): ServerKind | undefined {
  const types = file.types!;
  const type = types.typeOf(unparen(receiver));
  const symbol = type.aliasSymbol ?? type.getSymbol();
  for (const candidate of [symbol, type.getSymbol()]) {
    const declaration = candidate?.getDeclarations()?.[0];
    if (!candidate || !declaration) continue;
    const fileName = declaration.getSourceFile().fileName;
    const name = candidate.getName();
    if (fileName.includes('/@types/node/') && /^(?:Http2(?:Secure)?)?Server$/.test(name)) return 'server';
    if (fileName.includes('/@types/express') && (name === 'Express' || name === 'Application')) return 'express';
    if (fileName.includes('/koa/') && name === 'Application') return 'koa';
    if (fileName.includes('/fastify/') && name === 'FastifyInstance') return 'fastify';
    if (fileName.includes('/@nestjs/') && /^(?:INestApplication|Nest(?:Express|Fastify)Application)$/.test(name)) return 'nestjs';
    if (fileName.includes('/@hapi/hapi/') && name === 'Server') return 'hapi';
  }
  return undefined;
}

const trackServerNames: ReadonlySet<string> = new Set(['trackServer']);
/** Methods that stop a server: `close` for Node, Fastify, NestJS, ws and Hono's server; `stop` for Hapi. */
const closeMethods = new Set(['close', 'stop']);

/**
 * How the drain knows the server a start call starts, in this file:
 * - `'tracked'`: it starts on `trackServer(x)` or on a variable made by `trackServer(…)`, its result goes to
 *   `trackServer`, the server (the receiver or the result bound to a name) is passed to `trackServer`, or it is closed
 *   in a stop path the drain reaches (an `onShutdown` hook, an owner's `stop()`/`close()`…);
 * - `'closed-at-signal'`: in a service, it is closed only by its own `close()` when the signal comes, without the shim
 *   (in a SIGTERM handler, or in a callback given to a shutdown library such as close-with-grace). That close does not
 *   drain: Node's `close()`, and the frameworks' on top of it, leave busy keep-alive connections open until their
 *   timeout, and close idle ones under a client that is just sending (Fastify answers 503 meanwhile). In a library,
 *   whose process is its caller's, such a close is its own business and counts as tracked;
 * - `'closed-by-nest-hooks'`: the same close, made by NestJS's `app.enableShutdownHooks()` (its signal listener runs
 *   `app.close()` at once, which ends in Node's `server.close()`; bench/shutdown's nest-close was killed at 8 s under
 *   keep-alive load);
 * - `'untracked'`: none of these.
 */
export type ServerTracking = 'tracked' | 'closed-at-signal' | 'closed-by-nest-hooks' | 'untracked';

export function serverTrackingOf(start: ServerStart, file: DetectionFile): ServerTracking {
  const { node, receiver } = start;
  if (receiver) {
    if (file.isTrackerCall(receiver, trackServerNames)) return 'tracked';
    // `const server = trackServer(http.createServer(…)); server.listen(port)`: the advice the rule gives, followed.
    const creation = creationOf(receiver, file);
    if (creation && file.isTrackerCall(awaitedValue(creation), trackServerNames)) return 'tracked';
  }
  const parent = parentOf(node);
  if (parent && ts.isCallExpression(parent) && isAmong(node, parent.arguments) && file.isTrackerCall(parent, trackServerNames)) {
    return 'tracked';
  }
  // In a service, an HTTP/1 server closed at the signal without the shim is not drained; a close elsewhere in the same
  // scan that the drain reaches still tracks it. The variables' closes come first: a close written in the SIGTERM
  // handler is one at the signal, even when the handler is named like a stop method (`process.once('SIGTERM', stop)`).
  const signalCloseDrains = file.role.role !== 'service' || !http1Kinds.has(start.kind);
  let closedAtSignal = false;
  let closedByNestHooks = false;
  const candidates = [...(receiver ? serverVariables(receiver, file) : []), ...resultVariables(node, file)];
  for (const symbol of candidates) {
    for (const reference of file.names.referencesOf(symbol)) {
      const tracking = trackingByReference(reference, file);
      if (tracking === 'signal' && !signalCloseDrains) closedAtSignal = true;
      else if (tracking === 'nest-hooks' && !signalCloseDrains) closedByNestHooks = true;
      else if (tracking) return 'tracked';
    }
  }
  if (closedAtSignal) return 'closed-at-signal';
  if (closedByNestHooks) return 'closed-by-nest-hooks';
  // Owned: closed in a stop path (`stop() { this.server.close() }`, an onShutdown hook, a 'close' listener…) — a signal
  // handler only when it is SIGTERM's.
  const closedBy = (ownership: Ownership): boolean => {
    const stopPath = closedInStopPath(ownership);
    if (stopPath === 'signal' && !signalCloseDrains) {
      closedAtSignal = true;
      return false;
    }
    return stopPath !== false;
  };
  if (receiver && closedBy(holderOwnership(receiver, file, serverCloseMethods))) return 'tracked';
  const ownership = resourceOwnership(node, file, serverCloseMethods);
  if (closedBy(ownership)) return 'tracked';
  // A library's `listen()` shorthand that returns the server it starts: the calling app owns it (and closes it).
  if (file.role.role === 'library' && ownership.owned && ownership.by === 'caller') return 'tracked';
  return closedAtSignal ? 'closed-at-signal' : 'untracked';
}

/**
 * Servers whose close is Node's `http.Server#close()` (or a framework's on top of it): what a close at the signal
 * leaves undrained. Hapi's `stop({ timeout })` ends its connections itself; `ws`, `net` and HTTP/2 keep no HTTP/1
 * keep-alive connections.
 */
const http1Kinds: ReadonlySet<ServerKind> = new Set(['http', 'https', 'express', 'koa', 'connect', 'fastify', 'nestjs', 'hono', 'server']);

const serverCloseMethods: ReadonlySet<string> = new Set(['close', 'stop', 'closeAllConnections', 'terminate', 'destroy', 'shutdown']);

/** A close in a stop path: `'signal'` when that path is the SIGTERM handler itself (or a function it calls), else true. */
function closedInStopPath(ownership: Ownership): 'signal' | boolean {
  if (!ownership.owned || ownership.by !== 'stop-path' || /^the SIG(?!TERM\b)/.test(ownership.stopPath)) return false;
  return ownership.stopPath === 'the SIGTERM handler' ? 'signal' : true;
}

function awaitedValue(node: ts.Node): ts.Node {
  const target = skipTransparent(node);
  return ts.isAwaitExpression(target) ? skipTransparent(target.expression) : target;
}

/** The variable a receiver names, and the one its value came from: `const server = http.createServer(app)`. */
function serverVariables(receiver: ts.Node, file: DetectionFile): NameSymbol[] {
  const target = skipTransparent(receiver);
  if (!ts.isIdentifier(target)) return [];
  return variableOf(target, file);
}

/** The variable that receives the start's result: `const server = app.listen(3000)` or `server = app.listen(3000)`. */
function resultVariables(call: ts.Node, file: DetectionFile): NameSymbol[] {
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
function variableOf(identifier: ts.Identifier, file: DetectionFile): NameSymbol[] {
  const symbol = file.names.symbolOf(identifier);
  return symbol ? [symbol] : [];
}

/**
 * `trackServer(server)`, a close in a shutdown path (`'signal'` when the shim is not in it), or NestJS's
 * `app.enableShutdownHooks()` (`'nest-hooks'`: the app closes itself, its HTTP server and modules, at the signal).
 */
function trackingByReference(identifier: ts.Identifier, file: DetectionFile): 'signal' | 'nest-hooks' | boolean {
  const parent = parentOf(identifier);
  if (parent && ts.isCallExpression(parent) && isAmong(identifier, parent.arguments)) {
    // Given to a library that closes it at the signal: in a service that close is the finding, at that call.
    return file.isTrackerCall(parent, trackServerNames) || (parent.arguments[0] === identifier && isServerClosingLibraryCall(parent, file));
  }
  if (parent && isMemberAccess(parent) && unparen(parent.expression) === identifier) {
    const method = staticPropertyName(parent);
    if (method === 'enableShutdownHooks' && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) return 'nest-hooks';
    if (method === undefined || !closeMethods.has(method)) return false;
    const path = shutdownPathOf(parent, file);
    return path === 'hook' ? true : path === 'signal' ? 'signal' : false;
  }
  return false;
}

/** Every `new …(…)` of a file that imports `ws` (the only constructions that start a server by themselves). */
export function wsConstructions(file: DetectionFile): ts.NewExpression[] {
  if (!/['"]ws['"]/.test(file.sourceFile.text)) return [];
  const found: ts.NewExpression[] = [];
  walk(file.sourceFile, (node) => {
    if (ts.isNewExpression(node)) found.push(node);
  });
  return found;
}

/**
 * Shutdown libraries that take the server and close it at the signal themselves, in a way that does not drain it.
 * http-graceful-shutdown (`gracefulShutdown(server, options)`): once its `preShutdown` has run, it destroys every idle
 * keep-alive connection at once, under clients about to send on them, and every connection accepted after that;
 * measured on a real service: 6 to 13 requests sent after SIGTERM reset in each of three runs.
 */
const serverClosingLibraries: ReadonlySet<string> = new Set(['http-graceful-shutdown']);

/** `gracefulShutdown(server, …)`: a call of a library that closes the server given as its first argument. */
export function isServerClosingLibraryCall(call: ts.CallExpression, file: DetectionFile): boolean {
  // A shutdown library's call first: that check reads the file's text once per file, not once per call.
  if (call.arguments.length === 0 || !isShutdownLibraryCall(call, file)) return false;
  const origin = file.origin(call.expression);
  return origin.kind === 'module' && serverClosingLibraries.has(origin.module);
}

/** Every such call of the file, in source order. */
export function serverClosingLibraryCalls(file: DetectionFile): ts.CallExpression[] {
  return file.calls.filter((call) => isServerClosingLibraryCall(call, file));
}
