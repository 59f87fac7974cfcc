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
      // A `require` of the shim goes after the file's last top-level require: a hook placed above that would run
      // before `onShutdown` is declared (a ReferenceError at start-up). Then the hook goes after it too.
      const lastRequire = Node.isSourceFile(statement.getParent()) ? lastTopLevelRequireAfter(statement) : undefined;
      const anchor = lastRequire ?? statement;
      context.edit(
        insertion(
          anchor.getEnd(),
          `${eol}${indentationOf(context.text, statement)}${onShutdown}(() => ${close}, ${nameOption(close, context.style)})${semicolon(semicolons)}`,
          lastRequire ? Number.MAX_SAFE_INTEGER : statement.getWidth(),
        ),
      );
    });
  },
};

/** The last top-level statement after `statement` that calls `require(…)` at its top, if any. */
function lastTopLevelRequireAfter(statement: Node): Node | undefined {
  let found: Node | undefined;
  for (let next = statement.getNextSibling(); next; next = next.getNextSibling()) {
    if (Node.isVariableStatement(next) && next.getDeclarations().some((declaration) => /^require\(|^require\s*\(/.test(declaration.getInitializer()?.getText() ?? ''))) {
      found = next;
    }
  }
  return found;
}
