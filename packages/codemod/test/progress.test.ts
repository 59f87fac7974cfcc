import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/cli/progress.js';

/** A stand-in for process.stderr that records what is written. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { output: string[] } {
  const output: string[] = [];
  return { isTTY, output, write: (chunk: string) => output.push(chunk) > 0 } as unknown as NodeJS.WriteStream & { output: string[] };
}

describe('progress on stderr', () => {
  it('draws nothing when stderr is not a terminal (CI logs, pipes)', () => {
    const stream = fakeStream(false);
    const progress = createProgress(stream);
    progress.update({ phase: 'lint', done: 1, total: 2 });
    progress.update({ phase: 'lint', done: 2, total: 2 });
    progress.clear();
    expect(stream.output).toEqual([]);
  });

  it('redraws one line in place, at most every 100 ms, always the last count, and erases it at the end', () => {
    const stream = fakeStream(true);
    const progress = createProgress(stream);
    progress.update({ phase: 'lint', done: 1, total: 3 });
    progress.update({ phase: 'lint', done: 2, total: 3 }); // within 100 ms of the last draw: skipped
    progress.update({ phase: 'lint', done: 3, total: 3 }); // the last one is always drawn
    progress.update({ phase: 'write', done: 0, total: 1 });
    progress.clear();
    expect(stream.output).toEqual(['\r\x1b[2Kanalysing 1/3', '\r\x1b[2Kanalysing 3/3', '\r\x1b[2K']);
  });

  it('draws again once 100 ms have passed', async () => {
    const stream = fakeStream(true);
    const progress = createProgress(stream);
    progress.update({ phase: 'write', done: 1, total: 5 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    progress.update({ phase: 'write', done: 2, total: 5 });
    expect(stream.output).toEqual(['\r\x1b[2Kwriting 1/5', '\r\x1b[2Kwriting 2/5']);
  });

  it('erases nothing when it never drew', () => {
    const stream = fakeStream(true);
    createProgress(stream).clear();
    expect(stream.output).toEqual([]);
  });
});
