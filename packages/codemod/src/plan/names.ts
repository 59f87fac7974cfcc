import { ts, type SourceFile } from 'ts-morph';

/**
 * Every identifier of a file that names a binding or refers to one, by name. Property names
 * (`a.track`, `{ track: 1 }`, class members) are left out: they cannot collide with an import.
 * The codemod uses this to decide whether a name it inserts is free.
 */
export class FileNames {
  readonly #positions = new Map<string, number[]>();

  constructor(sourceFile: SourceFile) {
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && !isPropertyName(node)) {
        const name = node.text;
        const list = this.#positions.get(name);
        if (list) list.push(node.getStart());
        else this.#positions.set(name, [node.getStart()]);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile.compilerNode);
  }

  /** Start offsets of every identifier with this name. */
  occurrences(name: string): readonly number[] {
    return this.#positions.get(name) ?? [];
  }

  isUsed(name: string): boolean {
    return this.#positions.has(name);
  }
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
  if (ts.isQualifiedName(parent) && parent.right === node) return true;
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent) ||
      ts.isEnumMember(parent)) &&
    parent.name === node
  ) {
    return true;
  }
  // `{ track: local }` in a destructuring pattern: `track` is the property, `local` the binding.
  if (ts.isBindingElement(parent) && parent.propertyName === node) return true;
  if ((ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.propertyName === node) return true;
  return false;
}
