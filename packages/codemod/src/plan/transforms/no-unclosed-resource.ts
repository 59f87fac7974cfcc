import { Node } from 'ts-morph';
import { insertion } from '../edits.js';
import { forEachReportedNode, type Transform } from '../../find/findings.js';
import { connectShutdownLibraries } from './shutdown-libraries.js';
import { indentationOf, semicolon } from './statement-edits.js';
import { nameOption } from './task-names.js';

const isExpression = (node: Node): node is Node => Node.isExpression(node);

/**
 * A long-lived client, pool or connection of a service that no shutdown path closes → a cleanup hook right after
 * the statement that keeps it: `onShutdown(() => client.quit(), { name: 'client.quit()' })`, with the method the
 * plugin found on its type or package. Cleanup hooks run after the drain, last registered first, so in-flight work
 * still has the client. One that is not kept in a plain variable (a property, nothing) gets a review item: the
 * hook would need a name to close it by.
 */
export const noUnclosedResource: Transform = {
  ruleId: 'quiesce/no-unclosed-resource',
  apply(findings, context) {
    forEachReportedNode(findings, context, isExpression, (creation, finding) => {
      const holder = finding.data['holder'] ?? '';
      const method = finding.data['method'];
      const declaration = creation.getFirstAncestor(Node.isVariableDeclaration);
      const statement = declaration?.getVariableStatement();
      if (!method || holder === '' || !declaration || declaration.getName() !== holder || !statement) {
        context.review(
          creation,
          finding,
          holder === ''
            ? `nothing keeps this ${finding.data['what'] ?? 'resource'}, so nothing can close it at shutdown; keep it in a variable and close it in onShutdown(() => x.${method ?? 'close'}())`
            : `close ${holder} at shutdown: onShutdown(() => ${holder}.${method ?? 'close'}()) where ${holder} is in scope`,
        );
        return;
      }
      const onShutdown = context.imports.localName('onShutdown');
      connectShutdownLibraries(context, finding);
      const close = `${holder}.${method}()`;
      const { eol, semicolons } = context.style;
      // Right after the statement that keeps it; a CommonJS require of the shim is placed above it (ImportManager).
      context.edit(
        insertion(
          statement.getEnd(),
          `${eol}${indentationOf(context.text, statement)}${onShutdown}(() => ${close}, ${nameOption(close, context.style)})${semicolon(semicolons)}`,
          statement.getWidth(),
        ),
      );
    });
  },
};
