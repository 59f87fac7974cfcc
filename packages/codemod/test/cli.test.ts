import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliPath, scratchDirectory, writeJson } from './helpers.js';

const SERVICE = `import http from 'node:http';

async function refresh() {}

setInterval(() => {
  refresh();
}, 1000);

http.createServer(() => undefined).listen(3000);
`;

const HELPER = `export function add(a, b) {
  return a + b;
}
`;

const REVIEW = `process.on('SIGTERM', () => {
  if (Math.random() > 2) {
    process.exit(0);
  }
  console.log('bye');
});
`;

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function runCli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, FORCE_COLOR: '0' } });
}

describe('quiesce-codemod CLI on a git repository', () => {
  let repo: ReturnType<typeof scratchDirectory>;
  let service: string;

  beforeEach(() => {
    repo = scratchDirectory('cli');
    const cwd = repo.directory;
    writeJson(path.join(cwd, 'package.json'), { name: 'svc', type: 'module', private: true });
    writeFileSync(path.join(cwd, '.gitignore'), 'node_modules\ngenerated/\n');
    mkdirSync(path.join(cwd, 'src'));
    mkdirSync(path.join(cwd, 'generated'));
    service = path.join(cwd, 'src/service.js');
    writeFileSync(service, SERVICE);
    writeFileSync(path.join(cwd, 'src/helper.js'), HELPER);
    writeFileSync(path.join(cwd, 'src/review.js'), REVIEW);
    writeFileSync(path.join(cwd, 'generated/ignored.js'), SERVICE);
    git(cwd, 'init', '-q');
    git(cwd, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
    git(cwd, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
  });

  afterEach(() => {
    repo.remove();
  });

  it('rewrites a clean work tree, skips .gitignored files, and a second run changes nothing', () => {
    const first = runCli(repo.directory, '--no-type-check');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^quiesce-codemod: 2 file\(s\) changed, 1 unchanged, 0 skipped, 0 error\(s\), 1 review item\(s\)/);
    expect(readFileSync(service, 'utf8')).toContain("import { setInterval, track, trackServer } from '@quiesce/runtime-shim';");
    expect(readFileSync(path.join(repo.directory, 'generated/ignored.js'), 'utf8')).toBe(SERVICE);
    expect(first.stdout).toContain('src/review.js:3:5 quiesce/no-abrupt-exit:');

    git(repo.directory, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-am', 'codemod');
    const second = runCli(repo.directory, '--no-type-check');
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^quiesce-codemod: 0 file\(s\) changed, 3 unchanged/);
  });

  it('refuses to write files with uncommitted changes and says how to proceed; --allow-dirty writes', () => {
    const edited = SERVICE + '// local edit\n';
    writeFileSync(service, edited);
    const refused = runCli(repo.directory, '--no-type-check');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('uncommitted changes');
    expect(refused.stderr).toContain('src/service.js');
    expect(refused.stderr).toContain('--allow-dirty');
    expect(readFileSync(service, 'utf8')).toBe(edited);
    expect(readFileSync(path.join(repo.directory, 'src/review.js'), 'utf8')).toBe(REVIEW);

    const allowed = runCli(repo.directory, '--no-type-check', '--allow-dirty');
    expect(allowed.status).toBe(0);
    expect(readFileSync(service, 'utf8')).toContain('trackServer(');
  });

  it('--dry-run prints a unified diff and writes nothing', () => {
    const result = runCli(repo.directory, '--no-type-check', '--dry-run', 'src');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--- a/src/service.js\n+++ b/src/service.js\n@@ -1,9 +1,11 @@\n');
    expect(result.stdout).toContain("-  refresh();\n+  track(refresh());\n");
    expect(result.stdout).toContain('quiesce-codemod: 2 file(s) would change');
    expect(readFileSync(service, 'utf8')).toBe(SERVICE);
    expect(git(repo.directory, 'status', '--porcelain')).toBe('');

    const json = runCli(repo.directory, '--no-type-check', '--dry-run', '--format', 'json', 'src');
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as { mode: string; diff: string };
    expect(report.mode).toBe('dry-run');
    expect(report.diff).toContain('--- a/src/service.js\n+++ b/src/service.js\n');
    expect(git(repo.directory, 'status', '--porcelain')).toBe('');
  });

  it('--check exits 1 while changes are needed and 0 once applied, writing nothing itself', () => {
    const needed = runCli(repo.directory, '--no-type-check', '--check');
    expect(needed.status).toBe(1);
    expect(git(repo.directory, 'status', '--porcelain')).toBe('');
    expect(runCli(repo.directory, '--no-type-check').status).toBe(0);
    const clean = runCli(repo.directory, '--no-type-check', '--check');
    expect(clean.status).toBe(0);
  });

  it('--format json reports files, summary and review items', () => {
    const result = runCli(repo.directory, '--no-type-check', '--format', 'json', '--check');
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      version: 1,
      mode: 'check',
      typeChecked: false,
      interrupted: false,
      summary: { changed: 2, unchanged: 1, skipped: 0, errors: 0, reviews: 1 },
      errors: [],
    });
    expect(report['files']).toEqual([
      { file: 'src/helper.js', status: 'unchanged', fixes: {} },
      { file: 'src/review.js', status: 'changed', fixes: {} },
      {
        file: 'src/service.js',
        status: 'changed',
        fixes: {
          'quiesce/no-untracked-timer': 1,
          'quiesce/no-untracked-promise': 1,
          'quiesce/no-untracked-server': 1,
          'quiesce/require-shutdown-handler': 1,
        },
      },
    ]);
    expect(report['reviews']).toEqual([
      {
        file: 'src/review.js',
        line: 3,
        column: 5,
        ruleId: 'quiesce/no-abrupt-exit',
        reason: 'this exit is not the last statement of a signal handler; route the shutdown through the shim',
        marker: 'added',
      },
    ]);
  });

  it('--format sarif emits SARIF 2.1.0 with a result per review item', () => {
    const result = runCli(repo.directory, '--no-type-check', '--format', 'sarif', '--dry-run');
    expect(result.status).toBe(0);
    const sarif = JSON.parse(result.stdout) as {
      version: string;
      $schema: string;
      runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: unknown[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toContain('sarif-2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0]!.tool.driver.name).toBe('quiesce-codemod');
    expect(sarif.runs[0]!.tool.driver.rules.map((rule) => rule.id)).toEqual(['quiesce/no-abrupt-exit']);
    expect(sarif.runs[0]!.results).toEqual([
      {
        ruleId: 'quiesce/no-abrupt-exit',
        level: 'warning',
        message: { text: 'this exit is not the last statement of a signal handler; route the shutdown through the shim' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'src/review.js', uriBaseId: 'ROOT' },
              region: { startLine: 3, startColumn: 5 },
            },
          },
        ],
      },
    ]);
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--format', 'xml'], '--format xml: unknown format'],
    [['--dry-run', '--check'], '--dry-run and --check cannot be combined'],
    [['--project', 'tsconfig.json', '--no-type-check'], '--project and --no-type-check cannot be combined'],
    [['missing-dir'], 'missing-dir: no such file or directory'],
    [['--project', 'nope.json'], '--project nope.json: no such file'],
    [['--jobs', '0'], '--jobs 0: expected a whole number of threads'],
    [['--jobs', 'two'], '--jobs two: expected a whole number of threads'],
  ])('exits 2 on bad usage: %s', (args, message) => {
    const result = runCli(repo.directory, ...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(git(repo.directory, 'status', '--porcelain')).toBe('');
  });

  it('exits 1 and names the file when it cannot be rewritten', () => {
    writeFileSync(path.join(repo.directory, 'src/broken.js'), 'setInterval(() => {\n');
    git(repo.directory, 'add', '.');
    git(repo.directory, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'broken');
    const result = runCli(repo.directory, '--no-type-check', 'src/broken.js');
    // A syntax error is a skip with a reason (the file is never touched), not a failure of the run.
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('src/broken.js: syntax error at 2:1');
  });
});

describe('quiesce-codemod entry files, ignores and TypeScript projects', () => {
  let scratch: ReturnType<typeof scratchDirectory>;
  beforeEach(() => {
    scratch = scratchDirectory('cli-projects');
  });
  afterEach(() => {
    scratch.remove();
  });

  it('--entry and package.json main name entry files; --ignore skips files', () => {
    const cwd = scratch.directory;
    writeJson(path.join(cwd, 'package.json'), { name: 'svc', type: 'module', private: true, main: 'src/main.js' });
    mkdirSync(path.join(cwd, 'src'));
    writeFileSync(path.join(cwd, 'src/main.js'), HELPER);
    writeFileSync(path.join(cwd, 'src/worker.js'), HELPER);
    writeFileSync(path.join(cwd, 'src/skipped.js'), SERVICE);
    const result = runCli(cwd, '--no-type-check', '--dry-run', '--entry', 'src/worker.js', '--ignore', '**/skipped.js');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("+++ b/src/main.js\n@@ -1,3 +1,5 @@\n+import '@quiesce/runtime-shim/register';\n+\n export function add(a, b) {");
    expect(result.stdout).toContain("+++ b/src/worker.js\n@@ -1,3 +1,5 @@\n+import '@quiesce/runtime-shim/register';\n");
    expect(result.stdout).not.toContain('skipped.js');
  });

  const library = `export async function save(): Promise<void> {}\n`;
  const consumer = `import { save } from '../../lib/src/save.js';\n\nexport function handle(): void {\n  save();\n}\n`;
  const packageTsconfig = (references: string[] = []) => ({
    compilerOptions: { composite: true, strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], skipLibCheck: true, outDir: 'out', rootDir: 'src' },
    include: ['src'],
    references: references.map((reference) => ({ path: reference })),
  });

  function monorepo(): string {
    const cwd = scratch.directory;
    writeJson(path.join(cwd, 'package.json'), { name: 'mono', type: 'module', private: true });
    for (const name of ['lib', 'app']) mkdirSync(path.join(cwd, 'packages', name, 'src'), { recursive: true });
    writeFileSync(path.join(cwd, 'packages/lib/src/save.ts'), library);
    writeFileSync(path.join(cwd, 'packages/app/src/handle.ts'), consumer);
    writeJson(path.join(cwd, 'packages/lib/tsconfig.json'), packageTsconfig());
    writeJson(path.join(cwd, 'packages/app/tsconfig.json'), packageTsconfig(['../lib']));
    writeJson(path.join(cwd, 'tsconfig.json'), { files: [], references: [{ path: 'packages/lib' }, { path: 'packages/app' }] });
    return cwd;
  }

  // save() is imported from another project: only type information says it returns a promise.
  const typedRewrite = '-  save();\n+  track(save());\n';

  it('type-checks each file with its nearest tsconfig by default (several tsconfigs)', () => {
    const result = runCli(monorepo(), '--dry-run');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(typedRewrite);
  });

  it('--project follows the project references of a solution tsconfig', () => {
    const result = runCli(monorepo(), '--dry-run', '--project', 'tsconfig.json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(typedRewrite);
  });

  it('lints TypeScript files that no tsconfig includes without type information instead of failing', () => {
    const cwd = scratch.directory;
    writeFileSync(path.join(cwd, 'loose.ts'), 'async function work(): Promise<void> {}\nwork();\n');
    const result = runCli(cwd, '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('+track(work());\n');
  });
});
