import { Node, SyntaxKind, type Expression, type Identifier } from 'ts-morph';
import { wrap } from '../edits.js';
import { forEachReportedNode, type Finding, type Transform, type TransformContext } from '../../find/findings.js';
import { connectShutdownLibraries } from './shutdown-libraries.js';
import { connectSignalListener, definitionOf, signalListenerBody, type Definition } from './signal-listeners.js';
import { nameOption, placeOf } from './task-names.js';
import { existingShimNames, isShimCall } from './shim-names.js';
import type { ShimExport } from '../shim.js';

const isExpression = (node: Node): node is Expression => Node.isExpression(node);

/**
 * An async callback whose promise the API drops → tracked, so each call's promise is drained:
 * - an inline function, or a bound method (`this.m.bind(this)`, a new function each time) → `trackCallback(fn, { name })`
 *   at the call;
 * - a name: a function used nowhere else is wrapped at the call too; one that is also referenced elsewhere
 *   (`removeListener(…, fn)`, `off`, `===`) is never wrapped at the call, which would make the registered listener
 *   another function than the one removed or compared: it is tracked where it is defined
 *   (`const fn = trackCallback(async () => …, { name })`; a function declaration becomes such a `const`), so every
 *   reference is the same function. Where that could change what the code does (a declaration used above itself,
 *   which hoisting allowed; a binding that is reassigned; a generic or overloaded function, whose types
 *   trackCallback would erase) it gets a review item;
 * - anything else (a property, a callback returned by a call) gets a review item: wrapping it at the call could
 *   break a later `off`/`removeListener` with the same value.
 */
export const noUntrackedAsyncCallback: Transform = {
  ruleId: 'quiesce/no-untracked-async-callback',
  apply(findings, context) {
    const shimNames = existingShimNames(context.sourceFile);
    const wrapped = new Set<Definition>();
    forEachReportedNode(findings, context, isExpression, (callback, finding) => {
      // Code that gets no shim (a library) is fixed by its owner: asking for the shim's name throws ShimRefused, whose
      // review says what to do there; the review items below would advise trackCallback(…), which it cannot use.
      if (context.role && context.role.role !== 'service') context.imports.localName('trackCallback');
      // A signal listener that awaits the shim's shutdown() (connected by no-abrupt-exit) must stay untracked:
      // the drain would wait for the listener, which waits for the drain.
      if (awaitsShimShutdown(callback, shimNames)) return;
      const listener = signalListenerBody(callback, context);
      if (listener !== undefined) {
        connectSignalListener(listener, context);
        return;
      }
      const siteName = `${finding.data['target'] ?? 'async'} callback (${placeOf(callback)})`;
      if (Node.isArrowFunction(callback) || Node.isFunctionExpression(callback) || isBind(callback)) {
        wrapAtSite(callback, siteName, context, finding);
        return;
      }
      if (!Node.isIdentifier(callback)) {
        context.review(
          callback,
          finding,
          Node.isCallExpression(callback)
            ? 'this callback is returned by a call; wrap it in trackCallback(…) where it is made, so that removing it later still matches'
            : 'this callback is a property that may be removed or compared elsewhere; wrap the function in trackCallback(…) where it is defined',
        );
        return;
      }
      const definition = definitionOf(callback);
      if (!isReferencedElsewhere(callback, definition, context)) {
        wrapAtSite(callback, callback.getText(), context, finding);
        return;
      }
      if (definition && isTrackedDefinition(definition, shimNames)) return;
      if (definition && wrapped.has(definition)) return;
      const refusal = definition ? whyNotWrappedAtDefinition(definition, callback, context) : 'it is not defined in this file';
      if (refusal === undefined && definition) {
        wrapAtDefinition(definition, context, finding);
        wrapped.add(definition);
        return;
      }
      context.review(
        callback,
        finding,
        `${callback.getText()} is also referenced elsewhere (removeListener, off, a comparison) and ${refusal}; wrap it in trackCallback(…) where it is defined, so every reference stays the same function`,
      );
    });
  },
};

/**
 * Why a function referenced elsewhere cannot be wrapped where it is defined without changing what the code does,
 * or undefined when it can.
 */
function whyNotWrappedAtDefinition(definition: Definition, use: Identifier, context: TransformContext): string | undefined {
  const name = use.getText();
  if (Node.isVariableDeclaration(definition)) {
    const initializer = definition.getInitializer();
    if (!initializer || !(Node.isArrowFunction(initializer) || Node.isFunctionExpression(initializer))) {
      return 'its value is not a function written here';
    }
    if (initializer.getTypeParameters().length > 0) return 'it is generic (trackCallback would erase its type parameters)';
    if (definition.getVariableStatement()?.getDeclarationKind() !== 'const' && isAssigned(name, context)) {
      return 'it is reassigned';
    }
    return undefined;
  }
  if (!definition.getBody()) return 'it has no body here';
  if (definition.getOverloads().length > 0) return 'it is overloaded (trackCallback would erase its overloads)';
  if (definition.getTypeParameters().length > 0) return 'it is generic (trackCallback would erase its type parameters)';
  if (definition.isDefaultExport()) return 'it is the default export';
  if (definition.isGenerator()) return 'it is a generator';
  const usedAbove = context.names.occurrences(name).some((start) => start < definition.getStart());
  if (usedAbove) return 'it is used above its declaration (a const would not be hoisted)';
  if (isAssigned(name, context)) return 'it is reassigned';
  return undefined;
}

/** Whether any occurrence of the name is the target of an assignment (`f = …`, `f += …`, `f++`). */
function isAssigned(name: string, context: TransformContext): boolean {
  return context.names.occurrences(name).some((start) => {
    const identifier = context.sourceFile.getDescendantAtPos(start);
    const parent = identifier?.getParent();
    if (!identifier || !parent) return false;
    if (Node.isBinaryExpression(parent)) {
      return parent.getLeft() === identifier && parent.getOperatorToken().getKind() >= SyntaxKind.FirstAssignment && parent.getOperatorToken().getKind() <= SyntaxKind.LastAssignment;
    }
    return Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent);
  });
}

/**
 * `const f = async () => …` → `const f = trackCallback(async () => …, { name: 'f' })`;
 * `async function f(…) {…}` → `const f = trackCallback(async function f(…) {…}, { name: 'f' });` (an `export` kept).
 */
function wrapAtDefinition(definition: Definition, context: TransformContext, finding: Finding): void {
  const trackCallback = context.imports.localName('trackCallback');
  connectShutdownLibraries(context, finding);
  const name = definition.getName() ?? 'callback';
  const close = `, ${nameOption(name, context.style)})`;
  if (Node.isVariableDeclaration(definition)) {
    const initializer = definition.getInitializerOrThrow();
    context.edit(...wrap(initializer.getStart(), initializer.getEnd(), `${trackCallback}(`, close));
    return;
  }
  const keywordStart = definition.getModifiers().find((modifier) => modifier.getKind() === SyntaxKind.AsyncKeyword)?.getStart()
    ?? definition.getFirstChildByKindOrThrow(SyntaxKind.FunctionKeyword).getStart();
  context.edit(...wrap(keywordStart, definition.getEnd(), `const ${name} = ${trackCallback}(`, `${close}${context.style.semicolons ? ';' : ''}`));
}

function awaitsShimShutdown(callback: Node, shimNames: ReadonlyMap<ShimExport, string>): boolean {
  if (!Node.isArrowFunction(callback) && !Node.isFunctionExpression(callback)) return false;
  return callback.getDescendantsOfKind(SyntaxKind.AwaitExpression).some((awaited) => isShimCall(awaited.getExpression(), 'shutdown', shimNames));
}

/** Tracked where it is defined by an earlier run: `const f = trackCallback(…)`, or a body that is `return track(…)`. */
function isTrackedDefinition(definition: Definition, shimNames: ReadonlyMap<ShimExport, string>): boolean {
  if (Node.isVariableDeclaration(definition)) return isShimCall(definition.getInitializer(), 'trackCallback', shimNames);
  const statements = definition.getBody() && Node.isBlock(definition.getBody()) ? definition.getStatements() : [];
  const only = statements.length === 1 ? statements[0] : undefined;
  return Node.isReturnStatement(only) && isShimCall(only.getExpression(), 'track', shimNames);
}

function isBind(node: Node): boolean {
  if (!Node.isCallExpression(node)) return false;
  const callee = node.getExpression();
  return Node.isPropertyAccessExpression(callee) && callee.getName() === 'bind';
}

function wrapAtSite(callback: Expression, name: string, context: TransformContext, finding: Finding): void {
  const trackCallback = context.imports.localName('trackCallback');
  connectShutdownLibraries(context, finding);
  context.edit(...wrap(callback.getStart(), callback.getEnd(), `${trackCallback}(`, `, ${nameOption(name, context.style)})`));
}

/** Whether the name occurs anywhere but at this call and at its own declaration. */
function isReferencedElsewhere(use: Identifier, definition: Definition | undefined, context: TransformContext): boolean {
  const declaredAt = definition?.getNameNode()?.getStart();
  return context.names.occurrences(use.getText()).some((start) => start !== use.getStart() && start !== declaredAt);
}
