import { Node } from 'ts-morph';
import { wrap } from '../edits.js';
import { forEachReportedNode, type Transform } from '../../find/findings.js';

const isCallback = (node: Node): node is Node =>
  Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isIdentifier(node);

/** An async callback whose promise is dropped → `trackCallback(fn)`, so each call's promise is drained. */
export const noUntrackedAsyncCallback: Transform = {
  ruleId: 'quiesce/no-untracked-async-callback',
  apply(findings, context) {
    forEachReportedNode(findings, context, isCallback, (callback) => {
      const trackCallback = context.imports.localName('trackCallback');
      context.edit(...wrap(callback.getStart(), callback.getEnd(), `${trackCallback}(`, ')'));
    });
  },
};
