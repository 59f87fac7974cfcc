import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Linter } from 'eslint';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

import { detect, isEntryFile, parseFile, roleOf } from '../src/detect/index.js';
import { clearRoleCache, roleWithText } from '../src/detect/roles.js';
import plugin from '../src/index.js';

/** Real package layouts on disk, written for each case: roles are read from package files. */
const root = mkdtempSync(path.join(os.tmpdir(), 'quiesce-roles-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => clearRoleCache());

let counter = 0;
function layout(files: Record<string, string | object>): string {
  const dir = path.join(root, `case-${++counter}`);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

describe('roleOf', () => {
  it('calls a private package a service, and its tests test code', () => {
    const dir = layout({ 'package.json': { name: 'app', private: true } });
    expect(roleOf(path.join(dir, 'src/jobs.ts'), { cwd: dir })).toEqual({ role: 'service', reason: 'package.json "private"', packageDir: dir });
    for (const file of ['test/jobs.ts', 'src/__tests__/jobs.ts', 'src/jobs.test.ts', 'src/jobs.spec.mjs', 'test/fixtures/app/main.ts', 'integration-tests/a.ts', 'electron-test/main.js', 'perfTest/run.js', 'test.js']) {
      expect(roleOf(path.join(dir, file), { cwd: dir }).role, file).toBe('test');
    }
    // Examples, benchmarks and build configuration ship with the repository, not with the package: out of scope too.
    expect(roleOf(path.join(dir, 'examples/chat/server.js'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'example folder "examples"' });
    expect(roleOf(path.join(dir, 'benchmarks/index.js'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'benchmark folder "benchmarks"' });
    expect(roleOf(path.join(dir, 'scripts/migrate.ts'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'script folder "scripts"' });
    expect(roleOf(path.join(dir, 'esbuild.js'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'build or tool configuration "esbuild.js"' });
    expect(roleOf(path.join(dir, 'vite.config.ts'), { cwd: dir }).role).toBe('test');
    for (const file of ['src/latest.ts', 'src/contest/entry.ts', 'src/config/esbuild.js', 'src/testing.ts']) {
      expect(roleOf(path.join(dir, file), { cwd: dir }).role, file).toBe('service');
    }
    // A folder named like a test only above the package does not make its files tests.
    const nested = layout({ 'test/pkg/package.json': { name: 'inner', private: true } });
    expect(roleOf(path.join(nested, 'test/pkg/src/main.ts'), { cwd: nested }).role).toBe('service');
  });

  it('calls a published package a library, and its bin a command-line tool (from the built path to the source)', () => {
    const dir = layout({
      'package.json': { name: 'lib', main: './dist/index.js', bin: { lib: './dist/cli.js' } },
      'tsconfig.json': '{ "compilerOptions": { "outDir": "dist", "rootDir": "src" } }',
    });
    expect(roleOf(path.join(dir, 'src/client.ts'), { cwd: dir })).toMatchObject({ role: 'library', packageDir: dir });
    // A library's CLI runs to the end of its work: out of scope like a developer's script.
    expect(roleOf(path.join(dir, 'src/cli.ts'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'a command-line tool of the library (package.json "bin" lib)' });
    expect(roleOf(path.join(dir, 'dist/cli.js'), { cwd: dir }).role).toBe('test');
    expect(isEntryFile(path.join(dir, 'src/client.ts'), { cwd: dir })).toBe(false);
    // A package that is only its bin (no main, no start) runs as a process: the bin is its service entry.
    const cliOnly = layout({ 'package.json': { name: 'bot', bin: { bot: './bot.js' } } });
    expect(roleOf(path.join(cliOnly, 'bot.js'), { cwd: cliOnly })).toMatchObject({ role: 'service', reason: 'package.json "bin" (bot)' });
    expect(isEntryFile(path.join(cliOnly, 'bot.js'), { cwd: cliOnly })).toBe(true);
    // So is a bin the start script runs; a bin beside the file start runs is a tool of the repository.
    const both = layout({ 'package.json': { name: 'svc', private: true, bin: { svc: 'src/index.js', scaffold: 'bin/create.js' }, scripts: { start: 'node src/index.js' } } });
    expect(isEntryFile(path.join(both, 'src/index.js'), { cwd: both })).toBe(true);
    expect(roleOf(path.join(both, 'bin/create.js'), { cwd: both })).toMatchObject({ role: 'test', reason: 'a command-line tool beside the service (package.json "bin" scaffold)' });
    // settings.quiesce.entries makes a bin a service again.
    expect(roleOf(path.join(dir, 'src/cli.ts'), { cwd: dir, settings: { entries: ['src/cli.ts'] } }).role).toBe('service');
    // Published without main or exports (Node's implicit index.js) is a library too.
    const bare = layout({ 'package.json': { name: 'bare', version: '1.0.0' } });
    expect(roleOf(path.join(bare, 'index.js'), { cwd: bare }).role).toBe('library');
  });

  it('calls the files developer scripts and CI workflows run beside a service its tools', () => {
    const dir = layout({
      'package.json': {
        name: 'svc',
        private: true,
        scripts: { start: 'node server/main.js', 'start:dev': 'nodemon server/main.js', dev: 'node --watch server/main.js', worker: 'node server/worker.js', 'db:migrate': 'ts-node tools/migrate up', 'reset-password': 'node tools/reset-password.js' },
      },
      '.github/workflows/triage.yml': 'jobs:\n  triage:\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n      - run: node tools/triage.js ${{ github.event.issue.number }}\n',
    });
    expect(roleOf(path.join(dir, 'server/main.js'), { cwd: dir }).role).toBe('service');
    expect(roleOf(path.join(dir, 'server/worker.js'), { cwd: dir }).role).toBe('service');
    expect(roleOf(path.join(dir, 'tools/migrate.ts'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'a developer script (package.json "db:migrate")' });
    expect(roleOf(path.join(dir, 'tools/reset-password.js'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'a developer script (package.json "reset-password")' });
    expect(roleOf(path.join(dir, 'tools/triage.js'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'a CI workflow script (.github/workflows)' });
    expect(roleOf(path.join(dir, 'tools/shared.js'), { cwd: dir }).role).toBe('service');
    // Without a known service entry, a script may be the only way the service runs: it stays a service.
    const noEntry = layout({ 'package.json': { name: 'svc', private: true, scripts: { run: 'node app.js', migrate: 'node migrate.js' } } });
    expect(roleOf(path.join(noEntry, 'migrate.js'), { cwd: noEntry }).role).toBe('service');
  });

  it('calls examples by qualified folder names, example programs at the root and packages nested in examples or tests out of scope', () => {
    const dir = layout({
      'package.json': { name: 'lib', main: 'index.js' },
      'extra/push-examples/fetch/package.json': { name: 'push-example', scripts: { start: 'node index.js' } },
      'electron-test/package.json': { name: 'electron-test', main: 'src/index.js' },
    });
    expect(roleOf(path.join(dir, 'extra/push-examples/fetch/index.js'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'example folder "push-examples"' });
    expect(roleOf(path.join(dir, 'electron-test/src/index.js'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'test folder "electron-test"' });
    expect(roleOf(path.join(dir, 'example.ts'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'example or benchmark program "example.ts"' });
    expect(roleOf(path.join(dir, 'node-benchmarks/run.js'), { cwd: dir }).role).toBe('test');
    for (const file of ['src/example.ts', 'src/examples-parser.ts', 'lib/demography.js', 'index.js']) expect(roleOf(path.join(dir, file), { cwd: dir }).role, file).toBe('library');
    // A project written under another package's test folder (a tool's scratch directory) is a project of its own.
    const scratch = layout({ 'package.json': { name: 'tool', main: 'index.js' }, 'test/.tmp/project/package.json': { name: 'project', private: true } });
    expect(roleOf(path.join(scratch, 'test/.tmp/project/src/worker.ts'), { cwd: scratch })).toMatchObject({ role: 'service', reason: 'package.json "private"' });
  });

  it('finds the file a start script runs, through npm run, node options and a tsconfig outDir', () => {
    const dir = layout({
      'package.json': { name: 'svc', main: 'dist/server.js', scripts: { start: 'npm run build && npm run serve', serve: 'NODE_ENV=production node --enable-source-maps -r dotenv/config dist/server.js', build: 'tsc' } },
      'tsconfig.json': '// comments are fine\n{ "compilerOptions": { "outDir": "./dist", "rootDir": "./src" } }',
    });
    expect(roleOf(path.join(dir, 'src/routes.ts'), { cwd: dir })).toMatchObject({ role: 'service', reason: 'package.json "start" script' });
    expect(isEntryFile(path.join(dir, 'src/server.ts'), { cwd: dir })).toBe(true);
    expect(isEntryFile(path.join(dir, 'src/routes.ts'), { cwd: dir })).toBe(false);
  });

  it.each([
    ['node --import tsx src/index.ts', 'src/index.ts'],
    ['tsc && tsx ./src/main.ts', 'src/main.ts'],
    ['tsx watch src/main.ts', 'src/main.ts'],
    ['cross-env PORT=1 nodemon -w src --exec ts-node src/app.ts', 'src/app.ts'],
    ['ts-node -P tsconfig.json src/app.ts', 'src/app.ts'],
  ])('start script %j runs %s', (start, entry) => {
    const dir = layout({ 'package.json': { name: 'svc', private: true, scripts: { start } } });
    expect(isEntryFile(path.join(dir, entry), { cwd: dir })).toBe(true);
  });

  it('reads Dockerfile and Procfile commands, pm2 ecosystem files and nest-cli.json', () => {
    const docker = layout({
      'package.json': { name: 'svc', scripts: { start: 'node build/main.js' } },
      Dockerfile: 'FROM node:20 AS build\nCMD ["node", "ignored.js"]\nFROM node:20-slim\nCMD ["npm", "start"]\n',
    });
    expect(isEntryFile(path.join(docker, 'src/main.ts'), { cwd: docker })).toBe(true);
    expect(isEntryFile(path.join(docker, 'ignored.js'), { cwd: docker })).toBe(false);
    const shellForm = layout({ 'package.json': { name: 'svc' }, Dockerfile: 'FROM node:20\nCMD node \\\n  server/index.js --port 80\n' });
    expect(roleOf(path.join(shellForm, 'server/index.js'), { cwd: shellForm })).toMatchObject({ role: 'service', reason: 'the file the Dockerfile runs' });
    expect(roleOf(path.join(shellForm, 'server/db.js'), { cwd: shellForm })).toMatchObject({ role: 'service', reason: 'a Dockerfile command' });
    const procfile = layout({ 'package.json': { name: 'svc' }, Procfile: 'web: node web.js\nworker: node jobs/worker.js\nrelease: node migrate.js\n' });
    expect(isEntryFile(path.join(procfile, 'web.js'), { cwd: procfile })).toBe(true);
    expect(isEntryFile(path.join(procfile, 'jobs/worker.js'), { cwd: procfile })).toBe(true);
    expect(isEntryFile(path.join(procfile, 'migrate.js'), { cwd: procfile })).toBe(false);
    const pm2 = layout({
      'package.json': { name: 'svc', scripts: { start: 'pm2 start ecosystem.config.json --no-daemon' } },
      'ecosystem.config.json': { apps: [{ name: 'app', script: 'src/index.js' }] },
    });
    expect(isEntryFile(path.join(pm2, 'src/index.js'), { cwd: pm2 })).toBe(true);
    const nest = layout({ 'package.json': { name: 'api', private: true, scripts: { start: 'nest start' } }, 'nest-cli.json': { sourceRoot: 'apps/api' } });
    expect(isEntryFile(path.join(nest, 'apps/api/main.ts'), { cwd: nest })).toBe(true);
  });

  it('calls a workspace package with an entry point and nothing to run a library, though private', () => {
    const dir = layout({
      'package.json': { name: 'repo', private: true, workspaces: ['packages/*'] },
      'packages/shared/package.json': { name: '@repo/shared', private: true, main: 'dist/index.js' },
      'packages/api/package.json': { name: '@repo/api', private: true, main: 'dist/index.js', scripts: { start: 'node dist/index.js' } },
    });
    expect(roleOf(path.join(dir, 'packages/shared/src/cache.ts'), { cwd: dir })).toMatchObject({ role: 'library', packageDir: path.join(dir, 'packages/shared') });
    expect(roleOf(path.join(dir, 'packages/api/src/cache.ts'), { cwd: dir }).role).toBe('service');
  });

  it('finds browser code: the browser field, a browser export condition, a tsconfig with dom and no Node types', () => {
    const fields = layout({
      'package.json': { name: 'iso', main: 'dist/index.js', browser: { './dist/storage.js': './dist/storage-browser.js', fs: false }, exports: { '.': { browser: './dist/browser.js', default: './dist/index.js' } } },
    });
    expect(roleOf(path.join(fields, 'src/storage-browser.ts'), { cwd: fields })).toMatchObject({ role: 'browser', reason: 'package.json "browser" replacement' });
    expect(roleOf(path.join(fields, 'src/browser.ts'), { cwd: fields })).toMatchObject({ role: 'browser', reason: 'package.json "exports" browser condition' });
    expect(roleOf(path.join(fields, 'src/storage.ts'), { cwd: fields }).role).toBe('library');
    const dom = layout({ 'package.json': { name: 'widget', main: 'index.js' }, 'tsconfig.json': { compilerOptions: { lib: ['ES2022', 'DOM'], types: [] } } });
    expect(roleOf(path.join(dom, 'src/poll.ts'), { cwd: dom })).toMatchObject({ role: 'browser', reason: 'tsconfig.json has the "dom" lib and no Node types' });
    // Scripts a server sends to browsers, and minified bundles.
    const served = layout({ 'package.json': { name: 'site', private: true } });
    expect(roleOf(path.join(served, 'static/scripts/stats.js'), { cwd: served })).toMatchObject({ role: 'browser', reason: 'served to browsers from "static"' });
    expect(roleOf(path.join(served, 'vendor/htmx.min.js'), { cwd: served })).toMatchObject({ role: 'browser', reason: 'minified bundle "htmx.min.js"' });
    expect(roleOf(path.join(served, 'server/static.js'), { cwd: served }).role).toBe('service');
    const both = layout({ 'package.json': { name: 'widget', main: 'index.js' }, 'tsconfig.json': { compilerOptions: { lib: ['ES2022', 'DOM'], types: ['node'] } } });
    expect(roleOf(path.join(both, 'src/poll.ts'), { cwd: both }).role).toBe('library');
  });

  it('is forced by settings.quiesce.role and extended by settings.quiesce.entries', () => {
    const dir = layout({ 'package.json': { name: 'lib', main: 'index.js' } });
    expect(roleOf(path.join(dir, 'test/a.ts'), { cwd: dir, settings: { role: 'service' } })).toMatchObject({ role: 'service', reason: 'settings.quiesce.role' });
    expect(roleOf(path.join(dir, 'scripts/run.ts'), { cwd: dir, settings: { entries: ['scripts/*.ts'] } })).toMatchObject({ role: 'service', reason: 'settings.quiesce.entries' });
    expect(isEntryFile(path.join(dir, 'scripts/run.ts'), { cwd: dir, settings: { entries: ['scripts/*.ts'] } })).toBe(true);
    expect(isEntryFile(path.join(dir, 'scripts/run.ts'), { cwd: dir, entries: ['scripts/**'] })).toBe(true);
    expect(() => roleOf(path.join(dir, 'a.ts'), { cwd: dir, settings: { role: 'worker' } })).toThrow(/settings\.quiesce\.role must be one of "service", "library", "browser", "test" \(got "worker"\)/);
    expect(() => roleOf(path.join(dir, 'a.ts'), { cwd: dir, settings: { entries: 'main.ts' } })).toThrow(/settings\.quiesce\.entries must be an array of globs/);
  });

  it('treats a file with no package.json above it as a service, and survives a broken package.json', () => {
    const broken = layout({ 'package.json': '{ not json' });
    expect(roleOf(path.join(broken, 'main.js'), { cwd: broken }).role).toBe('service');
  });
});

describe('rules per role (ESLint and detect() decide alike)', () => {
  const code = "import http from 'node:http';\nsetInterval(() => {}, 1000);\nhttp.createServer().listen(3000);\n";

  function lint(file: string, cwd: string, settings?: object): string[] {
    const linter = new Linter({ configType: 'flat', cwd });
    const configs = [...(plugin.configs.recommended as Linter.Config[]), ...(settings ? [{ settings: { quiesce: settings } }] : [])];
    const fromEslint = linter.verify(code, configs, file).map((message) => message.ruleId ?? 'fatal');
    const fromDetect = detect(parseFile(file, code), { cwd, ...(settings ? { settings } : {}) }).map((detection) => detection.ruleId);
    expect([...fromEslint].sort()).toEqual([...fromDetect].sort());
    return [...new Set(fromEslint)].sort();
  }

  it('gives a service every rule, a library no process-wide rule, browser and test files no shutdown rule', () => {
    const service = layout({ 'package.json': { name: 'app', private: true } });
    expect(lint(path.join(service, 'src/main.js'), service)).toEqual(['quiesce/no-untracked-server', 'quiesce/no-untracked-timer', 'quiesce/require-shutdown-handler']);
    const library = layout({ 'package.json': { name: 'lib', main: 'index.js' } });
    expect(lint(path.join(library, 'src/main.js'), library)).not.toContain('quiesce/require-shutdown-handler');
    expect(lint(path.join(library, 'src/main.js'), library)).toContain('quiesce/no-untracked-timer');
    expect(lint(path.join(service, 'test/main.js'), service)).toEqual([]);
    expect(lint(path.join(library, 'src/main.js'), library, { role: 'browser' })).toEqual([]);
  });
});

describe('declared entries (require-shutdown-handler, ESLint and detect() alike)', () => {
  const startsWork = "import http from 'node:http';\nsetInterval(() => {}, 1000);\nhttp.createServer().listen(3000);\n";

  function shutdownFindings(file: string, cwd: string): number {
    const linter = new Linter({ configType: 'flat', cwd });
    const fromEslint = linter.verify(startsWork, [...(plugin.configs.recommended as Linter.Config[])], file).filter((message) => message.ruleId === 'quiesce/require-shutdown-handler');
    const fromDetect = detect(parseFile(file, startsWork), { cwd }).filter((detection) => detection.ruleId === 'quiesce/require-shutdown-handler');
    expect(fromEslint.length).toBe(fromDetect.length);
    return fromEslint.length;
  }

  it('reports a module that starts work when it loads only where the package declares no entry', () => {
    const declared = layout({ 'package.json': { name: 'svc', private: true, scripts: { start: 'node server/main.js' } } });
    // The entry is reported; a module it imports that starts a timer at load is not (the handler belongs in the entry).
    expect(shutdownFindings(path.join(declared, 'server/main.js'), declared)).toBe(1);
    expect(shutdownFindings(path.join(declared, 'server/cron.js'), declared)).toBe(0);
    const undeclared = layout({ 'package.json': { name: 'svc', private: true } });
    expect(shutdownFindings(path.join(undeclared, 'server/cron.js'), undeclared)).toBe(1);
  });

  it('takes the commands of a docker compose file for entries', () => {
    const dir = layout({
      'package.json': { name: 'svc', private: true, scripts: { start: 'node src/index.js' } },
      'docker-compose.yml': 'services:\n  api:\n    command: node src/index.js\n  worker:\n    command: ["node", "src/workers/mail.js"]\n  jobs:\n    command: sh -c "node src/jobs.js"\n',
    });
    for (const file of ['src/index.js', 'src/workers/mail.js', 'src/jobs.js']) expect(isEntryFile(path.join(dir, file), { cwd: dir }), file).toBe(true);
    expect(roleOf(path.join(dir, 'src/workers/mail.js'), { cwd: dir })).toMatchObject({ role: 'service', reason: 'the file a docker compose command runs' });
    expect(shutdownFindings(path.join(dir, 'src/workers/mail.js'), dir)).toBe(1);
  });
});

describe('browser code known by what it imports (ESLint and detect() alike)', () => {
  const frontEnd = "import { createApp } from 'vue';\nimport App from './App.vue';\nimport './styles/app.scss';\ncreateApp(App).mount('#app');\nnavigator.serviceWorker.register('/sw.js').catch(() => {});\nsetInterval(() => {}, 1000);\n";

  function ruleIds(file: string, cwd: string, code: string): string[] {
    const linter = new Linter({ configType: 'flat', cwd });
    const fromEslint = linter.verify(code, [...(plugin.configs.recommended as Linter.Config[])], file).map((message) => message.ruleId ?? 'fatal');
    const fromDetect = detect(parseFile(file, code), { cwd }).map((detection) => detection.ruleId);
    expect([...fromEslint].sort()).toEqual([...fromDetect].sort());
    return fromEslint;
  }

  it('gives a service file that imports a stylesheet or a single-file component no shutdown rules', () => {
    const dir = layout({ 'package.json': { name: 'app', private: true, scripts: { start: 'node server/main.js' } } });
    expect(ruleIds(path.join(dir, 'src/main.js'), dir, frontEnd)).toEqual([]);
    expect(roleWithText(roleOf(path.join(dir, 'src/main.js'), { cwd: dir }), frontEnd)).toMatchObject({ role: 'browser', reason: 'imports "./App.vue", which only a browser bundler loads' });
    // The same code without those imports is the service's, and a role set in settings stays.
    expect(ruleIds(path.join(dir, 'src/main.js'), dir, frontEnd.replace(/^import .*\n/gm, ''))).toContain('quiesce/no-untracked-timer');
    expect(roleWithText({ role: 'service', reason: 'settings.quiesce.role', packageDir: dir }, frontEnd).role).toBe('service');
  });
});

describe("a service repository's front end and its developer tools", () => {
  it('calls the scripts index.html loads as modules browser code, without reading their imports', () => {
    const html = '<!doctype html>\n<html><body>\n<script type="module" src="/src/main.ts"></script>\n<script type="module" src="./src/worker-entry.js?v=2"></script>\n<script src="https://cdn.example/analytics.js"></script>\n<script src="/legacy.js"></script>\n</body></html>\n';
    const dir = layout({ 'package.json': { name: 'monitor', private: true, scripts: { start: 'node server/server.js' } }, 'index.html': html });
    const reason = 'index.html loads it as a module script (a front end for browsers)';
    expect(roleOf(path.join(dir, 'src/main.ts'), { cwd: dir })).toEqual({ role: 'browser', reason, packageDir: dir });
    expect(roleOf(path.join(dir, 'src/worker-entry.js'), { cwd: dir })).toMatchObject({ role: 'browser', reason });
    // A classic script and the service's own files are not named as module entries.
    expect(roleOf(path.join(dir, 'legacy.js'), { cwd: dir }).role).toBe('service');
    expect(roleOf(path.join(dir, 'server/server.js'), { cwd: dir }).role).toBe('service');
    // ESLint and detect() agree: no shutdown rules for the front end's entry, whatever it imports.
    const linter = new Linter({ configType: 'flat', cwd: dir });
    const code = "setInterval(() => {}, 1000);\nfetch('/api/ping');\n";
    const file = path.join(dir, 'src/worker-entry.js');
    expect(linter.verify(code, [...(plugin.configs.recommended as Linter.Config[])], file)).toEqual([]);
    expect(detect(parseFile(file, code), { cwd: dir })).toEqual([]);
  });

  it("calls the bin of a package nested in a service's repository a tool unless the service runs it", () => {
    const dir = layout({
      'package.json': { name: 'monitor', private: true, scripts: { start: 'node server/server.js', 'start-relay': 'node extra/relay/index.js' } },
      'extra/pr-tool/package.json': { name: 'pr-tool', version: '1.0.0', bin: { 'pr-tool': './index.mjs' } },
      'extra/relay/package.json': { name: 'relay', version: '1.0.0', bin: { relay: './index.js' } },
      'server/server.js': '',
    });
    expect(roleOf(path.join(dir, 'extra/pr-tool/index.mjs'), { cwd: dir })).toMatchObject({ role: 'test', reason: 'a command-line tool in the repository of the service at "../.." (package.json "bin" pr-tool)' });
    expect(isEntryFile(path.join(dir, 'extra/pr-tool/index.mjs'), { cwd: dir })).toBe(false);
    // The service's own start runs the relay's file only through a script that is not "start": still a tool of the
    // repository, as developer scripts are; the bin of a package with no enclosing service stays its entry.
    expect(roleOf(path.join(dir, 'extra/relay/index.js'), { cwd: dir }).role).toBe('test');
    const alone = layout({ 'package.json': { name: 'relay', version: '1.0.0', bin: { relay: './index.js' } } });
    expect(roleOf(path.join(alone, 'index.js'), { cwd: alone })).toMatchObject({ role: 'service', reason: 'package.json "bin" (relay)' });
    expect(isEntryFile(path.join(alone, 'index.js'), { cwd: alone })).toBe(true);
    // A nested package whose bin the service's start runs is the service's entry.
    const run = layout({
      'package.json': { name: 'monitor', private: true, scripts: { start: 'node extra/daemon/main.js' } },
      'extra/daemon/package.json': { name: 'daemon', version: '1.0.0', bin: { daemon: './main.js' } },
    });
    expect(isEntryFile(path.join(run, 'extra/daemon/main.js'), { cwd: run })).toBe(true);
    expect(roleOf(path.join(run, 'extra/daemon/main.js'), { cwd: run }).role).toBe('service');
  });
});
