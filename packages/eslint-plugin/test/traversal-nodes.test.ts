// Under typescript-eslint's parser the rules take their node lists from ESLint's own traversal (src/util/traversal-nodes.ts)
// instead of walking the TypeScript tree again (collectNodes, src/detect/file.ts), which detect() and the codemod still
// do. Both must give the same TypeScript nodes in the same order, or ESLint and detect() would disagree.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import * as parser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { globSync } from 'tinyglobby';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { collectNodes, type FileNodes } from '../src/detect/file.js';
import { nodesFromTraversal } from '../src/util/traversal-nodes.js';
import { allFiles, repoRoot, sourceTypeOf } from './repository-files.js';

/** The constructs whose ESTree and TypeScript shapes differ: chains, patterns, JSX member tags, TypeScript-only syntax. */
const unusualText = `
import def, { a as b, type T } from 'm';
import * as all from 'n';
import legacy = require('o');
const { x, y: z = 1, ...others } = all;
const [p, { q, r: [s] }] = [1, { q: 2, r: [3] }] as const;
({ x: all.left, ...all.right } = { x: 1 });
[all.one, ...all.rest] = [1];
for (const { key } of [{ key: 1 }]) void key;
function f({ a1 = all.deflt(), ...a2 }: any = {}, [b1] = []) { return a1 ?? a2 ?? b1; }
const chained = all?.deep?.call?.(1)?.then((v: number) => v)!.done;
const element = all['k']?.['j']?.();
const lazy = import('p').then((mod) => mod.default);
@all.decorate()
class C<Tp extends typeof all.kind> extends all.Base<Tp> implements T {
  @all.field() declare value: number;
  constructor(private readonly injected = all.make()) { super(); }
  static { all.init(this); }
  [all.key]() { return super.method(this.injected)?.x; }
}
enum E { A = all.enumValue(), B = A }
namespace NS { export const v = all.inNamespace(); }
type Q = typeof all.typeOnly;
const tagged = all.tag\`text \${all.inside()}\`;
const satisfied = (all.value satisfies number) as number;
label: for (;;) { break label; }
export default legacy.call(def, b, x, z, others, p, q, s, f, chained, element, lazy, C, E, NS, tagged, satisfied);
`;

const jsxText = `
import * as ui from 'ui';
const node = <ui.Layout.Main title={ui.title()}>{ui.items.map((item) => <ui.Item {...item} key={item.id} />)}</ui.Layout.Main>;
export default node;
`;

/** Every list as "kind@start", and whether the two lists are the very same nodes in the same order. */
function describeLists(nodes: FileNodes, sourceFile: ts.SourceFile): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(nodes).map(([list, items]: [string, ts.Node[]]) => [list, items.map((node) => `${ts.SyntaxKind[node.kind]}@${node.getStart(sourceFile)}`)]),
  );
}

function compare(filename: string, text: string): { walked: Record<string, string[]>; traversed: Record<string, string[]>; identical: boolean } {
  let result: ReturnType<typeof compare> | undefined;
  const probe = {
    meta: {},
    create(context: { sourceCode: { ast: unknown; parserServices: { esTreeNodeToTSNodeMap: { get(node: unknown): ts.Node | undefined } } } }) {
      return {
        Program() {
          const map = context.sourceCode.parserServices.esTreeNodeToTSNodeMap;
          const sourceFile = map.get(context.sourceCode.ast) as ts.SourceFile;
          const walked = collectNodes(sourceFile);
          const traversed = nodesFromTraversal(context.sourceCode as never, map as never);
          if (!traversed) throw new Error('this ESLint has no SourceCode#traverse()');
          const identical = (Object.keys(walked) as (keyof FileNodes)[]).every(
            (list) => walked[list].length === traversed[list].length && walked[list].every((node, index) => node === traversed[list][index]),
          );
          result = { walked: describeLists(walked, sourceFile), traversed: describeLists(traversed, sourceFile), identical };
        },
      };
    },
  };
  const linter = new Linter({ configType: 'flat', cwd: repoRoot });
  const messages = linter.verify(
    text,
    [
      {
        files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
        languageOptions: { parser, sourceType: sourceTypeOf(filename) === 'commonjs' ? 'commonjs' : 'module' },
        plugins: { probe: { rules: { lists: probe as never } } },
        rules: { 'probe/lists': 'error' },
      },
    ],
    filename,
  );
  const fatal = messages.find((message) => message.fatal || message.ruleId === null);
  if (fatal) throw new Error(`${filename}: ${fatal.message}`);
  if (!result) throw new Error(`${filename}: the probe rule did not run`);
  return result;
}

describe('node lists from ESLint\'s traversal', () => {
  it.each([
    ['unusual.ts', unusualText],
    ['unusual.tsx', jsxText],
    ['unusual.jsx', jsxText],
  ])('equal the TypeScript walk in %s, constructs whose two trees differ', (name, text) => {
    const { walked, traversed, identical } = compare(path.join(repoRoot, 'fixtures', name), text);
    expect(traversed).toEqual(walked);
    expect(identical).toBe(true);
    // The probe must see what it is meant to: binding elements, JSX member tags, import() and chains.
    expect(walked.propertyReads!.length).toBeGreaterThan(3);
    if (name === 'unusual.ts') {
      expect(walked.importCalls).toHaveLength(1);
      expect(walked.propertyReads!.filter((item) => item.startsWith('BindingElement'))).toHaveLength(8);
    }
  });

  // The fixture services, our odd-syntax files and the plugin's own sources: real code of every shape we lint.
  const files = [...allFiles, ...globSync(['packages/*/src/**/*.{ts,cts,mts}'], { cwd: repoRoot, absolute: true })].sort();

  it('equal the TypeScript walk on every source of the repository', () => {
    expect(files.length).toBeGreaterThan(100);
    const differing = files.filter((file) => !compare(file, readFileSync(file, 'utf8')).identical);
    expect(differing).toEqual([]);
  });
});
