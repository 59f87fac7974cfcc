// Times as the page prints them. The page's script formats its hover text the same way
// (page-script.ts, fmtMs and fmtRel), since it runs in the browser and cannot import this.

export function formatMs(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 1000) return `${(abs / 1000).toFixed(3).replace(/0+$/, '').replace(/\.$/, '')} s`;
  if (abs < 1) return `${abs.toFixed(2)} ms`;
  return `${Math.round(abs * 10) / 10} ms`;
}

/** A time relative to the signal: "-12.5 ms", "+3.1 ms", "0 ms". */
export function formatRelative(ms: number): string {
  if (ms === 0) return '0 ms';
  return `${ms > 0 ? '+' : '-'}${formatMs(ms)}`;
}
