import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

import { type FunctionLike, isFunctionLike, skipTransparent, staticPropertyName } from './ast.js';
import { createOriginResolver, type Origin } from './origin.js';
import { isTrackerModule, type QuiesceSettings, readSettings } from './settings.js';

/** Type information, present only when the parser built a program (typed linting). */
export interface TypeServices {
  program: ts.Program;
  checker: ts.TypeChecker;
  typeOf(node: TSESTree.Node): ts.Type;
  tsNodeOf(node: TSESTree.Node): ts.Node;
}

/** What every rule needs to know about one file; built once per file and shared by the rules. */
export interface FileAnalysis {
  sourceCode: Readonly<TSESLint.SourceCode>;
  settings: QuiesceSettings;
  visitorKeys: Readonly<Record<string, readonly string[] | undefined>>;
  types: TypeServices | undefined;
  origin(node: TSESTree.Node): Origin;
  /** The function a value is: a function written in place, or a name bound to a function of this file. */
  functionOf(node: TSESTree.Node): FunctionLike | undefined;
  /** The shim function a callee names (`track`, `setInterval`, `onShutdown`, …) when it comes from a tracker module. */
  trackerFunction(callee: TSESTree.Node): string | undefined;
  isTrackerCall(node: TSESTree.Node, names: ReadonlySet<string>): boolean;
  /** A cache that lives exactly as long as this file's analysis, one per `owner` (a module-level token). */
  fileCache<K, V>(owner: object): Map<K, V>;
}

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/**
 * The analysis of the file being linted. ESLint creates every rule for a file and then traverses it synchronously, so
 * one slot suffices; a rule keeps the analysis it got in `create`. Deliberately no module-level WeakMap keyed by the
 * file (here or in any per-file cache): a young key in an old WeakMap keeps the whole file's syntax tree alive through
 * every minor GC until a full GC, which promoted about one more file's data per scavenge (measured with
 * `--trace-gc-nvp`); per-file caches hang off this object instead ({@link FileAnalysis.fileCache}).
 */
let current: FileAnalysis | undefined;

export function analyse(context: AnyContext): FileAnalysis {
  if (current?.sourceCode === context.sourceCode) return current;
  current = build(context);
  return current;
}

function build(context: AnyContext): FileAnalysis {
  const sourceCode = context.sourceCode;
  const settings = readSettings(context.settings);
  const originOf = createOriginResolver(sourceCode);
  const trackerFunctionCache = new Map<TSESTree.Node, string | null>();
  const fileCaches = new Map<object, Map<unknown, unknown>>();

  const quiescerMethod = (callee: TSESTree.Node): string | undefined => {
    // `const q = createQuiescer(); q.track(p)`: methods of an instance made by a tracker module.
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const instance = originOf(callee.object);
    if (instance.kind !== 'instance') return undefined;
    const maker = instance.callee;
    if (maker.kind !== 'module' || !isTrackerModule(maker.module, settings)) return undefined;
    const isMaker = (instance.via === 'call' && maker.name === 'createQuiescer') || (instance.via === 'new' && maker.name === 'Quiescer');
    return isMaker ? staticPropertyName(callee) : undefined;
  };

  const trackerFunction = (rawCallee: TSESTree.Node): string | undefined => {
    const callee = skipTransparent(rawCallee);
    const cached = trackerFunctionCache.get(callee);
    if (cached !== undefined) return cached ?? undefined;
    const origin = originOf(callee);
    let name: string | undefined;
    if (origin.kind === 'module' && isTrackerModule(origin.module, settings) && origin.name !== '' && !origin.name.includes('.')) {
      name = origin.name;
    } else {
      name = quiescerMethod(callee);
    }
    trackerFunctionCache.set(callee, name ?? null);
    return name;
  };

  return {
    sourceCode,
    settings,
    visitorKeys: sourceCode.visitorKeys as Readonly<Record<string, readonly string[] | undefined>>,
    types: typeServices(sourceCode),
    origin: originOf,
    functionOf(node) {
      const target = skipTransparent(node);
      if (isFunctionLike(target)) return target;
      const origin = originOf(target);
      return origin.kind === 'function' ? origin.node : undefined;
    },
    trackerFunction,
    isTrackerCall(node, names) {
      const target = skipTransparent(node);
      if (target.type !== AST_NODE_TYPES.CallExpression) return false;
      const name = trackerFunction(target.callee);
      return name !== undefined && names.has(name);
    },
    fileCache<K, V>(owner: object): Map<K, V> {
      let cache = fileCaches.get(owner);
      if (!cache) {
        cache = new Map();
        fileCaches.set(owner, cache);
      }
      return cache as Map<K, V>;
    },
  };
}

function typeServices(sourceCode: Readonly<TSESLint.SourceCode>): TypeServices | undefined {
  const services = sourceCode.parserServices;
  const program = services?.program;
  if (!services || !program || !services.esTreeNodeToTSNodeMap) return undefined;
  const checker = program.getTypeChecker();
  const map = services.esTreeNodeToTSNodeMap;
  return {
    program,
    checker,
    tsNodeOf: (node) => map.get(node),
    typeOf: (node) => checker.getTypeAtLocation(map.get(node)),
  };
}
