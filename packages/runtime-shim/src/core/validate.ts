// Argument checks shared by every public entry point: a bad argument is a TypeError that
// names the argument and says what was expected, at the call that made the mistake.

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function invalidArgument(where: string, argument: string, expected: string, actual: unknown): TypeError {
  return new TypeError(`${where}: ${argument} must be ${expected}, got ${describeValue(actual)}`);
}

export function expectFunction(where: string, argument: string, value: unknown): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw invalidArgument(where, argument, 'a function', value);
}

export function expectOptionsObject(where: string, value: unknown): asserts value is object | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw invalidArgument(where, 'options', 'an object or undefined', value);
  }
}

export function expectOptionalString(where: string, argument: string, value: unknown): asserts value is string | undefined {
  if (value !== undefined && typeof value !== 'string') throw invalidArgument(where, argument, 'a string', value);
}

/** A duration in milliseconds: a finite number >= 0 (Infinity is refused: a deadline that never comes is a hang). */
export function expectOptionalDuration(where: string, argument: string, value: unknown): asserts value is number | undefined {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(where, argument, 'a finite number of milliseconds >= 0', value);
  }
}

export function expectOptionalOneOf<T extends string>(
  where: string,
  argument: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T | undefined {
  if (value !== undefined && !allowed.includes(value as T)) {
    throw invalidArgument(where, argument, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
