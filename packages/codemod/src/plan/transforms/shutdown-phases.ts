import { Node, SyntaxKind, type Expression, type IfStatement, type Statement } from 'ts-morph';

/**
 * Which shutdown phase a statement of an app's own signal handler belongs to, once the shim owns the signal:
 * - `intake`: it stops new work (a flag such as `accepting = false`, clearing a timer, closing a listening
 *   server, stopping or pausing a consumer) or only reports (a log line): it must run at the signal, before the
 *   drain, as it did before;
 * - `cleanup`: it closes something in-flight work still needs (a pool, a client, a connection): it runs after
 *   the drain, or the drained work fails;
 * - `unknown`: neither can be told from the code; it stays at intake (it ran at the signal before) and the
 *   rewrite leaves a review item.
 */
export type Phase = 'intake' | 'cleanup' | 'unknown';

const TIMER_CLEARS = new Set(['clearInterval', 'clearTimeout', 'clearImmediate']);
/** Methods that end a resource's life. On a server they stop intake; on a client they end what work uses. */
const CLOSE_METHODS = new Set(['close', 'end', 'quit', 'disconnect', 'destroy', 'release', 'terminate', '$disconnect', 'shutdown', 'dispose']);
/** Methods that stop a source of new work without ending what it serves. */
const INTAKE_METHODS = new Set(['stop', 'pause', 'unsubscribe', 'removeAllListeners', 'removeListener', 'off', 'abort', 'cancel', 'unwatch', 'closeIdleConnections']);
const LOG_RECEIVERS = /^(?:console|logger|log|pino|winston|debug)$/i;
/** Names of things that accept work: closing them stops intake. */
const SERVER_NAME = /(?:^|[a-z_$])(?:server|srv|listener|app|http|https|wss|io|gateway)(?:$|[A-Z_\d])/i;
/** Names of things in-flight work uses: closing them is cleanup. */
const RESOURCE_NAME =
  /(?:^|[a-z_$])(?:pool|client|db|database|store|conn|connection|connections|redis|cache|knex|sequelize|prisma|mongo|mongoose|amqp|channel|producer|publisher|sql|pg|mysql|sqlite|session|transport|broker|kafka|nats|mq|queue|repository|repo|orm|datasource|storage|bucket|file|stream|writer|socket)(?:$|[A-Z_\d]|s$)/i;
/** Initialisers that make a server, by the call that made the variable's value. */
const SERVER_FACTORIES = /(?:^|\.)(?:createServer|createSecureServer|listen|express|fastify|Koa|Hapi\.server|server)$/;

export function phaseOf(statement: Statement): Phase {
  if (Node.isIfStatement(statement)) return phaseOfGuarded(statement);
  if (Node.isBlock(statement)) return phaseOfAll(statement.getStatements());
  if (!Node.isExpressionStatement(statement)) return 'unknown';
  return phaseOfExpression(statement.getExpression());
}

/** The phase of statements that run together: theirs when they all share one (no statements: intake), else unknown. */
export function phaseOfAll(statements: readonly Statement[]): Phase {
  const phases = new Set(statements.map(phaseOf));
  if (phases.size === 0) return 'intake';
  return phases.size === 1 ? [...phases][0]! : 'unknown';
}

/**
 * `if (server) { server.close(); }`: a guard that only reads (names, properties, comparisons, `!`, `typeof`) runs
 * what its branches run, so the branches decide, when they agree.
 */
function phaseOfGuarded(statement: IfStatement): Phase {
  if (!readsOnly(statement.getExpression())) return 'unknown';
  const otherwise = statement.getElseStatement();
  return phaseOfAll(otherwise ? [statement.getThenStatement(), otherwise] : [statement.getThenStatement()]);
}

const COMPARISONS = new Set([
  SyntaxKind.EqualsEqualsEqualsToken,
  SyntaxKind.ExclamationEqualsEqualsToken,
  SyntaxKind.EqualsEqualsToken,
  SyntaxKind.ExclamationEqualsToken,
  SyntaxKind.AmpersandAmpersandToken,
  SyntaxKind.BarBarToken,
  SyntaxKind.QuestionQuestionToken,
]);

/** An expression that reads and calls nothing (a getter aside, as anywhere in syntax-only code). */
function readsOnly(expression: Expression): boolean {
  const inner = unwrapped(expression);
  if (Node.isIdentifier(inner) || Node.isLiteralExpression(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return true;
  if ([SyntaxKind.TrueKeyword, SyntaxKind.FalseKeyword, SyntaxKind.NullKeyword, SyntaxKind.ThisKeyword].includes(inner.getKind())) return true;
  if (Node.isPropertyAccessExpression(inner)) return readsOnly(inner.getExpression());
  if (Node.isPrefixUnaryExpression(inner)) return inner.getOperatorToken() === SyntaxKind.ExclamationToken && readsOnly(inner.getOperand());
  if (Node.isTypeOfExpression(inner)) return readsOnly(inner.getExpression());
  if (Node.isBinaryExpression(inner)) {
    return COMPARISONS.has(inner.getOperatorToken().getKind()) && readsOnly(inner.getLeft()) && readsOnly(inner.getRight());
  }
  return false;
}

/** The phase of one expression (an expression-bodied listener's body, or a statement's expression). */
export function phaseOfExpression(node: Expression): Phase {
  const expression = unwrapped(node);
  // `await new Promise((resolve) => server.close(() => resolve()))`: the promisified call decides.
  const promisified = promisifiedCall(expression);
  if (promisified) return phaseOfExpression(promisified);
  if (Node.isBinaryExpression(expression) && expression.getOperatorToken().getKind() === SyntaxKind.AmpersandAmpersandToken && readsOnly(expression.getLeft())) {
    // `server && server.close()`: a guard, as with `if`.
    return phaseOfExpression(expression.getRight());
  }
  if (Node.isBinaryExpression(expression)) {
    const operator = expression.getOperatorToken().getKind();
    return operator >= SyntaxKind.FirstAssignment && operator <= SyntaxKind.LastAssignment ? 'intake' : 'unknown';
  }
  if (Node.isPrefixUnaryExpression(expression) || Node.isPostfixUnaryExpression(expression)) return 'intake';
  if (!Node.isCallExpression(expression)) return 'unknown';
  const callee = unwrapped(expression.getExpression());
  if (Node.isIdentifier(callee)) return TIMER_CLEARS.has(callee.getText()) ? 'intake' : 'unknown';
  if (!Node.isPropertyAccessExpression(callee)) return 'unknown';
  const method = callee.getName();
  const receiver = unwrapped(callee.getExpression());
  const receiverName = lastName(receiver);
  if (receiverName !== undefined && LOG_RECEIVERS.test(receiverName)) return 'intake';
  if (INTAKE_METHODS.has(method)) return 'intake';
  if (!CLOSE_METHODS.has(method) || receiverName === undefined) return 'unknown';
  if (isServer(receiver, receiverName)) return 'intake';
  if (RESOURCE_NAME.test(receiverName)) return 'cleanup';
  return 'unknown';
}

/**
 * Whether a statement of a listener at most reports (a log line, a guard around one, nothing): a listener that does
 * no more keeps the process running at the signal, which is no shutdown handling to connect the drain to.
 */
export function onlyReports(statement: Statement): boolean {
  if (Node.isEmptyStatement(statement)) return true;
  if (Node.isBlock(statement)) return statement.getStatements().every(onlyReports);
  if (Node.isIfStatement(statement)) {
    const otherwise = statement.getElseStatement();
    return readsOnly(statement.getExpression()) && onlyReports(statement.getThenStatement()) && (!otherwise || onlyReports(otherwise));
  }
  return Node.isExpressionStatement(statement) && expressionOnlyReports(statement.getExpression());
}

/** `logger.info('…')`, `undefined`, `void 0`: an expression that reports or does nothing. */
export function expressionOnlyReports(node: Expression): boolean {
  const expression = unwrapped(node);
  if (readsOnly(expression)) return true;
  if (!Node.isCallExpression(expression)) return false;
  const callee = unwrapped(expression.getExpression());
  if (!Node.isPropertyAccessExpression(callee)) return false;
  const receiverName = lastName(unwrapped(callee.getExpression()));
  return receiverName !== undefined && LOG_RECEIVERS.test(receiverName);
}

/** The one call inside `new Promise((resolve) => call(…))`, if that is all the executor does. */
function promisifiedCall(expression: Expression): Expression | undefined {
  if (!Node.isNewExpression(expression) || expression.getExpression().getText() !== 'Promise') return undefined;
  const executor = expression.getArguments()[0];
  if (!executor || !(Node.isArrowFunction(executor) || Node.isFunctionExpression(executor))) return undefined;
  const body = executor.getBody();
  if (!Node.isBlock(body)) return Node.isExpression(body) ? unwrapped(body) : undefined;
  const statements = body.getStatements();
  const only = statements.length === 1 ? statements[0] : undefined;
  return Node.isExpressionStatement(only) ? unwrapped(only.getExpression()) : undefined;
}

function isServer(receiver: Expression, name: string): boolean {
  if (SERVER_NAME.test(name)) return true;
  if (!Node.isIdentifier(receiver)) return false;
  // Syntax only (the rewrite has no type checker): a top-level declaration of that name.
  const declaration = receiver.getSourceFile().getVariableDeclaration(receiver.getText());
  if (!declaration) return false;
  const initializer = declaration.getInitializer();
  const made = initializer && unwrapped(initializer);
  if (!made || !(Node.isCallExpression(made) || Node.isNewExpression(made))) return false;
  return SERVER_FACTORIES.test(made.getExpression().getText());
}

function lastName(node: Node): string | undefined {
  if (Node.isIdentifier(node)) return node.getText();
  if (Node.isPropertyAccessExpression(node)) return node.getName();
  if (Node.isThisExpression(node)) return 'this';
  return undefined;
}

function unwrapped(node: Expression): Expression {
  let current = node;
  while (
    Node.isParenthesizedExpression(current) ||
    Node.isAwaitExpression(current) ||
    Node.isVoidExpression(current) ||
    Node.isNonNullExpression(current) ||
    Node.isAsExpression(current)
  ) {
    current = current.getExpression();
  }
  return current;
}
