import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';
import { runCodemod } from '../src/index.js';
import { scratchDirectory, writeJson } from './helpers.js';

const scratches: { remove(): void }[] = [];
afterEach(() => {
  for (const scratch of scratches.splice(0)) scratch.remove();
});

// The project's own lint rules for comments, in its own ESLint config (which does not use the plugin).
const config = `export default [
  {
    files: ['**/*.js'],
    rules: {
      'max-len': ['error', { code: 72, tabWidth: 4 }],
      'capitalized-comments': ['error', 'always'],
    },
  },
];
`;

// A long line the project allows once, so the file's longest line is longer than its max-len.
const source = `/* eslint-disable max-len */
const banner = 'a service whose review markers must pass its own max-len and capitalized-comments rules';
/* eslint-enable max-len */

async function drain() {}

export function kick() {
\tif (banner) {
\t\tsetImmediate(() => drain());
\t}
}
`;

describe("review markers follow the project's max-len and capitalized-comments", () => {
  it('starts the marker with a capital and wraps it to the configured max-len (tabs counted), so ESLint passes the file', async () => {
    const scratch = scratchDirectory('marker-conventions');
    scratches.push(scratch);
    writeFileSync(path.join(scratch.directory, 'eslint.config.mjs'), config);
    writeJson(path.join(scratch.directory, 'package.json'), { name: 'marker-conventions', private: true, type: 'module' });
    const file = path.join(scratch.directory, 'service.js');
    writeFileSync(file, source);

    const eslint = new ESLint({ cwd: scratch.directory });
    const before = await eslint.lintFiles(['service.js']);
    expect(before[0]?.messages).toEqual([]);

    const result = await runCodemod({ cwd: scratch.directory, typeCheck: false, allowDirty: true, settings: { timers: { setImmediate: true } } });
    expect(result.report.reviews.map((review) => review.ruleId)).toEqual(['quiesce/no-untracked-timer']);
    const after = readFileSync(file, 'utf8');
    expect(after).toContain('/* Quiesce-review: setImmediate has no tracked replacement;');
    const lines = after.split('\n');
    // Wrapped: the marker takes more than one line above the call.
    expect(lines.findIndex((line) => line.includes('setImmediate(')) - lines.findIndex((line) => line.includes('Quiesce-review'))).toBeGreaterThan(1);

    const linted = await eslint.lintFiles(['service.js']);
    expect(linted[0]?.messages.map((message) => `${message.line}: ${message.ruleId} ${message.message}`)).toEqual([]);

    // A second run finds its own marker and adds none.
    const second = await runCodemod({ cwd: scratch.directory, typeCheck: false, allowDirty: true, settings: { timers: { setImmediate: true } } });
    expect(second.report.reviews.map((review) => review.marker)).toEqual(['present']);
    expect(readFileSync(file, 'utf8')).toBe(after);
  });
});
