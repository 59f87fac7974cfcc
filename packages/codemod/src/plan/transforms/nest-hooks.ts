import { readFileSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { Node, type CallExpression, type ExpressionStatement, type PropertyAccessExpression, type SourceFile } from 'ts-morph';
import { DEFAULT_IGNORES, SOURCE_EXTENSIONS } from '../../find/discover.js';
import type { TransformContext } from '../../find/findings.js';
import { replacement } from '../edits.js';
import { longestLine } from '../review.js';
import { uncatchableSignalReason } from './signal-ownership.js';
import { indentationOf, semicolon } from './statement-edits.js';

/**
 * Why a Nest app that calls `app.enableShutdownHooks()` is not always rewritten: `trackServer(app)` alone changes
 * nothing (Nest's listener still closes the app and re-raises the signal before anything drains), and handing the
 * signals to the shim instead (its handlers, then `app.close()` after the drain) leaves the timers and consumers that
 * providers stop in `onModuleDestroy` running through the drain, which then waits for new work until its deadline
 * (tried on the nest-shutdown-hooks fixture: 100 audits started after SIGTERM). Moving those first is the maintainer's
 * call.
 */
export const NEST_HOOKS_REVIEW =
  "Nest's enableShutdownHooks() owns the signals here, so nothing drains tracked work: to drain it, replace that call with the shim's signal handling and listen with trackServer(app) (which runs app.close() after the drain), after moving the timers and consumers your providers stop in onModuleDestroy to the shim's setInterval or an onShutdown intake hook, or they keep starting work during the drain";

/** What `app.enableShutdownHooks()` listens to when given no signals: Nest's `ShutdownSignal` enum, in its order. */
const NEST_DEFAULT_SIGNALS: readonly string[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV', 'SIGUSR2', 'SIGTERM'];

/**
 * Lifecycle hooks that Nest runs before it closes the HTTP server: a provider's hook there may stop intake (clear its
 * timer, stop its consumer), which after the hand-over would run only after the drain. `onApplicationShutdown` runs
 * after the server has closed, under Nest as after the drain: its order does not change.
 */
const HOOKS_BEFORE_SERVER_CLOSE = /\b(?:onModuleDestroy|beforeApplicationShutdown)\b/;

/**
 * Nest queue modules whose processors take jobs until their own lifecycle hooks stop them. (`@nestjs/microservices`
 * runs a server only where the app connects one: `connectMicroservice`, looked for in the file.)
 */
const CONSUMER_MODULES = ['@nestjs/bull', '@nestjs/bullmq'];

/** A bound on the files read to look for lifecycle hooks; a package larger than this is left to review. */
const MAX_SCANNED_FILES = 20_000;

export interface NestHandOver {
  /** The `app.enableShutdownHooks(…);` statement, replaced by the shim's signal handling. */
  readonly statement: ExpressionStatement;
  /** The shim's `installShutdownHandlers` options that keep what Nest did: its signals, and how it ended. */
  readonly options: { readonly signals: readonly string[]; readonly reraiseSignal: boolean };
}

export type NestHandOverPlan = { readonly handOver: NestHandOver } | { readonly review: string; readonly at: Node };

const plans = new WeakMap<TransformContext, Map<string, NestHandOverPlan | undefined>>();

/**
 * Whether the signals Nest's `app.enableShutdownHooks()` owns (for the app named `app`) can be handed to the shim:
 * `installShutdownHandlers({ signals, reraiseSignal })` in place of that call, and `trackServer(app)`, which runs
 * `app.close()` (every lifecycle hook) after the drain. So one signal still runs Nest's whole teardown once, and still
 * ends the process by that signal (or with exit code 0 under `useProcessExit`), as Nest did, with the drain first.
 *
 * It is safe only where nothing the app runs would keep starting work through the drain: no provider of the package
 * has a hook that Nest runs before the server closes (`onModuleDestroy`, `beforeApplicationShutdown`), the package
 * depends on no Nest queue module, the file connects no microservice, and the call is one the codemod can read (once,
 * as a statement, with no options but `useProcessExit` and literal signal names). Otherwise the plan is a review item, and where. Undefined when the file
 * has no `app.enableShutdownHooks()`.
 */
export function nestHandOverOf(app: string, context: TransformContext): NestHandOverPlan | undefined {
  let byApp = plans.get(context);
  if (!byApp) plans.set(context, (byApp = new Map()));
  if (!byApp.has(app)) byApp.set(app, planHandOver(app, context));
  return byApp.get(app);
}

function planHandOver(app: string, context: TransformContext): NestHandOverPlan | undefined {
  const calls = enableShutdownHooksCalls(context.sourceFile).filter((call) => receiverText(call) === app);
  const [call] = calls;
  if (!call) return undefined;
  if (calls.length > 1) return { review: `${NEST_HOOKS_REVIEW} (it is called more than once)`, at: call };
  const statement = call.getParent();
  if (!Node.isExpressionStatement(statement)) {
    return { review: `${NEST_HOOKS_REVIEW} (this call's result is used, so the codemod leaves it to you)`, at: call };
  }
  const options = readCall(call);
  if (typeof options === 'string') return { review: `${NEST_HOOKS_REVIEW} (${options})`, at: call };
  if (/\b(?:connectMicroservice|startAllMicroservices)\b/.test(context.text)) {
    return { review: `${NEST_HOOKS_REVIEW} (this app runs microservices, which take messages until app.close())`, at: call };
  }
  const packageDir = context.role.packageDir;
  if (packageDir === undefined) return { review: `${NEST_HOOKS_REVIEW} (no package.json above this file to read the providers of)`, at: call };
  const consumer = consumerDependency(packageDir);
  if (consumer !== undefined) return { review: `${NEST_HOOKS_REVIEW} (the package ${consumer})`, at: call };
  const hook = hookBeforeServerClose(packageDir);
  if (hook !== undefined) return { review: `${NEST_HOOKS_REVIEW} (${hook})`, at: call };
  return { handOver: { statement, options } };
}

/**
 * Replaces `app.enableShutdownHooks(…);` with the shim's signal handling for the same signals, ending the same way:
 * `installShutdownHandlers({ signals: [...], reraiseSignal: true });`, under a comment saying where Nest's teardown
 * went, laid out over lines where one would be longer than the file's longest (at least 80). The caller wraps the app
 * in `trackServer(…)`, which is what runs `app.close()` after the drain.
 */
export function handOverToShim({ statement, options }: NestHandOver, context: TransformContext): void {
  const install = context.imports.localName('installShutdownHandlers');
  const { quote, eol } = context.style;
  const end = semicolon(context.style.semicolons);
  const indent = indentationOf(context.text, statement);
  const unit = indent.includes('\t') ? '\t' : '  ';
  const width = Math.max(80, longestLine(context.text));
  const names = options.signals.map((signal) => `${quote}${signal}${quote}`);
  const reraise = `reraiseSignal: ${String(options.reraiseSignal)}`;
  const fits = (line: string): boolean => line.length <= width;
  let call = `${indent}${install}({ signals: [${names.join(', ')}], ${reraise} })${end}`;
  if (!fits(call)) {
    const inner = indent + unit;
    const signalsLine = `${inner}signals: [${names.join(', ')}],`;
    const signals = fits(signalsLine) ? [signalsLine] : [`${inner}signals: [`, ...names.map((name, index) => `${inner}${unit}${name}${index < names.length - 1 ? ',' : ''}`), `${inner}],`];
    call = [`${indent}${install}({`, ...signals, `${inner}${reraise}`, `${indent}})${end}`].join(eol);
  }
  const comment = "// Nest's signals, now the shim's: it drains, then trackServer(app) runs app.close().";
  context.edit(replacement(statement.getStart(), statement.getEnd(), `${comment}${eol}${call}`));
}

function enableShutdownHooksCalls(sourceFile: SourceFile): CallExpression[] {
  if (!sourceFile.getFullText().includes('enableShutdownHooks')) return [];
  return sourceFile.getDescendants().filter((node): node is CallExpression => {
    if (!Node.isCallExpression(node)) return false;
    const callee = node.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'enableShutdownHooks';
  });
}

/** The app a call `app.enableShutdownHooks(…)` is made on (enableShutdownHooksCalls keeps only such calls). */
function receiverText(call: CallExpression): string {
  return (call.getExpression() as PropertyAccessExpression).getExpression().getText();
}

/** The call's signals and ending as the shim's options, or why they cannot be read. */
function readCall(call: CallExpression): NestHandOver['options'] | string {
  const [signalsArgument, optionsArgument, ...rest] = call.getArguments();
  if (rest.length > 0) return 'it is called with more arguments than Nest takes';
  let signals = NEST_DEFAULT_SIGNALS;
  if (signalsArgument !== undefined) {
    if (!Node.isArrayLiteralExpression(signalsArgument)) return 'its signals are not a list of names the codemod can read';
    const names: string[] = [];
    for (const element of signalsArgument.getElements()) {
      if (!Node.isStringLiteral(element) && !Node.isNoSubstitutionTemplateLiteral(element)) return 'its signals are not a list of names the codemod can read';
      // As Nest reads them: upper-cased and trimmed, each once.
      const name = element.getLiteralValue().toUpperCase().trim();
      const uncatchable = uncatchableSignalReason(name);
      if (uncatchable !== undefined) return uncatchable;
      if (!names.includes(name)) names.push(name);
    }
    if (names.length > 0) signals = names;
  }
  let reraiseSignal = true;
  if (optionsArgument !== undefined) {
    if (!Node.isObjectLiteralExpression(optionsArgument)) return 'its options are not an object the codemod can read';
    for (const property of optionsArgument.getProperties()) {
      const initializer = Node.isPropertyAssignment(property) && property.getName() === 'useProcessExit' ? property.getInitializer() : undefined;
      if (!initializer || !(Node.isTrueLiteral(initializer) || Node.isFalseLiteral(initializer))) {
        return `its option ${Node.isPropertyAssignment(property) ? property.getName() : property.getText()} is not one the codemod can carry over`;
      }
      // useProcessExit: Nest ends with process.exit(0) after its teardown instead of re-raising the signal.
      reraiseSignal = !Node.isTrueLiteral(initializer);
    }
  }
  return { signals, reraiseSignal };
}

/** Why the package's dependencies keep the hand-over from being safe (a queue module), or undefined. */
function consumerDependency(packageDir: string): string | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  } catch {
    return 'has a package.json the codemod cannot read';
  }
  const dependencies = typeof manifest === 'object' && manifest !== null ? (manifest as Record<string, unknown>)['dependencies'] : undefined;
  if (typeof dependencies !== 'object' || dependencies === null) return undefined;
  const consumer = CONSUMER_MODULES.find((name) => Object.hasOwn(dependencies, name));
  return consumer === undefined ? undefined : `depends on ${consumer}, whose processors take jobs until its own hooks stop them`;
}

/**
 * Why the package may stop work in a hook Nest runs before the server closes: the first source file (relative to it,
 * in path order) that names one, or that it has too many files to read; undefined when none does. Every source file
 * the codemod would never rewrite anyway (DEFAULT_IGNORES: dependencies, build outputs) is left out; tests are read
 * too, a review item more being the safe side.
 */
function hookBeforeServerClose(packageDir: string): string | undefined {
  const files = globSync(`**/*.{${SOURCE_EXTENSIONS.join(',')}}`, { cwd: packageDir, ignore: [...DEFAULT_IGNORES] }).sort();
  if (files.length > MAX_SCANNED_FILES) return 'the package has too many files to look for lifecycle hooks in';
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(path.join(packageDir, file), 'utf8');
    } catch {
      continue;
    }
    if (HOOKS_BEFORE_SERVER_CLOSE.test(text)) return `${file} has an onModuleDestroy or beforeApplicationShutdown hook`;
  }
  return undefined;
}
