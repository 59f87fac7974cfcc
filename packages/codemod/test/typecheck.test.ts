import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Project, ts } from 'ts-morph';
import { afterEach, describe, expect, it } from 'vitest';
import { runCodemod } from '../src/index.js';
import { lintWithPlugin, packageDirectory, rewritableRules, scratchDirectory } from './helpers.js';

const serviceProject = path.join(packageDirectory, 'test/projects/typed-service');

/** The program's diagnostics without positions (the rewrite moves code), one string each. */
function typeErrors(directory: string): string[] {
  const project = new Project({ tsConfigFilePath: path.join(directory, 'tsconfig.json') });
  return project
    .getPreEmitDiagnostics()
    .map((diagnostic) => {
      const file = diagnostic.getSourceFile()?.getFilePath();
      const message = ts.flattenDiagnosticMessageText(diagnostic.getMessageText() as string | ts.DiagnosticMessageChain, ' ');
      return `${file ? path.relative(directory, file) : '-'} TS${diagnostic.getCode()} ${message}`;
    })
    .sort();
}

describe('type-check preservation', () => {
  let scratch: ReturnType<typeof scratchDirectory> | undefined;
  afterEach(() => scratch?.remove());

  it('a typed service still type-checks after the rewrite, and the plugin finds nothing left to fix', async () => {
    scratch = scratchDirectory('typecheck');
    cpSync(serviceProject, scratch.directory, { recursive: true });
    const before = typeErrors(scratch.directory);
    expect(before).toEqual([]);

    const result = await runCodemod({ cwd: scratch.directory, typeCheck: true, allowDirty: true });
    expect(result.report.errors).toEqual([]);
    expect(result.report.summary.changed).toBe(3);
    expect(readFileSync(path.join(scratch.directory, 'src/main.ts'), 'utf8')).toContain('onShutdown(async () => {');

    expect(typeErrors(scratch.directory)).toEqual(before);

    const files = ['src/main.ts', 'src/jobs.ts', 'src/cache.ts'].map((file) => path.join(scratch!.directory, file));
    const messages = (await lintWithPlugin(scratch.directory, files, { typeCheck: true })).flat();
    expect(messages.filter((message) => message.ruleId && rewritableRules.includes(message.ruleId))).toEqual([]);
  }, 60_000);
});
