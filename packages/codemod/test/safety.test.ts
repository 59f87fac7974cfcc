import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCodemod } from '../src/index.js';
import { cliPath, scratchDirectory, writeJson } from './helpers.js';

const SOURCE = `async function refresh() {}

export function start() {
  setInterval(() => {
    refresh();
  }, 1000);
}
`;

const scratches: ReturnType<typeof scratchDirectory>[] = [];
afterEach(() => {
  for (const scratch of scratches.splice(0)) scratch.remove();
});

function project(fileCount: number): { directory: string; files: string[] } {
  const scratch = scratchDirectory('safety');
  scratches.push(scratch);
  writeJson(path.join(scratch.directory, 'package.json'), { name: 'many', type: 'module', private: true });
  const files: string[] = [];
  for (let index = 0; index < fileCount; index++) {
    const file = path.join(scratch.directory, `f${String(index).padStart(4, '0')}.js`);
    writeFileSync(file, SOURCE);
    files.push(file);
  }
  return { directory: scratch.directory, files };
}

/**
 * Starts the CLI (a real child process) on `directory` and resolves once it has replaced `firstFile`: files are
 * written in sorted order, so the others are still to come. The caller kills the child in `finally`.
 */
async function cliMidWrite(directory: string, firstFile: string) {
  const child = spawn(process.execPath, [cliPath, '--no-type-check', '--allow-dirty'], { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (readFileSync(firstFile, 'utf8') === SOURCE) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the run never wrote a file: ${output.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { child, exited, output };
}

describe('safe writing', () => {
  it('does not overwrite a file that changed on disk after it was read, and reports it', async () => {
    const { directory, files } = project(3);
    const [first, second] = files as [string, string];
    const edited = SOURCE + '// edited meanwhile\n';
    const result = await runCodemod({
      cwd: directory,
      typeCheck: false,
      // A scratch directory outside git: writing there needs allowDirty (there is no version control to undo with).
      allowDirty: true,
      onProgress: ({ phase, done }) => {
        if (phase === 'write' && done === 0) writeFileSync(first, edited);
      },
    });
    expect(readFileSync(first, 'utf8')).toBe(edited);
    expect(result.report.errors).toEqual([
      { file: 'f0000.js', message: 'the file changed on disk during the run; not overwritten (run the codemod again)' },
    ]);
    expect(readFileSync(second, 'utf8')).toContain("void track(refresh(), { name: 'refresh()' });");
  });

  it('keeps the file mode', async () => {
    const { directory, files } = project(1);
    chmodSync(files[0]!, 0o751);
    await runCodemod({ cwd: directory, typeCheck: false, allowDirty: true });
    expect(readFileSync(files[0]!, 'utf8')).toContain("void track(refresh(), { name: 'refresh()' });");
    expect(statSync(files[0]!).mode & 0o777).toBe(0o751);
  });

  it('exits 1 and names a file that changed on disk while the CLI was writing, leaving that file as the user wrote it', async () => {
    const { directory, files } = project(300);
    const last = files[files.length - 1]!;
    const edited = SOURCE + '// edited while the codemod ran\n';
    const { child, exited, output } = await cliMidWrite(directory, files[0]!);
    try {
      writeFileSync(last, edited);
      expect(await exited).toBe(1);
      expect(readFileSync(last, 'utf8')).toBe(edited);
      expect(output.stdout).toContain(`${path.basename(last)}: the file changed on disk during the run; not overwritten`);
      expect(readFileSync(files[1]!, 'utf8')).toContain("void track(refresh(), { name: 'refresh()' });");
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);

  it('SIGINT in the middle of a run over many files leaves every file either old or new', async () => {
    const sample = project(1);
    await runCodemod({ cwd: sample.directory, typeCheck: false, allowDirty: true });
    const rewritten = readFileSync(sample.files[0]!, 'utf8');
    expect(rewritten).not.toBe(SOURCE);

    const { directory, files } = project(600);
    const { child, exited, output } = await cliMidWrite(directory, files[0]!);
    try {
      child.kill('SIGINT');
      const code = await exited;
      const contents = files.map((file) => readFileSync(file, 'utf8'));
      const unexpected = contents.filter((content) => content !== SOURCE && content !== rewritten);
      expect(unexpected).toEqual([]);
      const written = contents.filter((content) => content === rewritten).length;
      expect(written).toBeGreaterThan(0);
      expect(code).toBe(130);
      expect(written).toBeLessThan(files.length);
      expect(output.stderr).toContain('interrupted');
      // No temporary files left behind by the atomic writes.
      const names = readdirSync(directory).filter((name) => name !== 'node_modules' && name !== 'package.json');
      expect(names.every((name) => /^f\d{4}\.js$/.test(name))).toBe(true);
      expect(names).toHaveLength(files.length);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});

describe('a file the analysis fails on', () => {
  it('is reported as an error naming the file and the cause, and left untouched', async () => {
    const { directory, files } = project(1);
    // The plugin's detection rejects unknown settings by throwing: the analysis fails on every file.
    const result = await runCodemod({ cwd: directory, typeCheck: false, allowDirty: true, settings: { trackerz: ['@acme/lifecycle'] } });
    expect(result.report.errors).toEqual([
      {
        file: 'f0000.js',
        message: expect.stringMatching(/^the analysis failed on this file: .*settings\.quiesce\.trackerz is not a known setting/),
      },
    ]);
    expect(result.report.summary).toMatchObject({ changed: 0, errors: 1 });
    expect(readFileSync(files[0]!, 'utf8')).toBe(SOURCE);
  });
});
