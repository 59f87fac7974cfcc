// A logger is anything with info/warn/error (console fits). The default writes one line per
// event to stderr, so it never mixes with a service's stdout protocol.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

function writeLine(message: string): void {
  process.stderr.write(`[quiesce] ${message}\n`);
}

export const stderrLogger: Logger = { info: writeLine, warn: writeLine, error: writeLine };

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** `false` or `null` silences; `undefined` means the default. */
export function resolveLogger(logger: Logger | false | null | undefined, fallback: Logger): Logger {
  if (logger === false || logger === null) return silentLogger;
  return logger ?? fallback;
}
