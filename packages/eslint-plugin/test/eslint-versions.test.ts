// The plugin supports ESLint 9 and 10 (peer >= 9). ESLint 10 is the workspace's own; ESLint 9 is
// installed beside it under the alias `eslint-v9`. Both lint each fixture service through its own
// eslint.config.mjs (the built plugin, type-aware), and must report the same findings.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ESLint as ESLint10 } from 'eslint';
import { ESLint as ESLint9 } from 'eslint-v9';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtureDirs = globSync(['fixtures/*/eslint.config.mjs'], { cwd: repoRoot, absolute: true }).map((config) => path.dirname(config));

interface Finding {
  file: string;
  ruleId: string | null;
  line: number;
  column: number;
}

async function findings(ESLint: typeof ESLint10 | typeof ESLint9, cwd: string): Promise<Finding[]> {
  const eslint = new ESLint({ cwd });
  const results = await eslint.lintFiles(['.']);
  return results
    .flatMap((result) =>
      result.messages.map((message) => ({
        file: path.relative(cwd, result.filePath),
        ruleId: message.ruleId,
        line: message.line,
        column: message.column,
      })),
    )
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || String(a.ruleId).localeCompare(String(b.ruleId)));
}

describe('ESLint 9 and ESLint 10 report the same findings', () => {
  it('has fixtures to compare and two different majors', () => {
    expect(fixtureDirs.length).toBeGreaterThanOrEqual(3);
    expect(ESLint9.version.split('.')[0]).toBe('9');
    expect(ESLint10.version.split('.')[0]).toBe('10');
  });

  for (const dir of fixtureDirs) {
    it(`on ${path.basename(dir)}`, { timeout: 120_000 }, async () => {
      const ten = await findings(ESLint10, dir);
      const nine = await findings(ESLint9, dir);
      expect(ten.filter((finding) => finding.ruleId?.startsWith('quiesce/')).length).toBeGreaterThan(0);
      expect(ten.filter((finding) => finding.ruleId === null)).toEqual([]);
      expect(nine).toEqual(ten);
    });
  }
});
