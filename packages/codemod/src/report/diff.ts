import { createTwoFilesPatch } from 'diff';
import type { FileChange } from '../run.js';

/** A unified diff of every change, paths relative to the report root (`a/…`, `b/…` as git prints them). */
export function formatDiff(changes: readonly FileChange[], relative: (file: string) => string): string {
  return changes
    .map((change) => {
      const name = relative(change.file);
      return createTwoFilesPatch(`a/${name}`, `b/${name}`, change.before, change.after, undefined, undefined, { context: 3 })
        .replace(/^={60,}\r?\n/, '');
    })
    .join('');
}
