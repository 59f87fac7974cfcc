/**
 * Progress on stderr, only when stderr is a terminal (never in CI logs or pipes), redrawn in place
 * at most every 100 ms.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr) {
  const enabled = stream.isTTY === true;
  let lastDraw = 0;
  let drawn = false;
  return {
    update({ phase, done, total }: { phase: 'lint' | 'write'; done: number; total: number }): void {
      if (!enabled) return;
      const now = Date.now();
      if (now - lastDraw < 100 && done !== total) return;
      lastDraw = now;
      drawn = true;
      stream.write(`\r\x1b[2K${phase === 'lint' ? 'analysing' : 'writing'} ${done}/${total}`);
    },
    clear(): void {
      if (enabled && drawn) stream.write('\r\x1b[2K');
    },
  };
}
