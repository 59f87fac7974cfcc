// Linting without types resolves names through ESLint's scope analysis (src/util/scope-names.ts) instead of binding the
// file again with a one-file TypeScript program (src/detect/names.ts). Both must say the same of every identifier:
// which declarations of this file it refers to, and which identifiers name the same thing.
import { parseForESLint } from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';

import { bindingProgram, checkerResolver, type NameResolver, type NameSymbol } from '../src/detect/names.js';
import { walk } from '../src/detect/syntax.js';
import ts from 'typescript';
import { scopeResolver } from '../src/util/scope-names.js';

/** Every way a name is declared and read that the rules meet, in one module and one script. */
const moduleText = `
import defaultThing, { named, other as renamed } from 'a-module';
import * as everything from 'b-module';
import type { OnlyAType } from 'c-module';
import legacy = require('d-module');
type Alias = { shape: number };
interface Shape { size: number }
enum Color { Red, Green }
namespace Space { export const inside = 1; }
const value = 1;
let reassigned = value;
reassigned = 2;
var hoisted = reassigned;
const { destructured, key: renamedKey, ...rest } = everything;
const [first, , third = value] = [1, 2, 3];
function declared(parameter: number, { option } = { option: 1 }, ...others: number[]): number {
  const inner = parameter + option + others.length;
  return inner + hoisted;
}
const expression = function named2() { return named2; };
const arrow = async (x: Shape) => x.size;
class Thing {
  field = value;
  constructor(private readonly injected: number) {}
  method() { return this.field + this.injected + Thing.name.length; }
}
const klass = class Local { static make() { return new Local(); } };
try { declared(1); } catch (error) { void error; }
for (const item of [value]) { void item; }
for (let index = 0; index < 1; index++) { void index; }
{ const shadowed = 1; void shadowed; function inBlock() { return shadowed; } void inBlock; }
const shorthand = { value, first, third };
const typed: Alias = { shape: value };
const colors = [Color.Red, Space.inside];
let onlyType: OnlyAType | undefined;
void [defaultThing, named, renamed, legacy, destructured, renamedKey, rest, expression, arrow, klass, shorthand, typed, colors, onlyType, undeclared, setTimeout, Promise];
export { value as exported, declared };
`;

const scriptText = `
var top = 1;
function helper() { return top + arguments.length; }
label: for (;;) { break label; }
helper();
`;

function resolvers(text: string, sourceType: 'module' | 'script'): { sourceFile: ts.SourceFile; byScope: NameResolver; byChecker: NameResolver } {
  const parsed = parseForESLint(text, { filePath: 'file.ts', sourceType, range: true, loc: true });
  const sourceFile = parsed.services.esTreeNodeToTSNodeMap.get(parsed.ast) as unknown as ts.SourceFile;
  return {
    sourceFile,
    byScope: scopeResolver(parsed.scopeManager as unknown as TSESLint.Scope.ScopeManager, parsed.services as never),
    byChecker: checkerResolver(bindingProgram(sourceFile).getTypeChecker()),
  };
}

/** For each identifier: the positions of the declarations it refers to (empty for a global). */
function answers(sourceFile: ts.SourceFile, resolve: NameResolver): { names: string[]; groups: number[] } {
  const names: string[] = [];
  const symbols: (NameSymbol | undefined)[] = [];
  walk(sourceFile, (node) => {
    if (!ts.isIdentifier(node)) return;
    // A property key is no reference; the checker, asked by name there, answers with a variable of that name in scope.
    if (ts.isPropertyAssignment(node.parent) && node.parent.name === node) return;
    const symbol = resolve(node);
    const declarations = (symbol?.declarations ?? []).filter((declaration) => declaration.getSourceFile() === sourceFile);
    names.push(`${node.text}@${node.getStart(sourceFile)} → ${declarations.map((d) => `${ts.SyntaxKind[d.kind]}@${d.getStart(sourceFile)}`).join(',') || 'global'}`);
    symbols.push(declarations.length === 0 ? undefined : symbol);
  });
  // Which identifiers share a symbol: the index of the first identifier with the same symbol.
  const groups = symbols.map((symbol) => (symbol === undefined ? -1 : symbols.indexOf(symbol)));
  return { names, groups };
}

describe('names without types: ESLint scope analysis and a one-file TypeScript program agree', () => {
  it.each([
    ['an ES module', moduleText, 'module', 40],
    ['a script', scriptText, 'script', 4],
  ] as const)('on every identifier of %s', (_name, text, sourceType, declaredAtLeast) => {
    const { sourceFile, byScope, byChecker } = resolvers(text, sourceType);
    const expected = answers(sourceFile, byChecker);
    const actual = answers(sourceFile, byScope);
    // Declarations of this file only: what FileNames and every rule read of a symbol.
    const checkerDeclared = expected.names.filter((line) => !line.endsWith('global'));
    expect(checkerDeclared.length).toBeGreaterThanOrEqual(declaredAtLeast);
    expect(actual.names).toEqual(expected.names);
    expect(actual.groups).toEqual(expected.groups);
  });
});
