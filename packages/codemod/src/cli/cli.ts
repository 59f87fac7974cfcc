#!/usr/bin/env node
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseCliArgs, USAGE, UsageError, type CliOptions } from './args.js';
import { createProgress } from './progress.js';
import type { CodemodResult } from '../run.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`quiesce-codemod: ${error.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (options.version) {
    const manifest = createRequire(import.meta.url)('../../package.json') as { version: string };
    process.stdout.write(`${manifest.version}\n`);
    return EXIT_OK;
  }

  // First Ctrl-C: finish the writes under way, start no more; second: leave at once (writes are atomic).
  let stopRequested = false;
  const onInterrupt = (): void => {
    if (stopRequested) process.exit(EXIT_INTERRUPTED);
    stopRequested = true;
    process.stderr.write('\nquiesce-codemod: interrupted; finishing the files being written, starting no more (Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', onInterrupt);

  // Before anything loads TypeScript: one that typescript-eslint 8 (and so the plugin's detection) cannot run on
  // fails here with one line naming both versions, instead of a TypeError from inside TypeScript or typescript-eslint.
  const { default: typescriptSupport } = await import('@quiesce/eslint-plugin/typescript-support');
  const unsupported = typescriptSupport.unsupportedTypeScript();
  if (unsupported) {
    process.stderr.write(`quiesce-codemod: ${unsupported.reason}\n`);
    return EXIT_USAGE;
  }

  // Loaded after argument parsing, so that usage errors and --help answer at once.
  const [{ runCodemod }, { UsageProblem }] = await Promise.all([import('../run.js'), import('../errors.js')]);
  const progress = createProgress();
  let result: CodemodResult;
  try {
    result = await runCodemod({
      paths: options.paths,
      mode: options.mode,
      typeCheck: options.typeCheck,
      projects: options.projects,
      entries: options.entries,
      ignores: options.ignores,
      allowDirty: options.allowDirty,
      format: options.formatCode,
      eslintConfig: options.eslintConfig,
      ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
      onProgress: (update) => progress.update(update),
      shouldStop: () => stopRequested,
    });
  } catch (error) {
    progress.clear();
    if (error instanceof UsageProblem) {
      process.stderr.write(`quiesce-codemod: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  progress.clear();
  await printResult(options, result);
  if (result.refusal) {
    process.stderr.write(`quiesce-codemod: ${result.refusal}\n`);
    return EXIT_FAILED;
  }
  if (result.report.interrupted) return EXIT_INTERRUPTED;
  if (result.report.errors.length > 0) return EXIT_FAILED;
  // CI must not pass over a file nobody could analyse: with --check, an unparsed file fails the run as a change does.
  if (options.mode === 'check' && (result.report.summary.changed > 0 || result.report.summary.notAnalysed > 0 || result.report.dependencies.some((dependency) => dependency.status === 'changed'))) return EXIT_FAILED;
  return EXIT_OK;
}

async function printResult(options: CliOptions, result: CodemodResult): Promise<void> {
  const [{ formatDiff }, { formatJson }, { formatSarif }, { formatText }] = await Promise.all([
    import('../report/diff.js'),
    import('../report/json.js'),
    import('../report/sarif.js'),
    import('../report/text.js'),
  ]);
  const relative = (file: string): string => path.relative(result.report.root, file).split(path.sep).join('/');
  const diff = options.mode === 'dry-run' ? formatDiff(result.changes, relative) : '';
  switch (options.format) {
    case 'json':
      process.stdout.write(formatJson(result.report, options.mode === 'dry-run' ? { diff } : {}));
      break;
    case 'sarif':
      process.stdout.write(formatSarif(result.report));
      break;
    case 'text':
      process.stdout.write(diff + formatText(result.report));
      break;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`quiesce-codemod: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
