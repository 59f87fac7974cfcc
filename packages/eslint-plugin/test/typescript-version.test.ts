import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ESLint } from 'eslint';
import ts from 'typescript';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

import plugin from '../src/index.js';
import { noteTypeScriptVersion, resetTypeScriptVersionNote, typeScriptMismatch } from '../src/util/typescript-version.js';

/** A project whose own TypeScript (node_modules/typescript) is another version than the one the plugin loads. */
function projectWithTypeScript(version: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'quiesce-ts-version-'));
  mkdirSync(path.join(dir, 'node_modules', 'typescript'), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules', 'typescript', 'package.json'), JSON.stringify({ name: 'typescript', version }));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  writeFileSync(path.join(dir, 'a.js'), 'setInterval(() => {}, 1000);\n');
  writeFileSync(path.join(dir, 'b.js'), 'setInterval(() => {}, 1000);\n');
  return dir;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a project whose TypeScript differs from the plugin’s', () => {
  beforeEach(() => resetTypeScriptVersionNote());

  it('names both versions and where each was found', () => {
    const dir = projectWithTypeScript('5.2.2');
    dirs.push(dir);
    const mismatch = typeScriptMismatch(dir)!;
    expect(mismatch.project).toEqual({ version: '5.2.2', path: path.join(dir, 'node_modules', 'typescript') });
    expect(mismatch.plugin.version).toBe(ts.version);
    expect(mismatch.plugin.path).toMatch(/node_modules[\\/]typescript$/);
  });

  it('says nothing when the project resolves the same TypeScript, or none', () => {
    expect(typeScriptMismatch(process.cwd())).toBeUndefined();
    const lone = mkdtempSync(path.join(tmpdir(), 'quiesce-no-ts-'));
    dirs.push(lone);
    // A temporary folder outside any project resolves no typescript.
    expect(typeScriptMismatch(lone)).toBeUndefined();
  });

  it('says it once per process, however many directories and files', () => {
    const first = projectWithTypeScript('5.2.2');
    const second = projectWithTypeScript('5.4.5');
    dirs.push(first, second);
    const written: string[] = [];
    noteTypeScriptVersion(first, (text) => written.push(text));
    noteTypeScriptVersion(first, (text) => written.push(text));
    noteTypeScriptVersion(second, (text) => written.push(text));
    expect(written).toHaveLength(1);
    expect(written[0]).toContain('TypeScript 5.2.2');
    expect(written[0]).toContain(`TypeScript ${ts.version}`);
    expect(written[0]).toContain(path.join(first, 'node_modules', 'typescript'));
  });

  it('is said on stderr once when ESLint lints the project with the plugin', async () => {
    const dir = projectWithTypeScript('5.2.2');
    dirs.push(dir);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended].flat() as ESLint.Options['overrideConfig'] });
      const results = await eslint.lintFiles(['a.js', 'b.js']);
      expect(results.flatMap((result) => result.messages.map((message) => message.ruleId))).toContain('quiesce/no-untracked-timer');
      const notes = stderr.mock.calls.map(([text]) => String(text)).filter((text) => text.includes('@quiesce/eslint-plugin: this project uses TypeScript'));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('5.2.2');
    } finally {
      stderr.mockRestore();
    }
  });
});
