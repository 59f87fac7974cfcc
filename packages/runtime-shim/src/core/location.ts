// Where an unnamed task was started, for the report. Capturing a stack costs microseconds,
// so it happens only when the user asks for it (option or QUIESCE_CAPTURE_LOCATIONS=1).

const ourFrames = /[\\/]runtime-shim[\\/](?:dist|src)[\\/]|[\\/]@quiesce[\\/]runtime-shim[\\/]/;

export function captureCallerLocation(): string | undefined {
  const holder: { stack?: string } = {};
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 20;
  Error.captureStackTrace(holder, captureCallerLocation);
  Error.stackTraceLimit = previousLimit;
  const lines = holder.stack?.split('\n').slice(1) ?? [];
  for (const line of lines) {
    if (ourFrames.test(line) || line.includes('node:internal')) continue;
    const match = /\((.*)\)\s*$/.exec(line) ?? /at (.*)$/.exec(line);
    if (match?.[1]) return match[1].trim();
  }
  return undefined;
}
