import { Node, type SourceFile } from 'ts-morph';
import { SHIM_MODULE, type ShimExport } from '../shim.js';

/**
 * The local names the file already has for the shim's exports (`import { track as t } from …`,
 * `const { track } = require(…)`), read without adding any: a transform uses them to recognise its own earlier
 * rewrites (a second run changes nothing).
 */
export function existingShimNames(sourceFile: SourceFile): ReadonlyMap<ShimExport, string> {
  const names = new Map<ShimExport, string>();
  for (const declaration of sourceFile.getImportDeclarations()) {
    if (declaration.getModuleSpecifierValue() !== SHIM_MODULE) continue;
    for (const specifier of declaration.getNamedImports()) {
      names.set(specifier.getName() as ShimExport, specifier.getAliasNode()?.getText() ?? specifier.getName());
    }
  }
  for (const statement of sourceFile.getVariableStatements()) {
    for (const declaration of statement.getDeclarations()) {
      const initializer = declaration.getInitializer();
      const pattern = declaration.getNameNode();
      if (!Node.isCallExpression(initializer) || !Node.isObjectBindingPattern(pattern)) continue;
      const [moduleName] = initializer.getArguments();
      if (initializer.getExpression().getText() !== 'require' || !moduleName || !Node.isStringLiteral(moduleName)) continue;
      if (moduleName.getLiteralValue() !== SHIM_MODULE) continue;
      for (const element of pattern.getElements()) {
        const property = element.getPropertyNameNode()?.getText() ?? element.getName();
        names.set(property as ShimExport, element.getName());
      }
    }
  }
  return names;
}

/** Whether `node` is a call of the shim's `exportName` under the name this file has for it. */
export function isShimCall(node: Node | undefined, exportName: ShimExport, names: ReadonlyMap<ShimExport, string>): boolean {
  if (!Node.isCallExpression(node)) return false;
  const local = names.get(exportName);
  return local !== undefined && node.getExpression().getText() === local;
}
