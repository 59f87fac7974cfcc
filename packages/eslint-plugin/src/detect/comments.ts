import { createRequire } from 'node:module';

import type { Comment } from 'ts-api-utils';

import type ts from './typescript.cjs';

// ts-api-utils' ES build imports TypeScript as an ES module, the scan of TypeScript's source that typescript.cts avoids;
// its CommonJS build requires it.
const { iterateComments } = createRequire(import.meta.url)('ts-api-utils') as typeof import('ts-api-utils');

/** Every comment of the file, in source order, as typescript-eslint gives them to ESLint (`value` without delimiters). */
export function commentsOf(sourceFile: ts.SourceFile): Iterable<Comment> {
  return iterateComments(sourceFile, sourceFile);
}

export type { Comment };
