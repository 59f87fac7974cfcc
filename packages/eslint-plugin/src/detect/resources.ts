import ts from './typescript.cjs';
import type { NameSymbol } from './names.js';

import type { DetectionFile } from './file.js';
import type { Origin } from './origin.js';
import { calledFunction, functionsReachedFrom, isAtModuleLevel, runsInPlace } from './references.js';
import { listenReceiver, serverTrackingOf, serverKindOf, serverStartOf } from './servers.js';
import { resourceOwnership } from './ownership.js';
import { isInsideShutdownPath } from './signals.js';
import {
  dottedPath,
  enclosingFunction,
  type FunctionLike,
  isAmong,
  isMemberAccess,
  parentOf,
  skipTransparent,
  staticPropertyName,
  unparen,
  walk,
} from './syntax.js';

/** A long-lived client, pool, consumer, worker or server-like object, and how it is closed. */
export interface ResourceKind {
  /** For messages: "Redis client", "PostgreSQL pool". */
  readonly what: string;
  /** The method that closes it: `quit`, `end`, `close`, `disconnect`, `$disconnect`, `tryShutdown`. */
  readonly method: string;
  /** The package it comes from, or `type` when only its type says it can be closed. */
  readonly module: string;
  /** Closed through the module object the creation is called on (`mongoose.disconnect()`). */
  readonly closesModule?: boolean;
}

interface KnownMaker {
  readonly via: 'call' | 'new';
  /** Export names as origins spell them ('' for the module itself or its default export). */
  readonly names: readonly string[];
  readonly what: string;
  readonly method: string;
  /** Closed through the module, not the value: `mongoose.connect(…)` → `mongoose.disconnect()`. */
  readonly closesModule?: true;
}

/** Known packages by their import: what each makes, and the method that closes it. */
const knownMakers: ReadonlyMap<string, readonly KnownMaker[]> = new Map<string, KnownMaker[]>([
  ['pg', [
    { via: 'new', names: ['Pool', 'default.Pool'], what: 'PostgreSQL pool', method: 'end' },
    { via: 'new', names: ['Client', 'default.Client'], what: 'PostgreSQL client', method: 'end' },
  ]],
  ['mysql2', [
    { via: 'call', names: ['createPool', 'default.createPool'], what: 'MySQL pool', method: 'end' },
    { via: 'call', names: ['createConnection', 'default.createConnection'], what: 'MySQL connection', method: 'end' },
  ]],
  ['mysql2/promise', [
    { via: 'call', names: ['createPool', 'default.createPool'], what: 'MySQL pool', method: 'end' },
    { via: 'call', names: ['createConnection', 'default.createConnection'], what: 'MySQL connection', method: 'end' },
  ]],
  ['ioredis', [
    { via: 'new', names: ['', 'Redis', 'default'], what: 'Redis client', method: 'quit' },
    { via: 'new', names: ['Cluster', 'Redis.Cluster'], what: 'Redis cluster client', method: 'quit' },
  ]],
  ['redis', [
    { via: 'call', names: ['createClient', 'default.createClient'], what: 'Redis client', method: 'quit' },
    { via: 'call', names: ['createCluster', 'default.createCluster'], what: 'Redis cluster client', method: 'quit' },
  ]],
  ['mongodb', [
    { via: 'new', names: ['MongoClient'], what: 'MongoDB client', method: 'close' },
    { via: 'call', names: ['MongoClient.connect'], what: 'MongoDB client', method: 'close' },
  ]],
  ['mqtt', [{ via: 'call', names: ['connect', 'connectAsync', 'default.connect', 'default.connectAsync'], what: 'MQTT client', method: 'end' }]],
  ['amqplib', [{ via: 'call', names: ['connect', 'default.connect'], what: 'AMQP connection', method: 'close' }]],
  ['amqplib/callback_api', [{ via: 'call', names: ['connect'], what: 'AMQP connection', method: 'close' }]],
  ['bullmq', [
    { via: 'new', names: ['Worker'], what: 'BullMQ worker', method: 'close' },
    { via: 'new', names: ['Queue'], what: 'BullMQ queue', method: 'close' },
    { via: 'new', names: ['QueueEvents'], what: 'BullMQ queue events listener', method: 'close' },
    { via: 'new', names: ['FlowProducer'], what: 'BullMQ flow producer', method: 'close' },
  ]],
  ['ws', [{ via: 'new', names: ['', 'WebSocket', 'default', 'WebSocketServer', 'Server', 'WebSocket.Server'], what: 'WebSocket', method: 'close' }]],
  ['@grpc/grpc-js', [{ via: 'new', names: ['Server'], what: 'gRPC server', method: 'tryShutdown' }]],
  ['@prisma/client', [{ via: 'new', names: ['PrismaClient'], what: 'Prisma client', method: '$disconnect' }]],
  ['bull', [
    { via: 'new', names: ['', 'default'], what: 'Bull queue', method: 'close' },
    { via: 'call', names: ['', 'default'], what: 'Bull queue', method: 'close' },
  ]],
  ['knex', [{ via: 'call', names: ['', 'knex', 'default'], what: 'Knex pool', method: 'destroy' }]],
  ['mongoose', [
    { via: 'call', names: ['connect', 'default.connect'], what: 'Mongoose connection', method: 'disconnect', closesModule: true },
    { via: 'call', names: ['createConnection', 'default.createConnection'], what: 'Mongoose connection', method: 'close' },
  ]],
  ['typeorm', [
    { via: 'call', names: ['createConnection'], what: 'TypeORM connection', method: 'close' },
    { via: 'new', names: ['DataSource'], what: 'TypeORM data source', method: 'destroy' },
  ]],
  ['sequelize', [{ via: 'new', names: ['', 'Sequelize', 'default'], what: 'Sequelize pool', method: 'close' }]],
  ['cron', [
    { via: 'new', names: ['CronJob'], what: 'cron job', method: 'stop' },
    { via: 'call', names: ['CronJob.from'], what: 'cron job', method: 'stop' },
  ]],
  ['node-cron', [{ via: 'call', names: ['schedule', 'default.schedule'], what: 'cron task', method: 'stop' }]],
  ['socket.io', [
    { via: 'new', names: ['Server', '', 'default'], what: 'Socket.IO server', method: 'close' },
    { via: 'call', names: ['', 'default'], what: 'Socket.IO server', method: 'close' },
  ]],
]);

/** kafkajs: the `Kafka` object itself holds nothing open; its producers, consumers and admin clients do. */
const kafkaClients = new Map([
  ['producer', 'Kafka producer'],
  ['consumer', 'Kafka consumer'],
  ['admin', 'Kafka admin client'],
]);

/** Methods that close a long-lived object, in the order the advice prefers them (typed fallback). */
export const closeMethodNames: readonly string[] = ['close', 'quit', 'disconnect', '$disconnect', 'end', 'destroy', 'stop', 'terminate', 'tryShutdown', 'forceShutdown', 'shutdown', 'closeAll'];
const closeMethodSet: ReadonlySet<string> = new Set(closeMethodNames);
/** What the typed fallback asks of a type: one of the methods the issue names. */
const typedCloseMethods: readonly string[] = ['close', 'quit', 'disconnect', 'end', 'destroy', 'stop'];

/** The kind of resource a creation makes, by its import or (with types) by the methods of its type. */
export function resourceKindOf(creation: ts.CallExpression | ts.NewExpression, file: DetectionFile): ResourceKind | undefined {
  const origin = file.origin(creation);
  const known = knownKindOf(origin);
  if (known) return known;
  if (!file.types) return undefined;
  return typedKindOf(creation, file);
}

function knownKindOf(origin: Origin): ResourceKind | undefined {
  if (origin.kind !== 'instance') return undefined;
  const callee = origin.callee;
  if (callee.kind === 'module') {
    for (const maker of knownMakers.get(callee.module) ?? []) {
      if (maker.via === origin.via && maker.names.includes(callee.name)) {
        return { what: maker.what, method: maker.method, module: callee.module, closesModule: maker.closesModule === true };
      }
    }
    return undefined;
  }
  // `kafka.producer()` where `kafka` is `new Kafka(…)` from kafkajs: the origin of a member of an instance is unknown,
  // so this is decided on the call itself (see kafkaKindOf).
  return undefined;
}

function kafkaKindOf(creation: ts.CallExpression | ts.NewExpression, file: DetectionFile): ResourceKind | undefined {
  if (!ts.isCallExpression(creation)) return undefined;
  const callee = skipTransparent(creation.expression);
  if (!isMemberAccess(callee)) return undefined;
  const method = staticPropertyName(callee);
  const what = method === undefined ? undefined : kafkaClients.get(method);
  if (what === undefined) return undefined;
  const kafka = file.origin(callee.expression);
  const isKafka = kafka.kind === 'instance' && kafka.via === 'new' && kafka.callee.kind === 'module' && kafka.callee.module === 'kafkajs' && kafka.callee.name === 'Kafka';
  return isKafka ? { what, method: 'disconnect', module: 'kafkajs' } : undefined;
}

/**
 * With types: an object whose type has a close-like method declared by a package (not by Node's own types or
 * TypeScript's lib: streams, timers and the like are the other rules' business or no long-lived client).
 */
function typedKindOf(creation: ts.CallExpression | ts.NewExpression, file: DetectionFile): ResourceKind | undefined {
  // Only constructions: a call's result is as often a shared instance (`require('./db')`, a factory's singleton, a
  // logger) as a new connection, which the known packages above name by their factories.
  if (!ts.isNewExpression(creation)) return undefined;
  const types = file.types!;
  const type = types.typeOf(creation);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  for (const method of typedCloseMethods) {
    const property = type.getProperty(method);
    const declaration = property?.getDeclarations()?.[0];
    if (!property || !declaration) continue;
    const fileName = declaration.getSourceFile().fileName;
    // Declared by a package (Node's own types and TypeScript's lib excepted: streams, timers and servers are other
    // rules' business), or by a class of this very file.
    const byPackage = fileName.includes('/node_modules/') && !fileName.includes('/@types/node/') && !/\/typescript\/lib\//.test(fileName);
    if (!byPackage && declaration.getSourceFile() !== file.sourceFile) return undefined;
    if (types.checker.getTypeOfSymbolAtLocation(property, creation).getCallSignatures().length === 0) continue;
    const name = (type.aliasSymbol ?? type.getSymbol())?.getName();
    return { what: name && name !== '__type' && name !== '__object' ? name : 'object', method, module: 'type' };
  }
  return undefined;
}

/** One long-lived object created when the module loads that no shutdown path closes. */
export interface UnclosedResource {
  readonly creation: ts.CallExpression | ts.NewExpression;
  readonly kind: ResourceKind;
  /** Where the object is kept: a variable name, `this.name`, or undefined when it is not kept at all. */
  readonly holder: string | undefined;
  /** The statement after which `onShutdown(() => holder.method())` can be inserted (a variable statement). */
  readonly statement: ts.Statement | undefined;
}

/** Cheap pre-check: a file that imports none of the known packages has no known resource (typed files always check). */
function mayHaveKnownResource(text: string): boolean {
  return /['"](?:pg|mysql2(?:\/promise)?|ioredis|redis|mongodb|mqtt|amqplib(?:\/callback_api)?|kafkajs|bullmq|bull|ws|@grpc\/grpc-js|@prisma\/client|knex|mongoose|typeorm|sequelize|cron|node-cron|socket\.io)['"]/.test(text);
}

/** Every long-lived object the file creates when it loads (also in functions its top level runs) that nothing closes. */
export function findUnclosedResources(file: DetectionFile): UnclosedResource[] {
  if (!file.types && !mayHaveKnownResource(file.sourceFile.text)) return [];
  const loading = functionsRunAtLoad(file);
  const found: UnclosedResource[] = [];
  walk(file.sourceFile, (node) => {
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return;
    if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || requireCall(node))) return;
    const known = knownOrKafka(node, file);
    // A known client made in a named function (`async function connectDB() { await mongoose.connect(…) }`) is the
    // service's, whoever calls it; one made in a callback (a request handler) is made per call.
    const longLived = runsAtLoad(node, loading) || (known !== undefined && inNamedFunction(node));
    if (!longLived) return;
    const holder = known?.closesModule ? moduleHolderOf(node) : holderOf(node);
    // Typed fallback only for what is kept: a bare call's result is not an object the service holds.
    const kind = known ?? (holder && file.types ? typedKindOf(node, file) : undefined);
    if (!kind || isOtherRulesBusiness(node, file)) return;
    if (ridesOnHandledServer(node, file)) return;
    if (holder && isClosedAtShutdown(node, holder, file)) return;
    if (!holder && isOwnedElsewhere(node, file)) return;
    found.push({ creation: node, kind, holder: holder?.text, statement: holder?.statement ?? (kind.closesModule ? enclosingStatement(node) : undefined) });
  });
  return found;
}

/**
 * A resource created over a server (Socket.IO's `new Server(httpServer)`, `new WebSocketServer({ server })`) accepts no
 * connection of its own: its connections come through the server's, and it lives as long as that server. So the server
 * decides. Where this file starts the server (`server.listen(…)`), the resource is handled when no-untracked-server finds
 * that server tracked or closed at shutdown (a SIGTERM handler, an `onShutdown` hook, `trackServer`, a stop method). A
 * server this file makes but does not start is started, and judged by no-untracked-server, in the file that starts it.
 * The argument must be known as a server: made here by a server factory (`http.createServer(…)`, `app.listen(…)`), or
 * typed as one.
 */
function ridesOnHandledServer(creation: ts.CallExpression | ts.NewExpression, file: DetectionFile): boolean {
  const server = riddenServer(creation);
  if (!server || !isServerValue(server, file)) return false;
  const starts = file.calls.filter((call) => {
    const callee = skipTransparent(call.expression);
    if (!isMemberAccess(callee)) return false;
    const method = staticPropertyName(callee);
    return (method === 'listen' || method === 'start') && sameHolder(callee.expression, server, file);
  });
  const madeStarted = valuesOf(server, file).filter((value) => ts.isCallExpression(value) && serverStartOf(value, file) !== undefined) as ts.CallExpression[];
  // Started elsewhere: only a server other files can reach (a property, an export); a local one nothing starts is no
  // server at all, and neither is what rides on it.
  if (starts.length === 0 && madeStarted.length === 0) return reachableFromOtherFiles(server, file);
  return [...starts, ...madeStarted].some((call) => {
    const start = serverStartOf(call, file) ?? { node: call, kind: 'server' as const, receiver: listenReceiver(call) ?? methodReceiverOf(call) };
    // Closed at the signal without the shim is still closed: no-untracked-server reports that it does not drain.
    return serverTrackingOf(start, file) !== 'untracked';
  });
}

/** The server a creation rides on: its first argument, or the `server` option of an options object. */
function riddenServer(creation: ts.CallExpression | ts.NewExpression): ts.Expression | undefined {
  const first = creation.arguments?.[0] && (skipTransparent(creation.arguments[0]) as ts.Expression);
  if (!first) return undefined;
  if (!ts.isObjectLiteralExpression(first)) return ts.isIdentifier(first) || isMemberAccess(first) ? first : undefined;
  for (const property of first.properties) {
    const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    if (name !== 'server') continue;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
    if (ts.isPropertyAssignment(property)) {
      const value = skipTransparent(property.initializer) as ts.Expression;
      return ts.isIdentifier(value) || isMemberAccess(value) ? value : undefined;
    }
  }
  return undefined;
}

const trackServerNames: ReadonlySet<string> = new Set(['trackServer']);

function isServerValue(node: ts.Expression, file: DetectionFile): boolean {
  if (serverKindOf(node, file) !== undefined) return true;
  return valuesOf(node, file).some((value) => {
    let made = skipTransparent(value);
    // `trackServer(http.createServer(…))` is the server it wraps.
    if (file.isTrackerCall(made, trackServerNames) && ts.isCallExpression(made) && made.arguments[0]) made = skipTransparent(made.arguments[0]);
    return (ts.isCallExpression(made) || ts.isNewExpression(made)) && (serverKindOf(made, file) !== undefined || (ts.isCallExpression(made) && serverStartOf(made, file) !== undefined));
  });
}

/** What this file gives a name (its initializer and assignments) or `this.name` (assignments in the class, its initializer). */
function valuesOf(node: ts.Expression, file: DetectionFile): ts.Expression[] {
  const target = skipTransparent(node);
  const values: ts.Expression[] = [];
  if (ts.isIdentifier(target)) {
    const symbol = file.names.symbolOf(target);
    if (!symbol) return values;
    for (const declaration of file.names.declarationsOfSymbol(symbol)) {
      if (ts.isVariableDeclaration(declaration) && declaration.initializer) values.push(declaration.initializer);
    }
    for (const reference of file.names.referencesOf(symbol)) {
      const parent = parentOf(reference);
      if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && unparen(parent.left) === reference) values.push(parent.right);
    }
    return values;
  }
  if (!isMemberAccess(target) || unparen(target.expression).kind !== ts.SyntaxKind.ThisKeyword) return values;
  const name = memberName(target);
  const owner = classOf(target);
  if (name === undefined || !owner) return values;
  walk(owner, (child) => {
    if (ts.isPropertyDeclaration(child) && child.initializer && child.name && (ts.isIdentifier(child.name) || ts.isPrivateIdentifier(child.name)) && child.name.text === name) values.push(child.initializer);
    if (ts.isBinaryExpression(child) && child.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipTransparent(child.left);
      if (isMemberAccess(left) && unparen(left.expression).kind === ts.SyntaxKind.ThisKeyword && memberName(left) === name) values.push(child.right);
    }
  });
  return values;
}

/** A property (of an instance other modules are given), or a name the file exports (`export`, `module.exports`, `exports.x`). */
function reachableFromOtherFiles(server: ts.Expression, file: DetectionFile): boolean {
  const target = skipTransparent(server);
  if (!ts.isIdentifier(target)) return true;
  const symbol = file.names.symbolOf(target);
  if (!symbol) return false;
  for (const declaration of file.names.declarationsOfSymbol(symbol)) {
    const statement = declaration.parent?.parent;
    if (statement && ts.isVariableStatement(statement) && statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) return true;
  }
  return file.names.referencesOf(symbol).some((reference) => {
    for (let current: ts.Node = reference; current.parent; current = current.parent) {
      const parent: ts.Node = current.parent;
      if (ts.isExportSpecifier(parent) || ts.isExportAssignment(parent)) return true;
      if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === current) {
        const path = dottedPath(parent.left);
        return path !== undefined && (path === 'module.exports' || path.startsWith('module.exports.') || path.startsWith('exports.'));
      }
      if (!ts.isObjectLiteralExpression(parent) && !ts.isShorthandPropertyAssignment(parent) && !ts.isPropertyAssignment(parent)) return false;
    }
    return false;
  });
}

/** Whether two expressions name the same holder: one variable, or `this.x` of one class. */
function sameHolder(a: ts.Node, b: ts.Node, file: DetectionFile): boolean {
  const left = skipTransparent(a);
  const right = skipTransparent(b);
  if (ts.isIdentifier(left) && ts.isIdentifier(right)) {
    const symbol = file.names.symbolOf(left);
    return symbol !== undefined && symbol === file.names.symbolOf(right);
  }
  if (isMemberAccess(left) && isMemberAccess(right)) {
    const thisOf = (member: ts.Node): boolean => isMemberAccess(member) && unparen(member.expression).kind === ts.SyntaxKind.ThisKeyword;
    return thisOf(left) && thisOf(right) && memberName(left) === memberName(right) && classOf(left) === classOf(right);
  }
  return false;
}

function methodReceiverOf(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipTransparent(call.expression);
  return isMemberAccess(callee) ? unparen(callee.expression) : undefined;
}

function requireCall(call: ts.CallExpression): boolean {
  const callee = unparen(call.expression);
  return ts.isIdentifier(callee) && callee.text === 'require';
}

/** A creation returned to the caller, or closed by the code that made it: ownership's answer without a holder. */
function isOwnedElsewhere(node: ts.Node, file: DetectionFile): boolean {
  const ownership = resourceOwnership(node, file, closeMethodSet);
  return ownership.owned;
}

/** The nearest function is a declared one (a function declaration, a method, a function bound to a name), not a callback. */
function inNamedFunction(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isConstructorDeclaration(fn)) return true;
  const parent = parentOf(fn);
  return parent !== undefined && (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent));
}

/** `mongoose.connect(…)`: the module object it is called on holds the connection. */
function moduleHolderOf(node: ts.CallExpression | ts.NewExpression): Holder | undefined {
  const callee = skipTransparent(node.expression);
  if (!isMemberAccess(callee)) return undefined;
  const object = skipTransparent(callee.expression);
  if (!ts.isIdentifier(object)) return undefined;
  return { text: object.text, symbol: undefined, member: undefined, identifier: object, statement: enclosingStatement(node) };
}

function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isExpressionStatement(current) || ts.isVariableStatement(current)) return current;
    if (ts.isBlock(current) || ts.isSourceFile(current) || isFunctionLikeNode(current)) return undefined;
  }
  return undefined;
}

function isFunctionLikeNode(node: ts.Node): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node);
}

function knownOrKafka(node: ts.CallExpression | ts.NewExpression, file: DetectionFile): ResourceKind | undefined {
  return knownKindOf(file.origin(node)) ?? kafkaKindOf(node, file);
}

/** A server no-untracked-server judges (a ws server given a port, a Node server), or a timer: never reported twice. */
function isOtherRulesBusiness(node: ts.CallExpression | ts.NewExpression, file: DetectionFile): boolean {
  if (ts.isNewExpression(node) && serverStartOf(node, file) !== undefined) return true;
  return serverKindOf(node, file) !== undefined;
}

interface Holder {
  /** `client`, or `this.client`. */
  readonly text: string;
  readonly symbol: NameSymbol | undefined;
  /** For `this.x`: the member name and its class. */
  readonly member: { readonly name: string; readonly owner: ts.ClassLikeDeclaration } | undefined;
  readonly statement: ts.Statement | undefined;
  readonly identifier: ts.Identifier | undefined;
}

/** Where a creation's value is kept: `const client = new Redis()`, `client = await connect()`, `this.client = …`. */
function holderOf(creation: ts.Node): Holder | undefined {
  let value: ts.Node = creation;
  while (value.parent && (ts.isAwaitExpression(value.parent) || ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent) || ts.isNonNullExpression(value.parent))) {
    value = value.parent;
  }
  const parent = value.parent;
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent) && parent.initializer === value && ts.isIdentifier(parent.name)) {
    const statement = parent.parent?.parent;
    return {
      text: parent.name.text,
      symbol: undefined,
      member: undefined,
      identifier: parent.name,
      statement: statement && ts.isVariableStatement(statement) ? statement : undefined,
    };
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === value) {
    const left = unparen(parent.left);
    const statement = parentOf(parent);
    const asStatement = statement && ts.isExpressionStatement(statement) ? statement : undefined;
    if (ts.isIdentifier(left)) return { text: left.text, symbol: undefined, member: undefined, identifier: left, statement: asStatement };
    if (isMemberAccess(left) && unparen(left.expression).kind === ts.SyntaxKind.ThisKeyword) {
      const name = memberName(left);
      const owner = classOf(left);
      if (name !== undefined && owner) return { text: `this.${name}`, symbol: undefined, member: { name, owner }, identifier: undefined, statement: asStatement };
    }
  }
  if (ts.isPropertyDeclaration(parent) && parent.initializer === value && parent.name && (ts.isIdentifier(parent.name) || ts.isPrivateIdentifier(parent.name))) {
    const owner = parent.parent;
    if (ts.isClassDeclaration(owner) || ts.isClassExpression(owner)) {
      return { text: `this.${parent.name.text}`, symbol: undefined, member: { name: parent.name.text, owner }, identifier: undefined, statement: undefined };
    }
  }
  return undefined;
}

function memberName(member: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (ts.isPropertyAccessExpression(member) && ts.isPrivateIdentifier(member.name)) return member.name.text;
  return staticPropertyName(member);
}

function classOf(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return current;
  }
  return undefined;
}

/**
 * Closed at shutdown: the ownership analysis finds it closed in a stop path (a function or method named as one, an
 * `onShutdown` hook, a stop event's listener…) or by the code that made it once its work is done — except when that
 * stop path is a signal handler for another signal than SIGTERM (a SIGINT handler does not run when a container stops);
 * or a close-like method is called on it, or it is passed to a call, inside a SIGTERM listener (also by reference) or
 * what it calls, or a callback given to a shutdown library.
 */
function isClosedAtShutdown(creation: ts.Node, holder: Holder, file: DetectionFile): boolean {
  const ownership = resourceOwnership(creation, file, closeMethodSet);
  if (ownership.owned && !(ownership.by === 'stop-path' && /^the SIG(?!TERM\b)/.test(ownership.stopPath))) return true;
  const uses: ts.Node[] = [];
  if (holder.identifier) {
    const symbol = file.names.symbolOf(holder.identifier);
    if (!symbol) return false;
    for (const reference of file.names.referencesOf(symbol)) if (reference !== holder.identifier) uses.push(reference);
  } else if (holder.member) {
    const { name, owner } = holder.member;
    walk(owner, (node) => {
      if (isMemberAccess(node) && unparen(node.expression).kind === ts.SyntaxKind.ThisKeyword && memberName(node) === name) uses.push(node);
    });
  }
  return uses.some((use) => {
    const parent = parentOf(use);
    if (!parent) return false;
    let closing = false;
    if (isMemberAccess(parent) && unparen(parent.expression) === unparen(use as ts.Expression)) {
      const method = staticPropertyName(parent);
      const call = parentOf(parent);
      closing = method !== undefined && closeMethodSet.has(method) && call !== undefined && ts.isCallExpression(call) && unparen(call.expression) === parent;
    } else if (ts.isCallExpression(parent) && isAmong(use, parent.arguments)) {
      closing = true;
    }
    return closing && isInsideShutdownPath(use, file);
  });
}

/** Owner token of the per-file cache of {@link functionsRunAtLoad}. */
const loadOwner = {};
const maxLoadFunctions = 100;

/**
 * The functions of the file that run when it loads: called at top level (also in a promise chain or an immediately
 * invoked function there), by name or by reference (`new App().start()`), and what they call in turn.
 */
export function functionsRunAtLoad(file: DetectionFile): ReadonlySet<FunctionLike> {
  const cache = file.fileCache<'functions', ReadonlySet<FunctionLike>>(loadOwner);
  const cached = cache.get('functions');
  if (cached) return cached;
  const starts: FunctionLike[] = [];
  for (const call of file.calls) {
    if (!isAtModuleLevel(call)) continue;
    const callee = calledFunction(call, file) ?? constructedClassMethod(call, file);
    if (callee) starts.push(callee);
  }
  if (/\bclass\b/.test(file.sourceFile.text)) starts.push(...constructorsRunAtLoad(file));
  const reached = functionsReachedFrom(starts, file, maxLoadFunctions);
  cache.set('functions', reached);
  return reached;
}

/** Constructors of the file's classes instantiated at module level: `const app = new App()`. */
function constructorsRunAtLoad(file: DetectionFile): FunctionLike[] {
  const found: FunctionLike[] = [];
  walk(file.sourceFile, (node) => {
    if (!ts.isNewExpression(node) || !isAtModuleLevel(node)) return;
    const origin = file.origin(node.expression);
    if (origin.kind !== 'class') return;
    for (const member of origin.node.members) if (ts.isConstructorDeclaration(member) && member.body) found.push(member);
  });
  return found;
}

/** `new App().start()`: the method of a class of this file called on a fresh instance. */
function constructedClassMethod(call: ts.CallExpression, file: DetectionFile): FunctionLike | undefined {
  const callee = skipTransparent(call.expression);
  if (!isMemberAccess(callee)) return undefined;
  const instance = skipTransparent(callee.expression);
  if (!ts.isNewExpression(instance)) return undefined;
  const origin = file.origin(instance.expression);
  const name = staticPropertyName(callee);
  if (origin.kind !== 'class' || name === undefined) return undefined;
  for (const member of origin.node.members) {
    if (ts.isMethodDeclaration(member) && member.body && member.name && ts.isIdentifier(member.name) && member.name.text === name) return member;
  }
  return undefined;
}

/**
 * Whether a creation runs when the module loads: its nearest function is one that runs then (seen through callbacks of
 * promise chains and immediately invoked functions), or it is at module level. A creation inside a callback that a
 * loading function passes on (a route handler, say) runs later, once per call: not a long-lived object.
 */
function runsAtLoad(node: ts.Node, loading: ReadonlySet<FunctionLike>): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (loading.has(fn)) return true;
    if (!runsInPlace(fn)) return false;
  }
  return true;
}
