import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Project, ts } from 'ts-morph';
import { afterEach, describe, expect, it } from 'vitest';
import { runCodemod } from '../src/index.js';
import { lintWithPlugin, packageDirectory, rewritableRules, scratchDirectory, writeJson } from './helpers.js';

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
    // The SIGTERM handler logs and closes the server: both stop intake, so they run as an intake hook (before the
    // drain, as they ran at the signal); it awaits nothing, so the hook is not async (typescript-eslint's require-await).
    const main = readFileSync(path.join(scratch.directory, 'src/main.ts'), 'utf8');
    expect(main).toContain("onShutdown(() => {\n  console.log('Caught SIGTERM, exiting');\n  server.close();\n}, { phase: 'intake' });");

    expect(typeErrors(scratch.directory)).toEqual(before);

    const files = ['src/main.ts', 'src/jobs.ts', 'src/cache.ts'].map((file) => path.join(scratch!.directory, file));
    const messages = (await lintWithPlugin(scratch.directory, files, { typeCheck: true })).flat();
    expect(messages.filter((message) => message.ruleId && rewritableRules.includes(message.ruleId))).toEqual([]);
  }, 60_000);

  it("a NestJS service handed from Nest's enableShutdownHooks() to the shim still type-checks (the real @nestjs types)", async () => {
    scratch = scratchDirectory('typecheck-nest');
    const directory = scratch.directory;
    writeJson(path.join(directory, 'package.json'), { name: 'api', private: true, scripts: { start: 'node dist/main.js' } });
    writeJson(path.join(directory, 'tsconfig.json'), {
      compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', experimentalDecorators: true, emitDecoratorMetadata: true, types: ['node'], noEmit: true, skipLibCheck: true },
      include: ['src'],
    });
    mkdirSync(path.join(directory, 'src'));
    writeFileSync(
      path.join(directory, 'src/main.ts'),
      `import { Controller, Get, Module } from '@nestjs/common';\nimport { NestFactory } from '@nestjs/core';\n\n@Controller()\nclass HealthController {\n  @Get()\n  health(): string {\n    return 'ok';\n  }\n}\n\n@Module({ controllers: [HealthController] })\nclass AppModule {}\n\nasync function bootstrap(): Promise<void> {\n  const app = await NestFactory.create(AppModule);\n  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);\n  await app.listen(3000);\n}\nvoid bootstrap();\n`,
    );
    expect(typeErrors(directory)).toEqual([]);

    const result = await runCodemod({ cwd: directory, typeCheck: true, allowDirty: true });
    expect(result.report.errors).toEqual([]);
    expect(result.report.reviews).toEqual([]);
    const main = readFileSync(path.join(directory, 'src/main.ts'), 'utf8');
    expect(main).toContain("  installShutdownHandlers({\n    signals: ['SIGTERM', 'SIGINT'],\n    reraiseSignal: true\n  });");
    expect(main).toContain('await trackServer(app).listen(3000);');
    expect(typeErrors(directory)).toEqual([]);
  }, 60_000);

  /** A scratch CommonJS package with a `src/` folder and a strict tsconfig with these module options. */
  function commonJsPackage(name: string, moduleOptions: Record<string, unknown>): string {
    scratch = scratchDirectory(name);
    const directory = scratch.directory;
    writeJson(path.join(directory, 'package.json'), { name, private: true, type: 'commonjs' });
    writeJson(path.join(directory, 'tsconfig.json'), {
      compilerOptions: { strict: true, target: 'ES2022', ...moduleOptions, types: ['node'], noEmit: true, skipLibCheck: true },
      include: ['src'],
    });
    mkdirSync(path.join(directory, 'src'));
    return directory;
  }

  it('TypeScript scripts and export= modules of a CommonJS package still type-check after the rewrite', async () => {
    const directory = commonJsPackage('cjs-scripts', { module: 'commonjs' });
    // Two scripts (global scope in TypeScript): a `require` declared in each would clash with each other and
    // with the global setInterval; and a CommonJS module by `export =`, where a require is module-scoped.
    const script = (name: string) =>
      `async function ${name}(): Promise<void> {}\n\nsetInterval(() => {\n  ${name}();\n}, 1000);\n\nprocess.on('SIGTERM', () => undefined);\n`;
    writeFileSync(path.join(directory, 'src/poll.ts'), script('poll'));
    writeFileSync(path.join(directory, 'src/sweep.ts'), script('sweep'));
    writeFileSync(
      path.join(directory, 'src/jobs.ts'),
      `const fs = require('node:fs');\n\nasync function flush(): Promise<void> {}\n\nfunction start(): void {\n  setInterval(() => {\n    flush();\n  }, fs.constants.F_OK + 1000);\n}\n\nexport = { start };\n`,
    );
    expect(typeErrors(directory)).toEqual([]);

    const result = await runCodemod({ cwd: directory, typeCheck: true, allowDirty: true });
    expect(result.report.errors).toEqual([]);
    expect(result.report.summary.changed).toBe(3);
    expect(readFileSync(path.join(directory, 'src/poll.ts'), 'utf8')).toMatch(/^import \{ setInterval, track \} from '@quiesce\/runtime-shim';/);
    expect(readFileSync(path.join(directory, 'src/jobs.ts'), 'utf8')).toContain("const { setInterval, track } = require('@quiesce/runtime-shim');");
    expect(typeErrors(directory)).toEqual([]);
  }, 60_000);

  it('under verbatimModuleSyntax with CommonJS output, modules get a require and scripts a review item; both still type-check', async () => {
    const directory = commonJsPackage('verbatim-cjs', { module: 'nodenext', verbatimModuleSyntax: true });
    // TypeScript rejects an ES import in these files (TS1295): a module (import … = require) takes a require,
    // a script takes neither (a require would be global).
    const moduleSource = `import os = require('node:os');\n\nasync function refresh(): Promise<void> {}\n\nsetInterval(() => {\n  refresh();\n}, os.cpus().length * 1000);\n\nprocess.on('SIGTERM', () => undefined);\n`;
    const scriptSource = `async function sweep(): Promise<void> {}\n\nsetInterval(() => {\n  sweep();\n}, 1000);\n\nprocess.on('SIGTERM', () => undefined);\n`;
    writeFileSync(path.join(directory, 'src/module.ts'), moduleSource);
    writeFileSync(path.join(directory, 'src/script.ts'), scriptSource);
    expect(typeErrors(directory)).toEqual([]);

    const result = await runCodemod({ cwd: directory, typeCheck: true, allowDirty: true });
    expect(result.report.errors).toEqual([]);
    expect(result.report.summary).toMatchObject({ changed: 1, skipped: 1 });
    expect(readFileSync(path.join(directory, 'src/module.ts'), 'utf8')).toBe(
      moduleSource.replace(
        "import os = require('node:os');\n",
        "import os = require('node:os');\nconst { setInterval, track } = require('@quiesce/runtime-shim');\n",
      ).replace('  refresh();', "  void track(refresh(), { name: 'refresh()' });"),
    );
    expect(readFileSync(path.join(directory, 'src/script.ts'), 'utf8')).toBe(scriptSource);
    expect(result.report.reviews).toEqual([
      expect.objectContaining({ file: 'src/script.ts', ruleId: 'quiesce-codemod/commonjs-script', marker: 'none' }),
    ]);
    expect(typeErrors(directory)).toEqual([]);
  }, 60_000);
});
