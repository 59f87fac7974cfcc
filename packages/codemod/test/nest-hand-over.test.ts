import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCodemod } from '../src/index.js';
import { scratchDirectory, writeJson } from './helpers.js';

// When the codemod hands a NestJS app's signals from Nest's enableShutdownHooks() to the shim, and when it leaves a
// review item instead (src/plan/transforms/nest-hooks.ts). The runtime side is in behaviour/nest-shutdown-hooks-*.

const scratches: { remove(): void }[] = [];
afterEach(() => {
  for (const scratch of scratches.splice(0)) scratch.remove();
});

const main = (hooks: string, extra = '') => `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
${extra}  ${hooks};
  await app.listen(3000);
}
void bootstrap();
`;

interface Project {
  readonly main: string;
  readonly files?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly settings?: Record<string, unknown>;
}

async function rewrite({ main: mainText, files = {}, dependencies = {}, settings }: Project) {
  const scratch = scratchDirectory('nest-hand-over');
  scratches.push(scratch);
  const cwd = scratch.directory;
  writeJson(path.join(cwd, 'package.json'), { name: 'api', private: true, scripts: { start: 'node dist/main.js' }, dependencies: { '@nestjs/core': '^11.0.0', ...dependencies } });
  mkdirSync(path.join(cwd, 'src'));
  writeFileSync(path.join(cwd, 'src/main.ts'), mainText);
  writeFileSync(path.join(cwd, 'src/app.module.ts'), 'export class AppModule {}\n');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  const result = await runCodemod({ cwd, typeCheck: false, allowDirty: true, ...(settings ? { settings } : {}) });
  expect(result.report.errors).toEqual([]);
  const reviews = result.report.reviews.filter((review) => review.file === 'src/main.ts');
  return { text: readFileSync(path.join(cwd, 'src/main.ts'), 'utf8'), reviews, result, cwd };
}

describe("a NestJS app on Nest's enableShutdownHooks()", () => {
  it("is handed to the shim with Nest's default signals, re-raising the signal as Nest did; a second run changes nothing", async () => {
    const first = await rewrite({ main: main('app.enableShutdownHooks()') });
    expect(first.reviews).toEqual([]);
    expect(first.text).toContain("import { trackServer, installShutdownHandlers } from '@quiesce/runtime-shim';");
    expect(first.text).toContain(
      "  // Nest's signals, now the shim's: it drains, then trackServer(app) runs app.close().\n  installShutdownHandlers({\n    signals: [\n      'SIGHUP',\n      'SIGINT',\n      'SIGQUIT',\n      'SIGILL',\n      'SIGTRAP',\n      'SIGABRT',\n      'SIGBUS',\n      'SIGFPE',\n      'SIGSEGV',\n      'SIGUSR2',\n      'SIGTERM'\n    ],\n    reraiseSignal: true\n  });\n  await trackServer(app).listen(3000);",
    );
    const second = await runCodemod({ cwd: first.cwd, typeCheck: false, allowDirty: true });
    expect(second.report.summary.changed).toBe(0);
    expect(readFileSync(path.join(first.cwd, 'src/main.ts'), 'utf8')).toBe(first.text);
  });

  it('keeps the signals it was given (as Nest reads them: upper-cased, trimmed, once each), and useProcessExit as exit code 0', async () => {
    const given = await rewrite({ main: main("app.enableShutdownHooks(['sigterm ', 'SIGINT', 'SIGTERM'])") });
    expect(given.text).toContain("  installShutdownHandlers({\n    signals: ['SIGTERM', 'SIGINT'],\n    reraiseSignal: true\n  });");
    const exiting = await rewrite({ main: main("app.enableShutdownHooks(['SIGTERM'], { useProcessExit: true })") });
    expect(exiting.text).toContain("  installShutdownHandlers({ signals: ['SIGTERM'], reraiseSignal: false });");
    const empty = await rewrite({ main: main('app.enableShutdownHooks([])') });
    expect(empty.text).toContain("      'SIGTERM'\n    ],\n    reraiseSignal: true");
  });

  it.each([
    ['a provider stops work in onModuleDestroy', { main: main('app.enableShutdownHooks()'), files: { 'src/jobs/poller.service.ts': 'export class Poller {\n  onModuleDestroy() {}\n}\n' } }, 'src/jobs/poller.service.ts has an onModuleDestroy or beforeApplicationShutdown hook'],
    ['a provider has a beforeApplicationShutdown hook', { main: main('app.enableShutdownHooks()'), files: { 'src/health.ts': 'export class Health {\n  async beforeApplicationShutdown() {}\n}\n' } }, 'src/health.ts has an onModuleDestroy or beforeApplicationShutdown hook'],
    ['the package uses a Nest queue module', { main: main('app.enableShutdownHooks()'), dependencies: { '@nestjs/bullmq': '^11.0.0' } }, 'the package depends on @nestjs/bullmq'],
    ['the app runs microservices', { main: main('app.enableShutdownHooks()', "  app.connectMicroservice({});\n  await app.startAllMicroservices();\n") }, 'this app runs microservices'],
    ['the signals are not literal names', { main: main('app.enableShutdownHooks(signals)').replace('async function', 'const signals = ["SIGTERM"];\nasync function') }, 'its signals are not a list of names'],
    ['an option it cannot carry over', { main: main("app.enableShutdownHooks(['SIGTERM'], { other: true })") }, 'its option other is not one the codemod can carry over'],
    ['the call is chained', { main: main('app.enableShutdownHooks().useGlobalPipes()') }, "this call's result is used"],
  ] as const)('gets a review item at that call, and keeps it, when %s', async (_case, project, why) => {
    const { text, reviews } = await rewrite(project);
    expect(text).toContain('app.enableShutdownHooks(');
    expect(text).not.toContain('installShutdownHandlers');
    expect(text).not.toContain('trackServer(app).listen');
    expect(reviews.map((review) => review.reason).join('\n')).toContain(why);
    expect(text).toMatch(/quiesce-review: Nest's enableShutdownHooks\(\)[^]*\*\/\n  app\.enableShutdownHooks\(/);
  });

  it("leaves a library alone: its app is its caller's", async () => {
    const { text, reviews } = await rewrite({ main: main('app.enableShutdownHooks()'), settings: { role: 'library' } });
    expect(reviews).toEqual([]);
    expect(text).toBe(main('app.enableShutdownHooks()'));
  });
});
