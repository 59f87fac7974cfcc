import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliPath, repositoryRoot, scratchDirectory, writeJson } from './helpers.js';

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

// Tests that start the CLI several times: a child process takes several seconds on a loaded machine.
const MULTI_RUN_TIMEOUT = 60_000;

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
    expect(result.stdout).toContain("-  refresh();\n+  void track(refresh(), { name: 'refresh()' });\n");
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

  it('--format json reports files, summary, review items, and each finding with its position, rule and fix', () => {
    const result = runCli(repo.directory, '--no-type-check', '--format', 'json', '--check');
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      version: 1,
      mode: 'check',
      typeChecked: false,
      interrupted: false,
      summary: { changed: 2, unchanged: 1, skipped: 0, errors: 0, reviews: 1, findings: 5, rewrites: 4, notAnalysed: 0, untyped: 3, untypedReasons: { '--no-type-check': 3 } },
      errors: [],
    });
    const files = report['files'] as { file: string; findings: unknown[] }[];
    expect(files.map(({ findings: _, ...file }) => file)).toEqual([
      { file: 'src/helper.js', status: 'unchanged', fixes: {}, analysed: true, typeChecked: false, untypedReason: '--no-type-check', role: 'service', roleReason: 'package.json "private"' },
      { file: 'src/review.js', status: 'changed', fixes: {}, analysed: true, typeChecked: false, untypedReason: '--no-type-check', role: 'service', roleReason: 'package.json "private"' },
      {
        file: 'src/service.js',
        status: 'changed',
        fixes: {
          'quiesce/no-untracked-timer': 1,
          'quiesce/no-untracked-promise': 1,
          'quiesce/no-untracked-server': 1,
          'quiesce/require-shutdown-handler': 1,
        },
        analysed: true,
        typeChecked: false,
        untypedReason: '--no-type-check',
        role: 'service',
        roleReason: 'package.json "private"',
      },
    ]);
    const brief = (file: string) =>
      (files.find((entry) => entry.file === file)?.findings as { line: number; column: number; endLine: number; endColumn: number; ruleId: string; fix: string }[]).map(
        ({ line, column, endLine, endColumn, ruleId, fix }) => `${line}:${column}-${endLine}:${endColumn} ${ruleId} ${fix}`,
      );
    expect(brief('src/service.js')).toEqual([
      '1:1-1:1 quiesce/require-shutdown-handler rewrite',
      '5:1-5:12 quiesce/no-untracked-timer rewrite',
      '6:3-6:12 quiesce/no-untracked-promise rewrite',
      '9:1-9:48 quiesce/no-untracked-server rewrite',
    ]);
    expect(brief('src/review.js')).toEqual(['3:5-3:20 quiesce/no-abrupt-exit review']);
    expect(report['reviews']).toEqual([
      {
        file: 'src/review.js',
        line: 3,
        column: 5,
        ruleId: 'quiesce/no-abrupt-exit',
        reason: expect.any(String),
        marker: 'added',
      },
    ]);
  });

  it('--format sarif has a result per finding in every mode, with its range, and says what the codemod does', () => {
    type Sarif = {
      version: string;
      $schema: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: { ruleId: string; level: string; kind: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[] }[];
      }[];
    };
    const byMode: Record<string, Sarif> = {};
    for (const mode of ['--dry-run', '--check']) {
      const result = runCli(repo.directory, '--no-type-check', '--format', 'sarif', mode);
      expect(result.status).toBe(mode === '--check' ? 1 : 0);
      byMode[mode] = JSON.parse(result.stdout) as Sarif;
    }
    for (const sarif of Object.values(byMode)) {
      expect(sarif.version).toBe('2.1.0');
      expect(sarif.$schema).toContain('sarif-2.1.0');
      expect(sarif.runs).toHaveLength(1);
      expect(sarif.runs[0]!.tool.driver.name).toBe('quiesce-codemod');
      const results = sarif.runs[0]!.results;
      expect(results).toHaveLength(5);
      const timer = results.find((entry) => entry.ruleId === 'quiesce/no-untracked-timer')!;
      expect(timer).toMatchObject({ level: 'warning', kind: 'fail' });
      expect(timer.message.text).toContain('(the codemod rewrites this)');
      expect(timer.locations[0]!.physicalLocation).toEqual({
        artifactLocation: { uri: 'src/service.js', uriBaseId: 'ROOT' },
        region: { startLine: 5, startColumn: 1, endLine: 5, endColumn: 12 },
      });
      const exit = results.find((entry) => entry.ruleId === 'quiesce/no-abrupt-exit')!;
      expect(exit).toMatchObject({ level: 'warning', kind: 'review' });
      expect(exit.locations[0]!.physicalLocation.region).toEqual({ startLine: 3, startColumn: 5, endLine: 3, endColumn: 20 });
      expect(sarif.runs[0]!.tool.driver.rules.map((rule) => rule.id)).toContain('quiesce/no-abrupt-exit');
    }
    const written = runCli(repo.directory, '--no-type-check', '--format', 'sarif');
    expect(written.status).toBe(0);
    const results = (JSON.parse(written.stdout) as Sarif).runs[0]!.results;
    expect(results.find((entry) => entry.ruleId === 'quiesce/no-untracked-timer')).toMatchObject({ level: 'note', kind: 'pass' });
  }, MULTI_RUN_TIMEOUT);

  it('--check exits 1 on a file it could not parse, and names it; SARIF reports it', () => {
    writeFileSync(path.join(repo.directory, 'src/broken.js'), 'setInterval(() => {\n');
    git(repo.directory, 'add', '.');
    git(repo.directory, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'broken');
    const check = runCli(repo.directory, '--no-type-check', '--check', 'src/broken.js', 'src/helper.js');
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('src/broken.js: syntax error at 2:1');
    expect(check.stdout).toContain('1 file(s) could not be parsed or analysed');
    const sarif = JSON.parse(runCli(repo.directory, '--no-type-check', '--check', '--format', 'sarif', 'src/broken.js').stdout) as {
      runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { region: Record<string, number> } }[] }[] }[];
    };
    expect(sarif.runs[0]!.results).toEqual([expect.objectContaining({ ruleId: 'quiesce-codemod/not-analysed', level: 'error' })]);
    expect(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.region).toEqual({ startLine: 2, startColumn: 2 });
  }, MULTI_RUN_TIMEOUT);

  it('names only the dirty files as blocking the write; clean files are "not written" because of them', () => {
    writeFileSync(path.join(repo.directory, 'src/new.js'), 'async function go() {}\ngo();\n');
    const refused = runCli(repo.directory, '--no-type-check', '--format', 'json');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('1 of the 4 file(s) it would change has uncommitted changes, which block the write:\n  src/new.js\n');
    expect(refused.stderr).not.toContain('src/service.js');
    const files = (JSON.parse(refused.stdout) as { files: { file: string; reason?: string }[] }).files;
    expect(files.find((file) => file.file === 'src/new.js')?.reason).toContain('this file has uncommitted changes');
    expect(files.find((file) => file.file === 'src/service.js')?.reason).toContain('other files of this run have uncommitted changes');
    expect(readFileSync(service, 'utf8')).toBe(SERVICE);
  }, MULTI_RUN_TIMEOUT);

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--format', 'xml'], '--format xml: unknown format'],
    [['--dry-run', '--check'], '--dry-run and --check cannot be combined'],
    [['--project', 'tsconfig.json', '--no-type-check'], '--project and --no-type-check cannot be combined'],
    [['missing-dir'], 'missing-dir: no such file or directory'],
    [['--project', 'nope.json'], '--project nope.json: no such file'],
    [['--entry', 'src/nope.js'], '--entry src/nope.js: no such file'],
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

  it('--entry and the plugin\'s entries (package.json bin, not main) name entry files; --ignore skips files', () => {
    const cwd = scratch.directory;
    writeJson(path.join(cwd, 'package.json'), { name: 'svc', type: 'module', private: true, main: 'src/index.js', bin: { svc: 'src/main.js' } });
    mkdirSync(path.join(cwd, 'src'));
    writeFileSync(path.join(cwd, 'src/main.js'), HELPER);
    writeFileSync(path.join(cwd, 'src/index.js'), HELPER);
    writeFileSync(path.join(cwd, 'src/worker.js'), HELPER);
    writeFileSync(path.join(cwd, 'src/skipped.js'), SERVICE);
    const result = runCli(cwd, '--no-type-check', '--dry-run', '--entry', 'src/worker.js', '--ignore', '**/skipped.js');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("+++ b/src/main.js\n@@ -1,3 +1,5 @@\n+import '@quiesce/runtime-shim/register';\n+\n export function add(a, b) {");
    expect(result.stdout).toContain("+++ b/src/worker.js\n@@ -1,3 +1,5 @@\n+import '@quiesce/runtime-shim/register';\n");
    // The rule's entries, not the codemod's own: package.json "main" names no entry.
    expect(result.stdout).not.toContain('+++ b/src/index.js');
    expect(result.stdout).not.toContain('skipped.js');
  });

  it('refuses to write outside a git work tree, says once why and how to proceed; --allow-dirty writes', () => {
    const cwd = scratch.directory;
    writeJson(path.join(cwd, 'package.json'), { name: 'svc', type: 'module', private: true });
    writeFileSync(path.join(cwd, 'service.js'), SERVICE);
    const refused = runCli(cwd, '--no-type-check');
    expect(refused.status).toBe(1);
    expect(refused.stderr.match(/no version control to undo the rewrite with/g)).toHaveLength(1);
    expect(refused.stderr).toContain('commit first');
    expect(refused.stderr).toContain('--allow-dirty');
    expect(readFileSync(path.join(cwd, 'service.js'), 'utf8')).toBe(SERVICE);
    const allowed = runCli(cwd, '--no-type-check', '--allow-dirty');
    expect(allowed.status).toBe(0);
    expect(readFileSync(path.join(cwd, 'service.js'), 'utf8')).toContain('trackServer(');
  }, MULTI_RUN_TIMEOUT);

  it('gives library code no shim: its findings become review items naming the role', () => {
    const cwd = scratch.directory;
    writeJson(path.join(cwd, 'package.json'), { name: 'lib', type: 'module', main: 'index.js' });
    writeFileSync(path.join(cwd, 'index.js'), 'export function start() {\n  setInterval(() => undefined, 1000);\n}\n');
    const result = runCli(cwd, '--no-type-check', '--dry-run', '--format', 'json');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { diff: string; files: { role: string; findings: { ruleId: string; fix: string; reason: string }[] }[] };
    expect(report.diff).not.toContain('@quiesce/runtime-shim');
    expect(report.files[0]!.role).toBe('library');
    expect(report.files[0]!.findings).toEqual([expect.objectContaining({ ruleId: 'quiesce/no-untracked-timer', fix: 'review', reason: expect.stringContaining('library code') })]);
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
  const typedRewrite = "-  save();\n+  void track(save(), { name: 'save()' });\n";

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
    expect(result.stdout).toContain("+void track(work(), { name: 'work()' });\n");
  });
});

describe("quiesce-codemod and the project's own formatter and package.json", () => {
  let scratch: ReturnType<typeof scratchDirectory>;
  beforeEach(() => {
    scratch = scratchDirectory('cli-format');
  });
  afterEach(() => {
    scratch.remove();
  });

  // Formatted as Prettier formats it with this config; the rewrite makes the track(…) line too long for printWidth 60.
  const formatted = `import http from 'node:http';

async function refreshEverything(first, second) {}

setInterval(() => {
  refreshEverything('first argument', 'second argument');
}, 1000);

http.createServer(() => undefined).listen(3000);
`;

  function project(source: string): string {
    const cwd = scratch.directory;
    writeFileSync(path.join(cwd, 'package.json'), '{\n    "name": "svc",\n    "private": true,\n    "type": "module",\n    "engines": { "node": ">=18" }\n}\n');
    writeFileSync(path.join(cwd, '.prettierrc'), '{ "singleQuote": true, "printWidth": 60 }\n');
    writeFileSync(path.join(cwd, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    writeFileSync(path.join(cwd, 'service.js'), source);
    git(cwd, 'init', '-q');
    git(cwd, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
    git(cwd, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
    return cwd;
  }

  async function prettierCheck(cwd: string, file: string): Promise<boolean> {
    const prettier = await import('prettier');
    const text = readFileSync(path.join(cwd, file), 'utf8');
    return prettier.check(text, { ...(await prettier.resolveConfig(path.join(cwd, file))), filepath: path.join(cwd, file) });
  }

  it("formats the changed files with the project's own Prettier, adds the shim to dependencies, and says how to install", async () => {
    const cwd = project(formatted);
    expect(await prettierCheck(cwd, 'service.js')).toBe(true);
    const result = runCli(cwd, '--no-type-check', '--format', 'json');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      files: { file: string; formatted?: string }[];
      dependencies: { file: string; status: string; added: string; install: string }[];
      reviews: { file: string; ruleId: string; line: number }[];
      summary: { formatted: number };
    };
    expect(readFileSync(path.join(cwd, 'service.js'), 'utf8')).toContain("track(\n    refreshEverything('first argument', 'second argument'),");
    expect(await prettierCheck(cwd, 'service.js')).toBe(true);
    expect(report.files[0]!.formatted).toMatch(/^prettier \d+\.\d+\.\d+$/);
    expect(report.summary.formatted).toBe(1);
    expect(readFileSync(path.join(cwd, 'package.json'), 'utf8')).toBe(
      '{\n    "name": "svc",\n    "private": true,\n    "type": "module",\n    "engines": { "node": ">=18" },\n    "dependencies": {\n        "@quiesce/runtime-shim": "^0.1.0"\n    }\n}\n',
    );
    expect(report.dependencies).toEqual([{ file: 'package.json', status: 'changed', added: '@quiesce/runtime-shim@^0.1.0', install: 'pnpm install' }]);
    expect(report.reviews).toEqual([expect.objectContaining({ file: 'package.json', ruleId: 'quiesce-codemod/engines', line: 5 })]);

    git(cwd, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-am', 'codemod');
    const again = runCli(cwd, '--no-type-check', '--check');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^quiesce-codemod: 0 file\(s\) would change/);
  }, MULTI_RUN_TIMEOUT);

  it('formats with a project on Prettier 2, loaded as Node loads its CommonJS bundle (the built CLI, not the test runner)', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'quiesce-codemod-cli-prettier2-'));
    try {
      mkdirSync(path.join(cwd, 'node_modules'));
      symlinkSync(path.join(repositoryRoot, 'node_modules/prettier-v2'), path.join(cwd, 'node_modules/prettier'), 'dir');
      writeFileSync(path.join(cwd, 'package.json'), '{ "name": "svc", "private": true, "type": "module" }\n');
      writeFileSync(path.join(cwd, '.prettierrc'), '{ "singleQuote": true, "printWidth": 60 }\n');
      writeFileSync(path.join(cwd, 'service.js'), formatted);
      const result = runCli(cwd, '--no-type-check', '--allow-dirty', '--format', 'json');
      expect(result.status, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { files: { file: string; formatted?: string }[]; notes: string[] };
      expect(report.files.find((file) => file.file === 'service.js')?.formatted, JSON.stringify(report.files)).toMatch(/^prettier 2\.\d+\.\d+$/);
      expect(readFileSync(path.join(cwd, 'service.js'), 'utf8')).toContain("track(\n    refreshEverything('first argument', 'second argument'),");
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, MULTI_RUN_TIMEOUT);

  it('--no-format keeps the surrounding style; a file not formatted before is not reformatted, and says why', () => {
    const cwd = project(formatted);
    const plain = runCli(cwd, '--no-type-check', '--dry-run', '--no-format');
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/\n\+ {2}(void )?track\(refreshEverything\('first argument', 'second argument'\)/);
    expect(plain.stdout).toContain('Dependencies to add:\n  package.json: @quiesce/runtime-shim@^0.1.0 (then run `pnpm install`)');

    writeFileSync(path.join(cwd, 'service.js'), formatted.replace("import http from 'node:http';", 'import http from "node:http"'));
    git(cwd, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-am', 'unformatted');
    const unformatted = runCli(cwd, '--no-type-check', '--dry-run');
    expect(unformatted.status).toBe(0);
    expect(unformatted.stdout).toMatch(/\n\+ {2}(void )?track\(refreshEverything\('first argument', 'second argument'\)/);
    expect(unformatted.stdout).toContain('not formatted: the file was not formatted with prettier before the run');
  }, MULTI_RUN_TIMEOUT);
});
