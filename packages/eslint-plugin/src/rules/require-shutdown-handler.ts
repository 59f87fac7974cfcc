import path from 'node:path';

import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { minimatch } from 'minimatch';

import { analyse } from '../util/analysis.js';
import { calleeName, enclosingFunction, type FunctionLike, stringValue, walk } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { requiredModule } from '../util/origin.js';
import { listenReceiver, serverKindOf } from '../util/servers.js';
import { shimRegisterModule } from '../util/settings.js';
import { insertFirstStatement, moduleKindOf } from '../util/shim-import.js';
import { signalRegistration } from '../util/signals.js';
import { isDelayInsideWork, timerCallNames, timerNames } from '../util/timers.js';

export type Options = [{ entries?: string[]; detect?: boolean }];
export type MessageIds = 'missingShutdownHandler' | 'addRegisterImport';

const installNames: ReadonlySet<string> = new Set(['installShutdownHandlers']);
const startingTimers = new Set(['setInterval', 'setTimeout']);
/** Bounds the walk through the file's functions from one top-level call. */
const maxFollowedFunctions = 50;

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
    const analysis = analyse(context);
    const relative = path.relative(context.cwd, context.filename).split(path.sep).join('/');
    const listedEntry = (options.entries ?? []).some((glob) => minimatch(relative, glob, { dot: true }));
    const detect = options.detect !== false;
    if (!listedEntry && !detect) return {};

    let startsWork: string | undefined;
    let handlesShutdown = false;
    const timerNamesHere = timerCallNames(analysis);

    const noteModule = (specifier: string | undefined, sideEffectOnly: boolean): void => {
      if (specifier === undefined) return;
      if (specifier === shimRegisterModule || (sideEffectOnly && analysis.settings.trackers.includes(specifier))) handlesShutdown = true;
    };

    return {
      ImportDeclaration(declaration: TSESTree.ImportDeclaration) {
        noteModule(declaration.source.value, declaration.specifiers.length === 0);
      },
      ImportExpression(expression: TSESTree.ImportExpression) {
        noteModule(stringValue(expression.source), true);
      },
      CallExpression(call: TSESTree.CallExpression) {
        if (handlesShutdown) return;
        const name = calleeName(call);
        if (name === 'require') {
          noteModule(requiredModule(call, context.sourceCode), call.parent.type === AST_NODE_TYPES.ExpressionStatement);
          return;
        }
        if (name === 'installShutdownHandlers' && analysis.isTrackerCall(call, installNames)) {
          handlesShutdown = true;
          return;
        }
        if (signalRegistration(call, analysis)?.signal === 'SIGTERM') {
          handlesShutdown = true;
          return;
        }
        if (!detect || startsWork !== undefined || name === undefined || enclosingFunction(call) !== undefined) return;
        startsWork = workStartedBy(call) ?? workStartedThrough(call);
      },
      'Program:exit'(program: TSESTree.Program) {
        if (handlesShutdown || (!listedEntry && startsWork === undefined)) return;
        const statement =
          moduleKindOf(context) === 'esm' ? `import '${shimRegisterModule}';` : `require('${shimRegisterModule}');`;
        context.report({
          node: program,
          loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } },
          messageId: 'missingShutdownHandler',
          data: { why: startsWork ?? 'is listed in the entries option', reason: listedEntry ? 'entry' : 'starts-work' },
          suggest: [
            {
              messageId: 'addRegisterImport',
              data: { statement },
              fix: (fixer) => insertFirstStatement(program, fixer, statement),
            },
          ],
        });
      },
    };

    /** What a call itself starts: a timer or a server. */
    function workStartedBy(call: TSESTree.CallExpression): string | undefined {
      const name = calleeName(call);
      if (name === undefined) return undefined;
      if (timerNamesHere.has(name) && startsTimer(call)) return 'starts a timer at top level';
      if (name === 'listen') {
        const receiver = listenReceiver(call);
        if (receiver && serverKindOf(receiver, analysis) !== undefined) return 'starts a server at top level';
      }
      return undefined;
    }

    /** What a top-level call of a function of this file starts, following its calls of other functions of the file. */
    function workStartedThrough(call: TSESTree.CallExpression): string | undefined {
      const origin = analysis.origin(call.callee);
      if (origin.kind !== 'function') return undefined;
      const visited = new Set<FunctionLike>();
      const pending: FunctionLike[] = [origin.node];
      let found: string | undefined;
      while (pending.length > 0 && found === undefined && visited.size < maxFollowedFunctions) {
        const fn = pending.pop()!;
        if (visited.has(fn)) continue;
        visited.add(fn);
        walk(fn, analysis.visitorKeys, (node) => {
          if (found !== undefined) return false;
          if (node.type !== AST_NODE_TYPES.CallExpression) return true;
          const started = workStartedBy(node);
          if (started !== undefined) {
            found = started.replace('at top level', 'when the module loads');
            return false;
          }
          const callee = analysis.origin(node.callee);
          if (callee.kind === 'function' && !visited.has(callee.node)) pending.push(callee.node);
          return true;
        });
      }
      return found;
    }

    function startsTimer(call: TSESTree.CallExpression): boolean {
      const origin = analysis.origin(call.callee);
      const tracked = analysis.trackerFunction(call.callee);
      const isTimer =
        (origin.kind === 'global' && timerNames.has(origin.name) && startingTimers.has(origin.name)) ||
        (tracked !== undefined && startingTimers.has(tracked));
      return isTimer && !isDelayInsideWork(call, analysis);
    }
  },
});
