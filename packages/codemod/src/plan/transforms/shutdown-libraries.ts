import { Node, SyntaxKind, type CallExpression, type ObjectLiteralExpression } from 'ts-morph';
import { insertion } from '../edits.js';
import type { Finding, TransformContext } from '../../find/findings.js';
import { REGISTER_MODULE } from '../shim.js';
import { existingShimNames } from './shim-names.js';
import { atNode } from './signal-ownership.js';
import { semicolon } from './statement-edits.js';

/** Libraries that take the signals by name and exit after their own teardown, and how to run the drain first. */
const HOOK_BEFORE_TEARDOWN: Readonly<Record<string, string>> = { 'http-graceful-shutdown': 'preShutdown' };

const connected = new WeakSet<TransformContext>();

/**
 * A service that hands SIGTERM to a shutdown library (`gracefulShutdown(server, { signals: 'SIGINT SIGTERM', … })`)
 * has its shutdown handling already; the shim's work (tracked timers, tasks) must drain inside it, or nothing ever
 * drains it. For http-graceful-shutdown the drain goes into its `preShutdown` (run before it closes the server and
 * calls the app's `onShutdown`), so one SIGTERM runs the shim's drain and the app's teardown once each, timers
 * first: `preShutdown: async (signal) => { await shutdown(signal); }`. Another library given signal names, or one
 * whose hook is already set, gets a review item. Called by the transforms that put work on the shim; once a file.
 */
export function connectShutdownLibraries(context: TransformContext, finding: Finding): void {
  if (connected.has(context)) return;
  connected.add(context);
  const role = (context as { readonly role?: { readonly role: string } }).role;
  if (role && role.role !== 'service') return;
  const shimNames = existingShimNames(context.sourceFile);
  if (shimNames.has('shutdown') || context.text.includes(REGISTER_MODULE)) return;
  const libraries = libraryImports(context);
  for (const call of context.sourceFile.getDescendants().filter(Node.isCallExpression)) {
    const callee = call.getExpression();
    const library = Node.isIdentifier(callee) ? libraries.get(callee.getText()) : undefined;
    const hook = library === undefined ? undefined : HOOK_BEFORE_TEARDOWN[library];
    if (hook !== undefined) {
      connectHook(call, hook, context, finding);
    } else if (passesSignalNames(call)) {
      context.review(
        call,
        atNode(finding, call),
        `this hands the shutdown signals to ${callee.getText()}, which owns them: await the shim's shutdown(signal) in its hook that runs before its own teardown, so tracked work drains (nothing else starts the drain)`,
      );
    }
  }
}

function connectHook(call: CallExpression, hook: string, context: TransformContext, finding: Finding): void {
  const options = call.getArguments()[1];
  if (options !== undefined && !Node.isObjectLiteralExpression(options)) {
    context.review(call, atNode(finding, call), `await the shim's shutdown(signal) in this call's ${hook} option, so tracked work drains before its teardown`);
    return;
  }
  if (options && hasProperty(options, hook)) {
    context.review(call, atNode(finding, call), `${hook} is set already: await the shim's shutdown(signal) at its start, so tracked work drains before the teardown`);
    return;
  }
  const shutdown = context.imports.localName('shutdown');
  const property = `${hook}: async (signal) => { await ${shutdown}(signal)${semicolon(context.style.semicolons)} }`;
  if (!options) {
    const server = call.getArguments()[0];
    if (!server) return;
    context.edit(insertion(server.getEnd(), `, { ${property} }`));
    return;
  }
  const open = options.getFirstChildByKindOrThrow(SyntaxKind.OpenBraceToken);
  const first = options.getProperties()[0];
  if (first && first.getStartLineNumber() !== options.getStartLineNumber()) {
    const indent = /^[ \t]*/.exec(context.text.slice(first.getStartLinePos(), first.getStart()))?.[0] ?? '  ';
    context.edit(insertion(open.getEnd(), `${context.style.eol}${indent}${property},`));
  } else {
    context.edit(insertion(open.getEnd(), ` ${property}${first ? ',' : ' '}`));
  }
}

function hasProperty(options: ObjectLiteralExpression, name: string): boolean {
  return options.getProperties().some((property) => (Node.isPropertyAssignment(property) || Node.isMethodDeclaration(property) || Node.isShorthandPropertyAssignment(property)) && property.getName() === name);
}

/** Local names bound to a known shutdown library's default export (`import gs from '…'`, `const gs = require('…')`). */
function libraryImports(context: TransformContext): Map<string, string> {
  const names = new Map<string, string>();
  for (const declaration of context.sourceFile.getImportDeclarations()) {
    const module = declaration.getModuleSpecifierValue();
    const local = declaration.getDefaultImport()?.getText() ?? declaration.getNamespaceImport()?.getText();
    if (module in HOOK_BEFORE_TEARDOWN && local) names.set(local, module);
  }
  for (const declaration of context.sourceFile.getDescendants().filter(Node.isVariableDeclaration)) {
    const initializer = declaration.getInitializer();
    if (!Node.isCallExpression(initializer) || initializer.getExpression().getText() !== 'require') continue;
    const [module] = initializer.getArguments();
    if (module && Node.isStringLiteral(module) && module.getLiteralValue() in HOOK_BEFORE_TEARDOWN && Node.isIdentifier(declaration.getNameNode())) {
      names.set(declaration.getName(), module.getLiteralValue());
    }
  }
  return names;
}

/** A library call given the shutdown signals by name: `'SIGINT SIGTERM'`, `['SIGINT', 'SIGTERM']` (not `child.kill('SIGTERM')`). */
function passesSignalNames(call: CallExpression): boolean {
  const callee = call.getExpression();
  if (Node.isPropertyAccessExpression(callee)) {
    if (callee.getExpression().getText() === 'process' || NOT_A_HANDOVER.has(callee.getName())) return false;
  } else if (!Node.isIdentifier(callee)) {
    return false;
  }
  return call.getArguments().some((argument) =>
    [argument, ...argument.getDescendants()].some(
      (node) => (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) && SIGNAL_NAMES.test(node.getLiteralValue()) && /SIG(TERM|INT)/.test(node.getLiteralValue()),
    ),
  );
}

/** Only signal names, separated by spaces or commas. */
const SIGNAL_NAMES = /^\s*SIG[A-Z0-9]+(?:[\s,]+SIG[A-Z0-9]+)*\s*$/;
/** Calls that name a signal without taking over its handling. */
const NOT_A_HANDOVER = new Set(['kill', 'emit', 'on', 'once', 'off', 'addListener', 'removeListener', 'removeAllListeners', 'listenerCount', 'listeners', 'log', 'info', 'warn', 'error', 'debug']);

/** The shutdown library call (`gracefulShutdown(server, …)`) that `server` is handed to, if any: it closes that server. */
export function shutdownLibraryClosing(server: Node, context: TransformContext): string | undefined {
  if (!Node.isIdentifier(server)) return undefined;
  const libraries = libraryImports(context);
  for (const call of context.sourceFile.getDescendants().filter(Node.isCallExpression)) {
    const callee = call.getExpression();
    const library = Node.isIdentifier(callee) ? libraries.get(callee.getText()) : undefined;
    if (library !== undefined && call.getArguments()[0]?.getText() === server.getText()) return library;
  }
  return undefined;
}
