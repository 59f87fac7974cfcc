import { Node, SyntaxKind, type ArrowFunction, type CallExpression, type ExpressionStatement, type FunctionExpression } from 'ts-morph';
import type { TransformContext } from '../../find/findings.js';
import { replacement } from '../edits.js';
import { longestLine } from '../review.js';
import { indentationAt } from '../../write/source-text.js';
import { uncatchableSignalReason } from './signal-ownership.js';
import { indentationOf, indentUnitOf, removalOfStatement, semicolon } from './statement-edits.js';

export const GRACEFUL_SHUTDOWN_MODULE = 'http-graceful-shutdown';

/**
 * Why a `gracefulShutdown(server, options)` is not always handed to the shim: the hand-over keeps what the library did
 * only where every option has a counterpart the codemod can write, so it reads the call and leaves the rest to review.
 */
export const GRACEFUL_SHUTDOWN_REVIEW =
  "http-graceful-shutdown destroys this server's idle keep-alive connections at once when the signal comes: to drain them, replace this call with trackServer(server), installShutdownHandlers({ signals }) and an onShutdown(…) hook that runs its onShutdown and finally";

/** What the library does when an option is left out (its own defaults, in versions 3 and 4). */
const LIBRARY_DEFAULTS = { signals: ['SIGINT', 'SIGTERM'], timeoutMs: 30_000 } as const;

/**
 * The library's `onShutdown` has no time bound of its own, the shim's deadline bounds everything: the drain keeps the
 * library's `timeout`, and the hook gets this much more (the shim's `cleanupReserveMs`, so an overrun drain still
 * leaves it that long).
 */
export const TEARDOWN_RESERVE_MS = 10_000;

export interface GracefulShutdownHandOver {
  /** The `gracefulShutdown(server, { … });` statement, replaced. */
  readonly statement: ExpressionStatement;
  /** The server given to the library (evaluated once, where it was). */
  readonly server: string;
  readonly signals: readonly string[];
  /** The library's `timeout`: how long it waited for connections before it destroyed them. */
  readonly timeoutMs: number;
  /** What the cleanup hook runs: the library's `onShutdown` and `finally`, by name, or the one written inline. */
  readonly hook: TeardownHook | undefined;
  /** Whether the call's options end in a trailing comma over lines (the layout of a multi-line call follows it). */
  readonly trailingComma: boolean;
  /** `const gracefulShutdown = require('http-graceful-shutdown')` (or the import) when nothing else uses it. */
  readonly unusedImport: Node | undefined;
}

type InlineFunction = ArrowFunction | FunctionExpression;
type Teardown = { readonly name: string } | { readonly inline: InlineFunction };
type TeardownHook =
  | { readonly inline: InlineFunction; readonly option: 'onShutdown' | 'finally' }
  | { readonly onShutdown: string | undefined; readonly final: string | undefined };

export type GracefulShutdownPlan = { readonly handOver: GracefulShutdownHandOver } | { readonly review: string };

const plans = new WeakMap<TransformContext, Map<number, GracefulShutdownPlan>>();

/**
 * Whether a `gracefulShutdown(server, options)` call (reported by the plugin as `closedByShutdownLibrary`) can be
 * handed to the shim so that one SIGINT or SIGTERM does what the library did, with the drain it lacks:
 * `trackServer(server)` (its keep-alive connections end without a reset), the library's `onShutdown(signal)` then its
 * `finally()` in one cleanup hook after the drain (the library runs `finally` only when `onShutdown` succeeded, and
 * exits 1 when it failed: so does the shim), and `installShutdownHandlers` for the same signals, with the library's
 * `timeout` for the drain, and exit code 0 after a signal, as the library's `process.exit(0)`. (One difference is
 * deliberate: where the drain overruns that timeout, the shim exits 1, where the library destroyed the connections
 * left and still exited 0.) It can where the call is a statement (its returned manual shutdown is not used), its options are an
 * object literal of the library's own options, with literal values where they are values, functions given by name,
 * and no `preShutdown` (which would have to run before the server closes), `development: true` (which exits at once)
 * or `forceExit: false` (which never exits). Memoized per call.
 */
export function gracefulShutdownPlanOf(call: CallExpression, context: TransformContext): GracefulShutdownPlan {
  let byCall = plans.get(context);
  if (!byCall) plans.set(context, (byCall = new Map()));
  let plan = byCall.get(call.getStart());
  if (!plan) byCall.set(call.getStart(), (plan = planHandOver(call, context)));
  return plan;
}

function planHandOver(call: CallExpression, context: TransformContext): GracefulShutdownPlan {
  const review = (why: string): GracefulShutdownPlan => ({ review: `${GRACEFUL_SHUTDOWN_REVIEW} (${why})` });
  const statement = call.getParent();
  if (!Node.isExpressionStatement(statement)) return review('its returned shutdown function is used, so the codemod leaves it to you');
  const [server, options, ...rest] = call.getArguments();
  if (!server || rest.length > 0 || Node.isSpreadElement(server)) return review('it is not called with a server and an options object');
  let signals: readonly string[] = LIBRARY_DEFAULTS.signals;
  let timeoutMs: number = LIBRARY_DEFAULTS.timeoutMs;
  let onShutdown: Teardown | undefined;
  let final: Teardown | undefined;
  if (options !== undefined) {
    if (!Node.isObjectLiteralExpression(options)) return review('its options are not an object the codemod can read');
    for (const property of options.getProperties()) {
      if (!Node.isPropertyAssignment(property) && !Node.isShorthandPropertyAssignment(property)) {
        return review(`its option ${property.getText().slice(0, 40)} is not one the codemod can carry over`);
      }
      const name = property.getName();
      const value = Node.isPropertyAssignment(property) ? property.getInitializerOrThrow() : property.getNameNode();
      switch (name) {
        case 'signals': {
          const read = readSignals(value);
          if (typeof read === 'string') return review(read);
          signals = read;
          break;
        }
        case 'timeout':
          if (!Node.isNumericLiteral(value) || value.getLiteralValue() <= 0) return review('its timeout is not a positive number the codemod can read');
          timeoutMs = value.getLiteralValue();
          break;
        case 'development':
          if (!Node.isFalseLiteral(value)) return review('development: true exits at once at the signal, which the shim does not do');
          break;
        case 'forceExit':
          if (!Node.isTrueLiteral(value)) return review('forceExit: false leaves the process to end by itself, where the shim exits');
          break;
        case 'onShutdown':
        case 'finally': {
          const teardown = readTeardown(value, name);
          if (typeof teardown === 'string') return review(teardown);
          if (name === 'onShutdown') onShutdown = teardown;
          else final = teardown;
          break;
        }
        case 'preShutdown':
          return review('its preShutdown runs before the server closes: make it an onShutdown(…, { phase: "intake" }) hook of the shim');
        default:
          return review(`its option ${name} is not one the codemod can carry over`);
      }
    }
  }
  if (onShutdown && final && ('inline' in onShutdown || 'inline' in final)) {
    return review('its onShutdown and finally are not both functions given by name, which the codemod can run one after the other in a hook');
  }
  const nameOf = (teardown: Teardown | undefined): string | undefined => (teardown && 'name' in teardown ? teardown.name : undefined);
  const hook: TeardownHook | undefined =
    onShutdown && 'inline' in onShutdown
      ? { inline: onShutdown.inline, option: 'onShutdown' }
      : final && 'inline' in final
        ? { inline: final.inline, option: 'finally' }
        : onShutdown || final
          ? { onShutdown: nameOf(onShutdown), final: nameOf(final) }
          : undefined;
  return {
    handOver: {
      statement,
      server: server.getText(),
      signals,
      timeoutMs,
      hook,
      trailingComma: options !== undefined && /,\s*\}$/.test(options.getText()),
      unusedImport: unusedLibraryImport(call, context),
    },
  };
}

/**
 * A teardown function the hook can run as the library did: a name (called at shutdown, as the library called it), or
 * an arrow or function expression written there, which becomes the hook itself. The library calls `onShutdown` with
 * the signal's name and `finally` with nothing; the hook gets the shim's context, so an inline `onShutdown`'s one
 * parameter is taken from it (`{ reason: signal }`), and an inline `finally` may have none. A function expression
 * that uses `this` (the library's options object) stays with the library.
 */
function readTeardown(value: Node, option: 'onShutdown' | 'finally'): Teardown | string {
  if (Node.isIdentifier(value)) {
    return value.getText() === 'reason' ? `its ${option} is named reason, a name the hook's parameter takes` : { name: value.getText() };
  }
  if (!Node.isArrowFunction(value) && !Node.isFunctionExpression(value)) return `its ${option} is not a function the codemod can move into a hook`;
  if (Node.isFunctionExpression(value) && value.getDescendantsOfKind(SyntaxKind.ThisKeyword).length > 0) {
    return `its ${option} uses this (the library's options), which a hook does not have`;
  }
  const parameters = value.getParameters();
  const [parameter] = parameters;
  const simple = parameter === undefined || (Node.isIdentifier(parameter.getNameNode()) && !parameter.hasInitializer() && !parameter.isRestParameter());
  if (parameters.length > (option === 'onShutdown' ? 1 : 0) || !simple) return `its ${option} takes parameters the codemod cannot give it from the hook`;
  return { inline: value };
}

/** `'SIGINT SIGTERM'` as the library reads it (split at spaces), each a signal a listener can catch, each once. */
function readSignals(value: Node): readonly string[] | string {
  if (!Node.isStringLiteral(value) && !Node.isNoSubstitutionTemplateLiteral(value)) return 'its signals are not a string the codemod can read';
  const names: string[] = [];
  for (const name of value.getLiteralValue().split(' ').map((part) => part.trim()).filter((part) => part.length > 0)) {
    const uncatchable = uncatchableSignalReason(name);
    if (uncatchable !== undefined) return uncatchable;
    if (!names.includes(name)) names.push(name);
  }
  return names.length > 0 ? names : 'it is given no signal';
}

/** The statement that binds the library's function when the handed-over call is its only use (to remove it too). */
function unusedLibraryImport(call: CallExpression, context: TransformContext): Node | undefined {
  const callee = call.getExpression();
  if (!Node.isIdentifier(callee)) return undefined;
  const name = callee.getText();
  // The binding and the call: nothing else names it.
  if (context.names.occurrences(name).length !== 2) return undefined;
  const sourceFile = context.sourceFile;
  for (const declaration of sourceFile.getImportDeclarations()) {
    if (declaration.getModuleSpecifierValue() !== GRACEFUL_SHUTDOWN_MODULE) continue;
    const clause = declaration.getImportClause();
    const onlyDefault = clause && !clause.isTypeOnly() && clause.getDefaultImport()?.getText() === name && clause.getNamedBindings() === undefined;
    return onlyDefault ? declaration : undefined;
  }
  for (const statement of sourceFile.getVariableStatements()) {
    const [declaration, ...others] = statement.getDeclarations();
    const initializer = declaration?.getInitializer();
    if (!declaration || others.length > 0 || declaration.getName() !== name || !Node.isCallExpression(initializer)) continue;
    const [module] = initializer.getArguments();
    if (initializer.getExpression().getText() === 'require' && module && Node.isStringLiteral(module) && module.getLiteralValue() === GRACEFUL_SHUTDOWN_MODULE) {
      return statement;
    }
  }
  return undefined;
}

/**
 * Replaces the call with the shim's handling of the same signals (a one-line comment above it), laid out over lines
 * where one would be longer than the file's longest (at least 80), and removes the library's import when nothing else
 * uses it:
 *
 *     trackServer(server);
 *     onShutdown(async ({ reason }) => {
 *       await shutdownFunction(reason);
 *       finalFunction();
 *     }, { name: 'shutdownFunction' });
 *     installShutdownHandlers({ signals: ['SIGINT', 'SIGTERM'], timeoutMs: 40000, cleanupReserveMs: 10000 });
 */
export function handOverGracefulShutdown(plan: GracefulShutdownHandOver, context: TransformContext): void {
  const { quote, eol } = context.style;
  const end = semicolon(context.style.semicolons);
  const indent = indentationOf(context.text, plan.statement);
  const unit = indentUnitOf(context.text);
  const width = Math.max(80, longestLine(context.text));
  const lines = ["// http-graceful-shutdown's signals, now the shim's: it drains, then tears down."];
  lines.push(`${context.imports.localName('trackServer')}(${plan.server})${end}`);
  const { hook } = plan;
  if (hook && 'inline' in hook) {
    // Written where the library was given it: it becomes the hook, at the statement's indentation.
    const text = `${context.imports.localName('onShutdown')}(${hookFunctionText(hook.inline, context.text, indent)}, { name: ${quote}${hook.option}${quote} })${end}`;
    lines.push(...text.split(/\r?\n/));
  } else if (hook) {
    const body: string[] = [];
    if (hook.onShutdown !== undefined) body.push(`await ${hook.onShutdown}(reason)${end}`);
    if (hook.final !== undefined) body.push(`${hook.final}()${end}`);
    const parameter = hook.onShutdown !== undefined ? `async ({ reason })` : '()';
    lines.push(
      `${context.imports.localName('onShutdown')}(${parameter} => {`,
      ...body.map((line) => `${unit}${line}`),
      `}, { name: ${quote}${hook.onShutdown ?? hook.final}${quote} })${end}`,
    );
  }
  const install = context.imports.localName('installShutdownHandlers');
  const names = plan.signals.map((signal) => `${quote}${signal}${quote}`).join(', ');
  const fields = [`signals: [${names}]`, `timeoutMs: ${plan.timeoutMs + TEARDOWN_RESERVE_MS}`, `cleanupReserveMs: ${TEARDOWN_RESERVE_MS}`];
  const oneLine = `${install}({ ${fields.join(', ')} })${end}`;
  if (indent.length + oneLine.length <= width) lines.push(oneLine);
  else lines.push(`${install}({`, ...fields.map((field, index) => `${unit}${field}${index < fields.length - 1 || plan.trailingComma ? ',' : ''}`), `})${end}`);
  const text = lines.map((line, index) => (index === 0 ? line : `${indent}${line}`)).join(eol);
  context.edit(replacement(plan.statement.getStart(), plan.statement.getEnd(), text));
  if (plan.unusedImport) context.edit(removalOfStatement(context.text, plan.unusedImport));
}

/** Whether this call is one the plugin reported (`closedByShutdownLibrary`), whose plan then decides what it gets. */
export function isReportedGracefulShutdown(call: CallExpression, context: TransformContext): boolean {
  // By range, not context.nodeOf, which counts the finding as located once more.
  return context.allFindings.some((finding) => finding.messageId === 'closedByShutdownLibrary' && finding.start === call.getStart() && finding.end === call.getEnd());
}

/**
 * An inline teardown function's text as a hook: its one parameter (the signal's name) taken from the shim's context,
 * `(signal) => …` → `({ reason: signal }) => …`, and its lines after the first moved out to `indent` by as much as
 * the property it was written in was further in.
 */
function hookFunctionText(fn: InlineFunction, text: string, indent: string): string {
  const start = fn.getStart();
  let source = text.slice(start, fn.getEnd());
  const [parameter] = fn.getParameters();
  if (parameter) {
    const name = parameter.getName();
    const parenthesized = fn.getFirstChildByKind(SyntaxKind.OpenParenToken) !== undefined;
    const from = parameter.getStart() - start;
    const to = parameter.getEnd() - start;
    source = source.slice(0, from) + (parenthesized ? `{ reason: ${name} }` : `({ reason: ${name} })`) + source.slice(to);
  }
  const written = indentationAt(text, start);
  const extra = written.length - indent.length;
  if (extra <= 0 || !written.startsWith(indent)) return source;
  const [first, ...rest] = source.split(/(?<=\n)/);
  return [first, ...rest.map((line) => (line.startsWith(written.slice(0, extra)) ? line.slice(extra) : line))].join('');
}
