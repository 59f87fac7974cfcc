import path from 'node:path';

import type { TSESTree } from '@typescript-eslint/utils';
import { minimatch } from 'minimatch';
import ts from '../detect/typescript.cjs';

import type { DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import { requiredModule } from '../detect/origin.js';
import { calledFunction, isAtModuleLevel } from '../detect/references.js';
import { entryReasonOf, isEntry, packageDeclaresEntries } from '../detect/roles.js';
import { mayStartServer, serverStartOf } from '../detect/servers.js';
import { isShutdownLibraryCall, signalRegistration } from '../detect/signals.js';
import {
  calleeName,
  type FunctionLike,
  isFunctionLike,
  parentOf,
  stringValue,
  textMaySpell,
  walk,
} from '../detect/syntax.js';
import { isDelayInsideWork, timerCallNames, timerNames } from '../detect/timers.js';
import { createRule } from '../util/create-rule.js';
import { detectionFileOf, locOf } from '../util/detection-context.js';
import { type QuiesceSettings, readSettings, shimRegisterModule } from '../util/settings.js';
import { insertFirstStatement, moduleKindOf } from '../util/shim-import.js';

export type Options = [{ entries?: string[]; detect?: boolean }];
export type MessageIds = 'missingShutdownHandler' | 'addRegisterImport';

export interface EntryOptions {
  /** Whether the file matches the `entries` option. */
  readonly listedEntry: boolean;
  /** Whether the package declares the file as an entry (bin, start script, Dockerfile, Procfile, settings.quiesce.entries). */
  readonly packageEntry?: boolean;
  /** Why it is one, for the message: `package.json "start" script`, `settings.quiesce.entries`, … */
  readonly entryReason?: string;
  /** Also treat any module that starts a server or a timer when it loads as an entry. */
  readonly detect: boolean;
  /**
   * Whether the file's package declares its entries: then a module that is not one of them and starts work when it loads
   * is imported by an entry, which is where the handler belongs (and is reported if it has none).
   */
  readonly entriesDeclared?: boolean;
}

const installNames: ReadonlySet<string> = new Set(['installShutdownHandlers']);
const startingTimers = new Set(['setInterval', 'setTimeout']);
/** Bounds the walk through the file's functions from one top-level call. */
const maxFollowedFunctions = 50;
/** Whether `file` matches one of the `entries` globs, relative to `cwd` (ESLint's working directory). */
export function isListedEntry(fileName: string, cwd: string, entries: readonly string[]): boolean {
  // No `entries` (the default): no path to make relative, for every file linted.
  if (entries.length === 0) return false;
  const relative = path.relative(cwd, fileName).split(path.sep).join('/');
  return entries.some((glob) => minimatch(relative, glob, { dot: true }));
}

/** How the rule (and detect()) decides that a file is an entry: the `entries` option, the package, or detection. */
export function entryOptionsOf(fileName: string, cwd: string, settings: QuiesceSettings, options: Options[0]): EntryOptions {
  const entries = options.entries ?? [];
  const packageEntry = isEntry(fileName, cwd, settings, []);
  return {
    listedEntry: isListedEntry(fileName, cwd, entries),
    packageEntry,
    entryReason: packageEntry ? entryReasonOf(fileName, cwd) ?? 'settings.quiesce.entries' : undefined,
    detect: options.detect !== false,
    entriesDeclared: entries.length > 0 || settings.entries.length > 0 || packageDeclaresEntries(fileName, cwd),
  };
}

type MissingHandlerData = { why: string; reason: string; sigint: string };

/** The entry file's one finding when it starts work (or is an entry) but installs no shutdown handling; at offset 0. */
export function findMissingShutdownHandler(
  file: DetectionFile,
  { listedEntry, packageEntry = false, entryReason, detect, entriesDeclared = false }: EntryOptions,
): RuleFinding<'missingShutdownHandler', MissingHandlerData>[] {
  if (!listedEntry && !packageEntry && !detect) return [];
  const timerNamesHere = timerCallNames(file);
  // Most files never spell `SIGTERM`: then no argument of theirs can name it, and no call's arguments are searched.
  const mayNameSigterm = textMaySpell(file.sourceFile.text, ['SIGTERM']);
  let handlesShutdown = false;

  const noteModule = (specifier: string | undefined, sideEffectOnly: boolean): void => {
    if (specifier === undefined) return;
    if (specifier === shimRegisterModule || (sideEffectOnly && file.settings.trackers.includes(specifier))) handlesShutdown = true;
  };

  for (const declaration of importDeclarations(file.sourceFile.statements)) {
    if (ts.isStringLiteral(declaration.moduleSpecifier)) noteModule(declaration.moduleSpecifier.text, importedNameCount(declaration) === 0);
  }
  for (const call of file.importCalls) noteModule(stringValue(call.arguments[0]), true);
  if (handlesShutdown) return [];

  let startsWork: string | undefined;
  let sigintOnly = false;
  for (const call of file.calls) {
    const name = calleeName(call);
    if (name === 'require') {
      const parent = parentOf(call);
      noteModule(requiredModule(call, file.names), parent !== undefined && ts.isExpressionStatement(parent));
      if (handlesShutdown) return [];
      continue;
    }
    if (name === 'installShutdownHandlers' && file.isTrackerCall(call, installNames)) return [];
    const registration = signalRegistration(call, file);
    if (registration?.signals.includes('SIGTERM')) return [];
    if (registration?.signals.includes('SIGINT')) sigintOnly = true;
    if (handlesShutdownItsOwnWay(call)) return [];
    if (!detect || entriesDeclared || startsWork !== undefined || name === undefined || !isAtModuleLevel(call)) continue;
    startsWork = workStartedBy(call) ?? workStartedThrough(call);
  }
  const entry = listedEntry || packageEntry;
  // A SIGINT listener is process-level code: the file is an entry that means to handle shutdown, and misses SIGTERM.
  if (!entry && startsWork === undefined && !(sigintOnly && detect)) return [];
  const why =
    startsWork ??
    (listedEntry ? 'is listed in the entries option' : packageEntry ? `is a declared entry of the service (${entryReason ?? 'declared by its package'})` : 'listens for SIGINT alone');
  return [
    {
      messageId: 'missingShutdownHandler',
      data: {
        why,
        reason: entry ? 'entry' : 'starts-work',
        sigint: sigintOnly ? ' (its SIGINT listener does not run on the SIGTERM that containers and process managers send)' : '',
      },
      start: 0,
      end: 0,
    },
  ];

  /** A call of a library that handles SIGTERM, NestJS's `enableShutdownHooks()`, or any call given the name `SIGTERM`. */
  function handlesShutdownItsOwnWay(call: ts.CallExpression): boolean {
    if (isShutdownLibraryCall(call, file)) return true;
    if (calleeName(call) === 'enableShutdownHooks') return true;
    // `gracefulShutdown(server, { signals: 'SIGINT SIGTERM' })`, `createTerminus(server, { signals: ['SIGTERM'] })`.
    return mayNameSigterm && call.arguments.some((argument) => mentionsSigterm(argument));
  }

  /** What a call itself starts: a timer or a server. */
  function workStartedBy(call: ts.CallExpression): string | undefined {
    const name = calleeName(call);
    if (name === undefined) return undefined;
    if (timerNamesHere.has(name) && startsTimer(call)) return 'starts a timer at top level';
    if (mayStartServer(call) && serverStartOf(call, file) !== undefined) return 'starts a server at top level';
    return undefined;
  }

  /** What a top-level call of a function of this file starts, following its calls of other functions of the file. */
  function workStartedThrough(call: ts.CallExpression): string | undefined {
    const first = calledFunction(call, file);
    if (!first) return undefined;
    const visited = new Set<FunctionLike>();
    const pending: FunctionLike[] = [first];
    let found: string | undefined;
    while (pending.length > 0 && found === undefined && visited.size < maxFollowedFunctions) {
      const fn = pending.pop()!;
      if (visited.has(fn)) continue;
      visited.add(fn);
      walk(fn, (node) => {
        if (found !== undefined) return false;
        if (!ts.isCallExpression(node) || node.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
        const started = workStartedBy(node);
        if (started !== undefined) {
          found = started.replace('at top level', 'when the module loads');
          return false;
        }
        const callee = calledFunction(node, file);
        if (callee && !visited.has(callee)) pending.push(callee);
        return true;
      });
    }
    return found;
  }

  function startsTimer(call: ts.CallExpression): boolean {
    const origin = file.origin(call.expression);
    const tracked = file.trackerFunction(call.expression);
    const isTimer =
      (origin.kind === 'global' && timerNames.has(origin.name) && startingTimers.has(origin.name)) ||
      (tracked !== undefined && startingTimers.has(tracked));
    return isTimer && !isDelayInsideWork(call, file);
  }
}


function mentionsSigterm(node: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if ((ts.isStringLiteral(child) || ts.isNoSubstitutionTemplateLiteral(child)) && /\bSIGTERM\b/.test(child.text)) {
      found = true;
      return;
    }
    if (isFunctionLike(child)) return;
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** Import declarations: at the top level, and in `declare module` blocks (the only places they can stand). */
function* importDeclarations(statements: readonly ts.Statement[]): Generator<ts.ImportDeclaration> {
  for (const statement of statements) {
    if (ts.isImportDeclaration(statement)) yield statement;
    else if (ts.isModuleDeclaration(statement)) {
      let body = statement.body;
      while (body && ts.isModuleDeclaration(body)) body = body.body;
      if (body && ts.isModuleBlock(body)) yield* importDeclarations(body.statements);
    }
  }
}

/** How many names an import declaration binds (`import {} from 'm'` binds none, as a bare `import 'm'`). */
function importedNameCount(declaration: ts.ImportDeclaration): number {
  const clause = declaration.importClause;
  if (!clause) return 0;
  const named = clause.namedBindings;
  return (clause.name ? 1 : 0) + (named === undefined ? 0 : ts.isNamespaceImport(named) ? 1 : named.elements.length);
}

export const requireShutdownHandler = createRule<Options, MessageIds>({
  name: 'require-shutdown-handler',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require entry files to install shutdown handling',
      recommended: 'recommended',
    },
    hasSuggestions: true,
    messages: {
      missingShutdownHandler:
        'This entry file {{why}} but installs no shutdown handling{{sigint}}: on SIGTERM the process dies with that work in flight. Import "@quiesce/runtime-shim/register" first thing.',
      addRegisterImport: 'Install the shim\'s shutdown handlers ({{statement}}).',
    },
    schema: [
      {
        type: 'object',
        properties: {
          entries: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            description: 'Globs (relative to the ESLint working directory) of entry files that must install shutdown handling.',
          },
          detect: {
            type: 'boolean',
            description: 'Also treat any module that starts a server or a timer at top level as an entry (default true).',
          },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ entries: [], detect: true }],
  create(context, [options]) {
    const entryOptions = entryOptionsOf(context.filename, context.cwd, readSettings(context.settings), options);
    if (!entryOptions.listedEntry && !entryOptions.packageEntry && !entryOptions.detect) return {};
    return {
      Program(program: TSESTree.Program) {
        for (const finding of findMissingShutdownHandler(detectionFileOf(context), entryOptions)) {
          const statement =
            moduleKindOf(context) === 'esm' ? `import '${shimRegisterModule}';` : `require('${shimRegisterModule}');`;
          context.report({
            loc: locOf(context, finding),
            messageId: finding.messageId,
            data: finding.data,
            suggest: [
              {
                messageId: 'addRegisterImport',
                data: { statement },
                fix: (fixer) => insertFirstStatement(program, fixer, statement),
              },
            ],
          });
        }
      },
    };
  },
});
