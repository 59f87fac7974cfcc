import ts from './typescript.cjs';

import { isTrackerModule, type QuiesceSettings } from '../util/settings.js';
import { bindingProgram, checkerResolver, FileNames, type NameResolver } from './names.js';
import { createOriginResolver, type Origin } from './origin.js';
import type { FileRole } from './roles.js';
import { type FunctionLike, isFunctionValue, isMemberAccess, type MemberAccess, skipTransparent, staticPropertyName } from './syntax.js';

/** Type information, present only when the file comes with a program that has its types (typed linting). */
export interface TypeServices {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  typeOf(node: ts.Node): ts.Type;
}

/** What every rule needs to know about one file; built once per file and shared by the rules. */
export interface DetectionFile {
  readonly sourceFile: ts.SourceFile;
  readonly settings: QuiesceSettings;
  /** The file's role (service, library, browser, test): what the findings advise depends on it. */
  readonly role: FileRole;
  /** Whether the file is a service entry (`isEntryFile`: package bin/start, Dockerfile, Procfile, `settings.quiesce.entries`). */
  readonly entry: boolean;
  readonly names: FileNames;
  readonly types: TypeServices | undefined;
  origin(node: ts.Node): Origin;
  /** The function a value is: a function written in place, or a name bound to a function of this file. */
  functionOf(node: ts.Node): FunctionLike | undefined;
  /** The shim function a callee names (`track`, `setInterval`, `onShutdown`, …) when it comes from a tracker module. */
  trackerFunction(callee: ts.Node): string | undefined;
  isTrackerCall(node: ts.Node, names: ReadonlySet<string>): boolean;
  /** Every call expression of the file but `import(…)`, in source order (what ESLint visits as `CallExpression`). */
  readonly calls: readonly ts.CallExpression[];
  /** Every `import(…)` of the file, in source order (ESLint's `ImportExpression`). */
  readonly importCalls: readonly ts.CallExpression[];
  /** Every expression statement of the file, in source order. */
  readonly expressionStatements: readonly ts.ExpressionStatement[];
  /** Every import specifier and every variable declaration with an initializer, in source order (alias scans). */
  readonly importSpecifiers: readonly ts.ImportSpecifier[];
  readonly initializedVariables: readonly ts.VariableDeclaration[];
  /**
   * Every read of a property by name, in source order: member accesses (`a.b`, `a['b']`) and the elements of object
   * binding patterns (`const { timer } = this`).
   */
  readonly propertyReads: readonly (MemberAccess | ts.BindingElement)[];
  /** A cache that lives exactly as long as this file's analysis, one per `owner` (a module-level token). */
  fileCache<K, V>(owner: object): Map<K, V>;
}

export interface DetectionFileOptions {
  readonly settings: QuiesceSettings;
  /** A program with type information that contains the file; without it, names are resolved by `resolveNames`. */
  readonly program?: ts.Program | undefined;
  /**
   * Without a program: what each name refers to, from a scope analysis already made of this very tree (ESLint's); else
   * a one-file TypeScript program binds the file for it.
   */
  readonly resolveNames?: NameResolver | undefined;
  /** The file's role; a service when not given (every rule and the shim's advice apply). */
  readonly role?: FileRole | undefined;
  readonly entry?: boolean | undefined;
  /**
   * The file's node lists when a caller has them already (ESLint's own traversal of this very tree,
   * src/util/traversal-nodes.ts); otherwise one walk of the TypeScript tree collects them.
   */
  readonly nodes?: FileNodes | undefined;
}

/** The lists of nodes every rule iterates, each in source order (see {@link DetectionFile}). */
export interface FileNodes {
  readonly calls: ts.CallExpression[];
  readonly importCalls: ts.CallExpression[];
  readonly expressionStatements: ts.ExpressionStatement[];
  readonly importSpecifiers: ts.ImportSpecifier[];
  readonly initializedVariables: ts.VariableDeclaration[];
  readonly propertyReads: (MemberAccess | ts.BindingElement)[];
}

const serviceRole: FileRole = { role: 'service', reason: 'not given', packageDir: undefined };

/** The analysis of one file, for every rule. */
export function createDetectionFile(sourceFile: ts.SourceFile, options: DetectionFileOptions): DetectionFile {
  const resolve = options.program
    ? checkerResolver(options.program.getTypeChecker())
    : (options.resolveNames ?? checkerResolver(bindingProgram(sourceFile).getTypeChecker()));
  const names = new FileNames(sourceFile, resolve);
  const origin = createOriginResolver(names);
  const settings = options.settings;
  const trackerFunctionCache = new Map<ts.Node, string | null>();
  const fileCaches = new Map<object, Map<unknown, unknown>>();
  // One walk of the file for every list the rules iterate (each further walk of a file costs about as much as this).
  const { calls, importCalls, expressionStatements, importSpecifiers, initializedVariables, propertyReads } = options.nodes ?? collectNodes(sourceFile);

  const quiescerMethod = (callee: ts.Node): string | undefined => {
    // `const q = createQuiescer(); q.track(p)`: methods of an instance made by a tracker module.
    if (!isMemberAccess(callee)) return undefined;
    const instance = origin(callee.expression);
    if (instance.kind !== 'instance') return undefined;
    const maker = instance.callee;
    if (maker.kind !== 'module' || !isTrackerModule(maker.module, settings)) return undefined;
    const isMaker = (instance.via === 'call' && maker.name === 'createQuiescer') || (instance.via === 'new' && maker.name === 'Quiescer');
    return isMaker ? staticPropertyName(callee) : undefined;
  };

  const trackerFunction = (rawCallee: ts.Node): string | undefined => {
    const callee = skipTransparent(rawCallee);
    const cached = trackerFunctionCache.get(callee);
    if (cached !== undefined) return cached ?? undefined;
    const found = origin(callee);
    let name: string | undefined;
    if (found.kind === 'module' && isTrackerModule(found.module, settings) && found.name !== '' && !found.name.includes('.')) {
      name = found.name;
    } else {
      name = quiescerMethod(callee);
    }
    trackerFunctionCache.set(callee, name ?? null);
    return name;
  };

  return {
    sourceFile,
    settings,
    role: options.role ?? serviceRole,
    entry: options.entry === true,
    names,
    types: options.program ? typeServices(options.program) : undefined,
    origin,
    functionOf(node) {
      const target = skipTransparent(node);
      if (isFunctionValue(target)) return target;
      const found = origin(target);
      return found.kind === 'function' ? found.node : undefined;
    },
    trackerFunction,
    isTrackerCall(node, wanted) {
      const target = skipTransparent(node);
      if (!ts.isCallExpression(target)) return false;
      const name = trackerFunction(target.expression);
      return name !== undefined && wanted.has(name);
    },
    calls,
    importCalls,
    expressionStatements,
    importSpecifiers,
    initializedVariables,
    propertyReads,
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

function typeServices(program: ts.Program): TypeServices {
  const checker = program.getTypeChecker();
  return { program, checker, typeOf: (node) => checker.getTypeAtLocation(node) };
}

/** The file's node lists from one walk of its TypeScript tree. */
export function collectNodes(sourceFile: ts.SourceFile): FileNodes {
  const calls: ts.CallExpression[] = [];
  const importCalls: ts.CallExpression[] = [];
  const expressionStatements: ts.ExpressionStatement[] = [];
  const importSpecifiers: ts.ImportSpecifier[] = [];
  const initializedVariables: ts.VariableDeclaration[] = [];
  const propertyReads: (MemberAccess | ts.BindingElement)[] = [];
  // Not `walk`: this visits every node of every file, and one function fewer per node is measurable there.
  const visit = (node: ts.Node): undefined => {
    switch (node.kind) {
      case ts.SyntaxKind.CallExpression: {
        // `import(…)` is a call to TypeScript but an ImportExpression to ESLint, and no rule judges it as a call.
        const call = node as ts.CallExpression;
        (call.expression.kind === ts.SyntaxKind.ImportKeyword ? importCalls : calls).push(call);
        break;
      }
      case ts.SyntaxKind.ExpressionStatement:
        expressionStatements.push(node as ts.ExpressionStatement);
        break;
      case ts.SyntaxKind.ImportSpecifier:
        importSpecifiers.push(node as ts.ImportSpecifier);
        break;
      case ts.SyntaxKind.VariableDeclaration:
        if ((node as ts.VariableDeclaration).initializer !== undefined) initializedVariables.push(node as ts.VariableDeclaration);
        break;
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
        propertyReads.push(node as MemberAccess);
        break;
      case ts.SyntaxKind.BindingElement:
        if (node.parent.kind === ts.SyntaxKind.ObjectBindingPattern) propertyReads.push(node as ts.BindingElement);
        break;
      default:
        break;
    }
    // Tokens (identifiers, keywords, literals) have no children.
    if (node.kind > ts.SyntaxKind.LastToken) ts.forEachChild(node, visit);
    return undefined;
  };
  ts.forEachChild(sourceFile, visit);
  return { calls, importCalls, expressionStatements, importSpecifiers, initializedVariables, propertyReads };
}
