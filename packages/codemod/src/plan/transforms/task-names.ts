import path from 'node:path';
import { Node } from 'ts-morph';
import type { FileStyle } from '../../write/source-text.js';

/** A name longer than this is replaced by where the work was tracked. */
const LONGEST_CALL_NAME = 48;
/** `a.b`, `this.#c`, `d?.e`, `peers.get(id)?.sync`: a callee a user recognises in the deadline report. */
const SIMPLE_CALLEE = /^[\w$#][^'"`\\\s]*$/;

/**
 * The name the shim's deadline report shows for work the rewrite tracks (`track(p, { name })`,
 * `trackCallback(fn, { name })`): the call the promise came from (`refresh()`, `this.client.disconnect()`; the
 * first call of a `.then()` chain), a function's own name, or, when neither reads well, `file:line` where it was
 * tracked. The shim's `TrackOptions.name` takes any string.
 */
export function taskNameOf(node: Node): string {
  const target = chainStart(unwrapped(node));
  if (Node.isCallExpression(target) || Node.isNewExpression(target)) {
    const callee = collapsed(target.getExpression().getText());
    if (SIMPLE_CALLEE.test(callee) && callee.length <= LONGEST_CALL_NAME) {
      return `${Node.isNewExpression(target) ? 'new ' : ''}${callee}()`;
    }
  }
  if (Node.isIdentifier(target) || Node.isPropertyAccessExpression(target)) {
    const text = collapsed(target.getText());
    if (SIMPLE_CALLEE.test(text) && text.length <= LONGEST_CALL_NAME) return text;
  }
  return placeOf(node);
}

/** `file.ts:12`: the file's base name (never a machine path) and the 1-based line. */
export function placeOf(node: Node): string {
  return `${path.basename(node.getSourceFile().getFilePath())}:${node.getStartLineNumber()}`;
}

/** `{ name: 'refresh()' }` in the file's quotes. */
export function nameOption(name: string, style: FileStyle): string {
  return `{ name: ${quoted(name, style.quote)} }`;
}

export function quoted(value: string, quote: "'" | '"'): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/\r?\n|\r/g, ' ').split(quote).join(`\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

function unwrapped(node: Node): Node {
  let current = node;
  for (;;) {
    if (Node.isParenthesizedExpression(current) || Node.isVoidExpression(current) || Node.isAwaitExpression(current)) {
      current = current.getExpression();
    } else if (Node.isAsExpression(current) || Node.isNonNullExpression(current) || Node.isSatisfiesExpression(current)) {
      current = current.getExpression();
    } else {
      return current;
    }
  }
}

/** `a().then(f).catch(g)` → `a()`: the chain's work starts with its first call. */
function chainStart(node: Node): Node {
  let current = node;
  while (Node.isCallExpression(current)) {
    const callee = current.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !['then', 'catch', 'finally'].includes(callee.getName())) break;
    current = unwrapped(callee.getExpression());
  }
  return current;
}

function collapsed(text: string): string {
  return text.replace(/\s+/g, '');
}
