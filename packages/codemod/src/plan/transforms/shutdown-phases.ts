import { Node, SyntaxKind, type Expression, type Statement } from 'ts-morph';

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
  if (!Node.isExpressionStatement(statement)) return 'unknown';
  return phaseOfExpression(unwrapped(statement.getExpression()));
}

function phaseOfExpression(expression: Expression): Phase {
  // `await new Promise((resolve) => server.close(() => resolve()))`: the promisified call decides.
  const promisified = promisifiedCall(expression);
  if (promisified) return phaseOfExpression(promisified);
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
