import { Node, SyntaxKind, type Expression } from 'ts-morph';
import { insertion, replacement, wrap } from '../edits.js';
import { forEachReportedNode, type Finding, type Transform, type TransformContext } from '../../find/findings.js';
import { connectShutdownLibraries } from './shutdown-libraries.js';
import { removalOfStatement } from './statement-edits.js';
import { bodyBlock, isAsyncFunction, returnsValue, stopPathSiteOf, type StopPathSite } from './stop-paths.js';
import { nameOption, taskNameOf } from './task-names.js';

const isExpression = (node: Node): node is Expression => Node.isExpression(node);

/** Array methods whose result holds promises that existed before the call (copies and removals, not new work). */
const COPYING_ARRAY_METHODS = new Set([
  'splice', 'slice', 'filter', 'concat', 'reverse', 'sort', 'flat', 'values', 'fill', 'copyWithin',
  'toSorted', 'toSpliced', 'toReversed', 'with',
]);
/** Calls whose array result is made of promises started by the call itself. */
const FRESH_ARRAY_CALLS = new Set(['map', 'flatMap', 'from']);

/**
 * A dropped promise. The rewrite never makes the code do less or fail more:
 * - inside a stop path (`stop()`, `close()`, …) the work is part of stopping: it is awaited (async), returned (the
 *   last statement of a sync stop path) or given to the `resolve()` that follows it in the promise the stop path
 *   returns, so callers of `await x.stop()` wait for it;
 * - otherwise `void track(expr, { name })`: `track` returns a promise that rejects exactly when `expr` does and
 *   marks `expr` handled, so a rejection is neither swallowed nor doubled; `void` keeps typescript-eslint's
 *   `no-floating-promises` quiet; the name is what the deadline report shows;
 * - a value that may not be a promise (an optional call `a?.b()`, a conditional) goes through `Promise.resolve`
 *   first, because `track` throws on a value that is not a promise (a TypeError the original never had);
 * - a fresh array of promises (`items.map(async …)`) becomes `Promise.all(…)`: it rejects on the first rejection,
 *   as the first unhandled element did before;
 * - promises that existed before (a reference, `list.splice(i, 1)`) get a review item: tracking them here would
 *   add a second rejection that nobody handles where their owner already handles it.
 */
export const noUntrackedPromise: Transform = {
  ruleId: 'quiesce/no-untracked-promise',
  apply(findings, context) {
    forEachReportedNode(findings, context, isExpression, (node, finding) => {
      const value = Node.isVoidExpression(node) ? node.getExpression() : node;
      const stopPath = stopPathSiteOf(value);
      if (stopPath) {
        waitInStopPath(stopPath, node, value, finding, context);
        return;
      }
      const role = roleOf(context);
      if (role && role.role !== 'service') {
        // Library code owns no process: the work is the owner's to wait for, not the shim's to track.
        context.review(
          statementOf(node),
          finding,
          `${role.role} code (${role.reason}) gets no shim: keep this promise and await it in the owner's stop path (close/stop/flush), or return it to the caller`,
        );
        return;
      }
      const untilClose = settlesOnlyAtClose(value, context);
      if (untilClose !== undefined) {
        context.review(statementOf(node), finding, untilClose);
        return;
      }
      const made = madeHere(value, finding);
      if (made !== true) {
        context.review(statementOf(node), finding, made);
        return;
      }
      const track = context.imports.localName('track');
      connectShutdownLibraries(context, finding);
      const isArray = finding.data['kind'] === 'array';
      const mayNotBePromise = !isArray && mayBeOtherThanPromise(value);
      // `void` keeps typescript-eslint's no-floating-promises quiet on the statement (`void x` already has it).
      const statementLevel = !Node.isVoidExpression(node) && Node.isExpressionStatement(node.getParent());
      const [first, second] = needsParentheses(value, 'argument') ? ['(', ')'] : ['', ''];
      const open = `${statementLevel ? 'void ' : ''}${track}(${isArray ? 'Promise.all(' : mayNotBePromise ? 'Promise.resolve(' : ''}${first}`;
      const close = `${second}${isArray || mayNotBePromise ? ')' : ''}, ${nameOption(taskNameOf(value), context.style)})`;
      context.edit(...wrap(value.getStart(), value.getEnd(), open, close));
    });
  },
};

/** Modules whose queue's `process()` returns a promise that settles only when the queue closes. */
const PROCESS_UNTIL_CLOSE_MODULES = ['bull'];

/**
 * Why a promise must not be tracked because it settles only when its owner closes, or undefined: Bull's
 * `queue.process(…)` resolves when the queue is closed, so tracking it would hold the drain until its deadline
 * whenever the queue runs. Its owner is the queue: closing it (which lets active jobs finish) is the shutdown step.
 */
function settlesOnlyAtClose(value: Expression, context: TransformContext): string | undefined {
  if (!PROCESS_UNTIL_CLOSE_MODULES.some((module) => context.text.includes(`'${module}'`) || context.text.includes(`"${module}"`))) return undefined;
  const target = unparenthesised(value);
  if (!Node.isCallExpression(target)) return undefined;
  const callee = target.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'process') return undefined;
  const queue = callee.getExpression().getText();
  const constructors = bullConstructors(context);
  const isQueue = context.sourceFile.getDescendantsOfKind(SyntaxKind.NewExpression).some((created) => {
    if (!constructors.has(created.getExpression().getText())) return false;
    const parent = created.getParent();
    if (Node.isVariableDeclaration(parent)) return parent.getName() === queue;
    return Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken && parent.getLeft().getText() === queue;
  });
  if (!isQueue) return undefined;
  return `Bull's ${queue}.process() settles only when the queue closes, so tracking it would hold the drain until its deadline; what ends it is closing the queue at shutdown (${queue}.close() in an onShutdown hook, which lets active jobs finish)`;
}

/** Local names of Bull's Queue class (`const Queue = require('bull')`, `import Queue from 'bull'`). */
function bullConstructors(context: TransformContext): Set<string> {
  const names = new Set<string>();
  for (const declaration of context.sourceFile.getImportDeclarations()) {
    if (!PROCESS_UNTIL_CLOSE_MODULES.includes(declaration.getModuleSpecifierValue())) continue;
    const local = declaration.getDefaultImport()?.getText() ?? declaration.getNamespaceImport()?.getText();
    if (local) names.add(local);
  }
  for (const call of context.sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const [module] = call.getArguments();
    if (call.getExpression().getText() !== 'require' || !module || !Node.isStringLiteral(module)) continue;
    if (!PROCESS_UNTIL_CLOSE_MODULES.includes(module.getLiteralValue())) continue;
    const parent = call.getParent();
    if (Node.isVariableDeclaration(parent) && Node.isIdentifier(parent.getNameNode())) names.add(parent.getName());
  }
  return names;
}

/** True when the promise is made by this expression (a call); else why it must not be tracked here. */
function madeHere(value: Expression, finding: Finding): true | string {
  const target = unparenthesised(value);
  if (finding.data['kind'] === 'array') {
    if (Node.isCallExpression(target)) {
      const callee = target.getExpression();
      const method = Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
      if (method !== undefined && COPYING_ARRAY_METHODS.has(method)) {
        return `these promises were made elsewhere and are only taken out of a list here; track them where they are made (tracking them here would add a rejection nobody handles)`;
      }
      if (method === undefined || FRESH_ARRAY_CALLS.has(method) || !COPYING_ARRAY_METHODS.has(method)) return true;
    }
    return 'this array holds promises made elsewhere; track them where they are made';
  }
  if (Node.isCallExpression(target) || Node.isNewExpression(target) || Node.isAwaitExpression(target)) return true;
  if (Node.isBinaryExpression(target) || Node.isConditionalExpression(target)) return true;
  if (Node.isTaggedTemplateExpression(target)) return true;
  return 'this promise was made elsewhere (it is a reference); track it where it is made, so that its owner keeps handling its rejection';
}

/** `a?.b()`, `x ? p : undefined`, `ok && start()`: may give a value `track` would refuse. */
function mayBeOtherThanPromise(value: Expression): boolean {
  const target = unparenthesised(value);
  if (Node.isConditionalExpression(target) || Node.isBinaryExpression(target)) return true;
  for (let current: Node = target; ; ) {
    if (Node.isCallExpression(current) || Node.isPropertyAccessExpression(current) || Node.isElementAccessExpression(current)) {
      if (current.hasQuestionDotToken()) return true;
      current = current.getExpression();
    } else if (Node.isNonNullExpression(current) || Node.isParenthesizedExpression(current)) {
      current = current.getExpression();
    } else {
      return false;
    }
  }
}

function waitInStopPath(site: StopPathSite, node: Expression, value: Expression, finding: Finding, context: TransformContext): void {
  const { stopPath, statement, executor } = site;
  if (executor) {
    const settle = resolveAfter(statement, executor);
    if (!settle) {
      context.review(statementOf(node), finding, `${stopName(site)} resolves without waiting for this work; settle its promise with it (resolve(work)) so callers wait`);
      return;
    }
    // `work(); resolve();` → `resolve(work());`: the stop path's promise settles when the work has.
    const [first, second] = needsParentheses(value, 'argument') ? ['(', ')'] : ['', ''];
    const openParen = settle.getFirstChildByKindOrThrow(SyntaxKind.OpenParenToken);
    context.edit(removalOfStatement(context.text, statement));
    context.edit(insertion(openParen.getEnd(), `${first}${value.getText()}${second}`));
    return;
  }
  if (isAsyncFunction(stopPath)) {
    const [first, second] = needsParentheses(value, 'await') ? ['(', ')'] : ['', ''];
    if (Node.isVoidExpression(node)) context.edit(replacement(node.getStart(), value.getStart(), `await ${first}`));
    else context.edit(insertion(value.getStart(), `await ${first}`, -value.getWidth()));
    if (second) context.edit(insertion(value.getEnd(), second, value.getWidth()));
    return;
  }
  const body = bodyBlock(stopPath);
  const statements = body?.getStatements() ?? [];
  const canReturn =
    statements[statements.length - 1] === statement &&
    !returnsValue(stopPath) &&
    !Node.isConstructorDeclaration(stopPath) &&
    !Node.isSetAccessorDeclaration(stopPath) &&
    !(Node.isGeneratorable(stopPath) && stopPath.isGenerator()) &&
    !(Node.isReturnTyped(stopPath) && stopPath.getReturnTypeNode());
  if (!canReturn) {
    context.review(statementOf(node), finding, `${stopName(site)} returns before this work is done; await it (make ${stopName(site)} async) or return it, so callers wait`);
    return;
  }
  // The last statement of a sync stop path: returning the promise lets `await x.stop()` wait for it.
  if (Node.isVoidExpression(node)) context.edit(replacement(node.getStart(), value.getStart(), 'return '));
  else context.edit(insertion(statement.getStart(), 'return ', -statement.getWidth()));
}

/** The `resolve()` call (no arguments) of the executor's first parameter right after `statement`. */
function resolveAfter(statement: Node, executor: Node): import('ts-morph').CallExpression | undefined {
  if (!Node.isArrowFunction(executor) && !Node.isFunctionExpression(executor)) return undefined;
  const resolveName = executor.getParameters()[0]?.getNameNode();
  if (!resolveName || !Node.isIdentifier(resolveName)) return undefined;
  if (statement.getParent() !== executor.getBody()) return undefined;
  const next = statement.getNextSibling();
  if (!Node.isExpressionStatement(next)) return undefined;
  const call = next.getExpression();
  if (!Node.isCallExpression(call) || call.getArguments().length > 0) return undefined;
  return call.getExpression().getText() === resolveName.getText() ? call : undefined;
}

function stopName(site: StopPathSite): string {
  const fn = site.stopPath;
  const name = Node.isMethodDeclaration(fn) || Node.isFunctionDeclaration(fn) ? fn.getName() : undefined;
  return name ? `${name}()` : 'this stop path';
}

function unparenthesised(node: Expression): Expression {
  let current = node;
  while (Node.isParenthesizedExpression(current)) current = current.getExpression();
  return current;
}

/** Whether `node` must be parenthesised as a call argument (a comma expression) or after `await`. */
function needsParentheses(node: Expression, position: 'argument' | 'await'): boolean {
  if (Node.isBinaryExpression(node)) {
    return position === 'await' || node.getOperatorToken().getKind() === SyntaxKind.CommaToken;
  }
  if (position === 'argument') return false;
  return Node.isConditionalExpression(node) || Node.isArrowFunction(node) || Node.isYieldExpression(node);
}

/** The statement a dropped promise is, when it is one (the review marker goes above it), else the node. */
function statementOf(node: Expression): Node {
  const parent = node.getParent();
  return Node.isExpressionStatement(parent) ? parent : node;
}

/** The file's role (the plugin's roleOf, given by the pipeline); absent: a service. */
function roleOf(context: TransformContext): { readonly role: string; readonly reason: string } | undefined {
  return (context as { readonly role?: { readonly role: string; readonly reason: string } }).role;
}
