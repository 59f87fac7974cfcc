import path from 'node:path';

import type { TSESTree } from '@typescript-eslint/utils';
import { minimatch } from 'minimatch';
import ts from '../detect/typescript.cjs';

import type { DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import { requiredModule } from '../detect/origin.js';
import { listenReceiver, serverKindOf } from '../detect/servers.js';
import { signalRegistration } from '../detect/signals.js';
import { calleeName, enclosingFunction, type FunctionLike, parentOf, stringValue, walk } from '../detect/syntax.js';
import { isDelayInsideWork, timerCallNames, timerNames } from '../detect/timers.js';
import { createRule } from '../util/create-rule.js';
import { detectionFileOf, locOf } from '../util/detection-context.js';
import { shimRegisterModule } from '../util/settings.js';
import { insertFirstStatement, moduleKindOf } from '../util/shim-import.js';

export type Options = [{ entries?: string[]; detect?: boolean }];
export type MessageIds = 'missingShutdownHandler' | 'addRegisterImport';

export interface EntryOptions {
  /** Whether the file matches the `entries` option. */
  readonly listedEntry: boolean;
  /** Also treat any module that starts a server or a timer at top level as an entry. */
  readonly detect: boolean;
}

const installNames: ReadonlySet<string> = new Set(['installShutdownHandlers']);
const startingTimers = new Set(['setInterval', 'setTimeout']);
/** Bounds the walk through the file's functions from one top-level call. */
const maxFollowedFunctions = 50;

/** Whether `file` matches one of the `entries` globs, relative to `cwd` (ESLint's working directory). */
export function isListedEntry(fileName: string, cwd: string, entries: readonly string[]): boolean {
  const relative = path.relative(cwd, fileName).split(path.sep).join('/');
  return entries.some((glob) => minimatch(relative, glob, { dot: true }));
}

/** The entry file's one finding when it starts work (or is listed) but installs no shutdown handling; at offset 0. */
export function findMissingShutdownHandler(
  file: DetectionFile,
  { listedEntry, detect }: EntryOptions,
): RuleFinding<'missingShutdownHandler', { why: string; reason: string }>[] {
  if (!listedEntry && !detect) return [];
  const timerNamesHere = timerCallNames(file);
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
  for (const call of file.calls) {
    const name = calleeName(call);
    if (name === 'require') {
      const parent = parentOf(call);
      noteModule(requiredModule(call, file.names), parent !== undefined && ts.isExpressionStatement(parent));
      if (handlesShutdown) return [];
      continue;
    }
    if (name === 'installShutdownHandlers' && file.isTrackerCall(call, installNames)) return [];
    if (signalRegistration(call, file)?.signal === 'SIGTERM') return [];
    if (!detect || startsWork !== undefined || name === undefined || enclosingFunction(call) !== undefined) continue;
    startsWork = workStartedBy(call) ?? workStartedThrough(call);
  }
  if (!listedEntry && startsWork === undefined) return [];
  return [
    {
      messageId: 'missingShutdownHandler',
      data: { why: startsWork ?? 'is listed in the entries option', reason: listedEntry ? 'entry' : 'starts-work' },
      start: 0,
      end: 0,
    },
  ];

  /** What a call itself starts: a timer or a server. */
  function workStartedBy(call: ts.CallExpression): string | undefined {
    const name = calleeName(call);
    if (name === undefined) return undefined;
    if (timerNamesHere.has(name) && startsTimer(call)) return 'starts a timer at top level';
    if (name === 'listen') {
      const receiver = listenReceiver(call);
      if (receiver && serverKindOf(receiver, file) !== undefined) return 'starts a server at top level';
    }
    return undefined;
  }

  /** What a top-level call of a function of this file starts, following its calls of other functions of the file. */
  function workStartedThrough(call: ts.CallExpression): string | undefined {
    const origin = file.origin(call.expression);
    if (origin.kind !== 'function') return undefined;
    const visited = new Set<FunctionLike>();
    const pending: FunctionLike[] = [origin.node];
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
        const callee = file.origin(node.expression);
        if (callee.kind === 'function' && !visited.has(callee.node)) pending.push(callee.node);
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
        'This entry file {{why}} but installs no shutdown handling: on SIGTERM the process dies with that work in flight. Import "@quiesce/runtime-shim/register" first thing.',
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
    const entryOptions: EntryOptions = {
      listedEntry: isListedEntry(context.filename, context.cwd, options.entries ?? []),
      detect: options.detect !== false,
    };
    if (!entryOptions.listedEntry && !entryOptions.detect) return {};
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
