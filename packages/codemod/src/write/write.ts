import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';

export class ChangedOnDiskError extends Error {}

/**
 * Replaces a file's content atomically (a temporary file in the same directory, then rename; the mode is
 * kept) unless the file no longer holds `expected`, the content the rewrite was computed from.
 * An interrupted run therefore leaves every file either old or new.
 */
export async function writeIfUnchanged(file: string, expected: string, content: string): Promise<void> {
  const current = await readFile(file, 'utf8');
  if (current !== expected) {
    throw new ChangedOnDiskError('the file changed on disk during the run; not overwritten (run the codemod again)');
  }
  await writeFileAtomic(file, content, { encoding: 'utf8' });
}
