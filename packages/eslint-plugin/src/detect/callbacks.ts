import ts from './typescript.cjs';

import type { DetectionFile } from './file.js';
import { returnsPromise } from './promises.js';
import { functionReferencedBy } from './references.js';
import { isAsyncFunction, skipTransparent } from './syntax.js';

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
