import { Node, SyntaxKind, type CallExpression, type ObjectLiteralExpression } from 'ts-morph';
import { insertion } from '../edits.js';
import type { Finding, TransformContext } from '../../find/findings.js';
import { REGISTER_MODULE } from '../shim.js';
import { existingShimNames } from './shim-names.js';
import { atNode } from './signal-ownership.js';
import { insertionAtBlockStart, semicolon } from './statement-edits.js';
import { connectOwnSignalListeners } from './signal-listeners.js';
import { NEST_HOOKS_REVIEW, nestHandOverOf } from './nest-hooks.js';
import { gracefulShutdownPlanOf, isReportedGracefulShutdown } from './http-graceful-shutdown.js';

/**
 * Libraries that own the shutdown signals and exit after their own teardown, and where the drain goes so that it runs
 * first: an option of the call (http-graceful-shutdown's `preShutdown`, run before it closes the server and calls the
 * app's `onShutdown`), or the start of the teardown callback itself (close-with-grace's `fn({ signal, err, manual })`,
 * after which it exits).
 */
const HOOK_BEFORE_TEARDOWN: Readonly<Record<string, { readonly option: string } | { readonly callback: true }>> = {
  'http-graceful-shutdown': { option: 'preShutdown' },
  'close-with-grace': { callback: true },
};

const connected = new WeakSet<TransformContext>();

/**
 * A service that hands SIGTERM to a shutdown library (`gracefulShutdown(server, { signals: 'SIGINT SIGTERM', … })`)
 * has its shutdown handling already; the shim's work (tracked timers, tasks) must drain inside it, or nothing ever
 * drains it. For http-graceful-shutdown the drain goes into its `preShutdown` (run before it closes the server and
 * calls the app's `onShutdown`), so one SIGTERM runs the shim's drain and the app's teardown once each, timers
 * first: `preShutdown: async (signal) => { await shutdown(signal); }`. Another library given signal names, or one
 * whose hook is already set, gets a review item. The service's own async signal listeners are connected too
 * (signal-listeners.ts). Called by the transforms that put work on the shim; once a file.
 */
export function connectShutdownLibraries(context: TransformContext, finding: Finding): void {
  if (connected.has(context)) return;
  connected.add(context);
  const role = (context as { readonly role?: { readonly role: string } }).role;
  if (role && role.role !== 'service') return;
  // Walking every node of the file through ts-morph costs more than the rest of the rewrite (a profile of the bench
  // corpus: 13 of 18 s): only a file that names a library or a shutdown signal can hand its shutdown over.
  if (!namesLibrary(context.text) && !/SIG(?:TERM|INT)|enableShutdownHooks/.test(context.text)) return;
  const shimNames = existingShimNames(context.sourceFile);
  if (shimNames.has('shutdown') || context.text.includes(REGISTER_MODULE)) return;
  connectOwnSignalListeners(context, finding);
  const libraries = libraryImports(context);
  for (const call of context.sourceFile.getDescendants().filter(Node.isCallExpression)) {
    const callee = call.getExpression();
    const library = Node.isIdentifier(callee) ? libraries.get(callee.getText()) : undefined;
    const hook = library === undefined ? undefined : HOOK_BEFORE_TEARDOWN[library];
    if (hook !== undefined && 'option' in hook) {
      // Handed to the shim (no-untracked-server's transform replaces the call): nothing to connect.
      if (isReportedGracefulShutdown(call, context) && 'handOver' in gracefulShutdownPlanOf(call, context)) continue;
      connectHook(call, hook.option, context, finding);
    } else if (hook !== undefined) {
      connectTeardownCallback(call, context, finding);
    } else if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'enableShutdownHooks') {
      // Nest's own signal listener closes the app and re-raises the signal: nothing would drain the tracked work,
      // unless the app's reported listen hands the signals to the shim (no-untracked-server's transform does it).
      const plan = nestHandOverOf(callee.getExpression().getText(), context);
      const handedOver = plan !== undefined && 'handOver' in plan && context.allFindings.some((other) => other.messageId === 'closedByNestShutdownHooks');
      if (!handedOver) context.review(call, atNode(finding, call), plan && 'review' in plan ? plan.review : NEST_HOOKS_REVIEW);
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

/**
 * `closeWithGrace(opts, async ({ signal }) => { await app.close() })` → the callback starts with
 * `await shutdown(signal)`: close-with-grace calls it once, at the first signal (or error, or normal exit), and exits
 * when it settles, so the shim's intake, drain and cleanup run before the app's own teardown, once each. A callback
 * that is not an inline async function (the `done` callback style, a reference) gets a review item: making it async
 * would change how close-with-grace waits for it.
 */
function connectTeardownCallback(call: CallExpression, context: TransformContext, finding: Finding): void {
  const callback = call.getArguments().find((argument) => Node.isArrowFunction(argument) || Node.isFunctionExpression(argument));
  const reason = "await the shim's shutdown(signal) first in this teardown callback, so tracked work drains before the app's own teardown";
  if (!callback || !(Node.isArrowFunction(callback) || Node.isFunctionExpression(callback)) || !callback.isAsync()) {
    context.review(call, atNode(finding, call), `${reason} (it is not an inline async function, so the codemod leaves it to you)`);
    return;
  }
  const [parameter] = callback.getParameters();
  let signal: string;
  const edits: { position: number; text: string }[] = [];
  if (!parameter) {
    const open = callback.getFirstChildByKindOrThrow(SyntaxKind.OpenParenToken);
    signal = 'signal';
    edits.push({ position: open.getEnd(), text: '{ signal }' });
  } else {
    const nameNode = parameter.getNameNode();
    if (Node.isIdentifier(nameNode)) {
      signal = `${nameNode.getText()}.signal`;
    } else if (Node.isObjectBindingPattern(nameNode)) {
      const elements = nameNode.getElements();
      const element = elements.find((candidate) => (candidate.getPropertyNameNode()?.getText() ?? candidate.getName()) === 'signal');
      const last = elements.at(-1);
      if (element) {
        signal = element.getName();
      } else if (last && !last.getDotDotDotToken() && !/\bsignal\b/.test(callback.getText())) {
        // `async ({ err }) => …` (Fastify's demo app): the library passes `signal` beside `err`; destructuring it too
        // changes nothing else (no rest element to lose it from, no name `signal` to shadow).
        signal = 'signal';
        edits.push({ position: last.getEnd(), text: ', signal' });
      } else {
        const why = !last
          ? 'its parameter is an empty pattern'
          : last.getDotDotDotToken()
            ? 'its parameter ends in a rest element, which would lose `signal` if the codemod destructured it'
            : 'it already has a name `signal` of its own, which destructuring the library\'s would shadow';
        context.review(call, atNode(finding, call), `${reason} (${why}; take the library's signal into the callback)`);
        return;
      }
    } else {
      context.review(call, atNode(finding, call), reason);
      return;
    }
  }
  // Imported only now: a callback left to review must not leave an unused import behind.
  const shutdown = context.imports.localName('shutdown');
  const awaitDrain = `await ${shutdown}(${signal})`;
  const statement = `${awaitDrain}${semicolon(context.style.semicolons)}`;
  const body = callback.getBody();
  if (Node.isBlock(body)) {
    context.edit(insertionAtBlockStart(context.text, body, statement, context.style.eol));
  } else {
    // One line: the `;` separates the two statements whatever the file's style.
    edits.push({ position: body.getStart(), text: `{ ${awaitDrain}; return ` });
    edits.push({ position: body.getEnd(), text: `${semicolon(context.style.semicolons)} }` });
  }
  for (const edit of edits) context.edit(insertion(edit.position, edit.text));
}

/** Whether the file's text names a known shutdown library's module at all (a necessary condition of importing it). */
function namesLibrary(text: string): boolean {
  return Object.keys(HOOK_BEFORE_TEARDOWN).some((module) => text.includes(module));
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
  return call.getArguments().some(namesShutdownSignals);
}

/**
 * A value that gives signal names: the literal itself, or one inside an array or an options object — not one in a
 * function or a call passed along (`setImmediate(() => process.removeListener('SIGTERM', f))` hands nothing over).
 */
function namesShutdownSignals(node: Node): boolean {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) {
    return SIGNAL_NAMES.test(node.getLiteralValue()) && /SIG(TERM|INT)/.test(node.getLiteralValue());
  }
  if (Node.isArrayLiteralExpression(node)) return node.getElements().some(namesShutdownSignals);
  if (Node.isObjectLiteralExpression(node)) {
    return node.getProperties().some((property) => Node.isPropertyAssignment(property) && namesShutdownSignals(property.getInitializerOrThrow()));
  }
  return false;
}

/** Only signal names, separated by spaces or commas. */
const SIGNAL_NAMES = /^\s*SIG[A-Z0-9]+(?:[\s,]+SIG[A-Z0-9]+)*\s*$/;
/** Calls that name a signal without taking over its handling. */
const NOT_A_HANDOVER = new Set(['kill', 'emit', 'on', 'once', 'off', 'addListener', 'removeListener', 'removeAllListeners', 'listenerCount', 'listeners', 'log', 'info', 'warn', 'error', 'debug']);

/** The shutdown library call (`gracefulShutdown(server, …)`) that `server` is handed to, if any: it closes that server. */
export function shutdownLibraryClosing(server: Node, context: TransformContext): string | undefined {
  if (!Node.isIdentifier(server) || !namesLibrary(context.text)) return undefined;
  const libraries = libraryImports(context);
  for (const call of context.sourceFile.getDescendants().filter(Node.isCallExpression)) {
    const callee = call.getExpression();
    const library = Node.isIdentifier(callee) ? libraries.get(callee.getText()) : undefined;
    if (library !== undefined && call.getArguments()[0]?.getText() === server.getText()) return library;
  }
  return undefined;
}
