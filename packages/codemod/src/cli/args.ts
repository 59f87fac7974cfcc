import { parseArgs } from 'node:util';
import { jobsProblem } from '../errors.js';

export type ReportFormat = 'text' | 'json' | 'sarif';

export interface CliOptions {
  readonly paths: string[];
  readonly mode: 'write' | 'dry-run' | 'check';
  readonly format: ReportFormat;
  readonly projects: string[];
  readonly typeCheck: boolean;
  readonly entries: string[];
  readonly ignores: string[];
  readonly allowDirty: boolean;
  /** False with --no-eslint-config: the project's ESLint config is not read. */
  readonly eslintConfig: boolean;
  /** False with --no-format: changed files are not run through the project's formatter. */
  readonly formatCode: boolean;
  /** Undefined: the default (see defaultJobs). */
  readonly jobs: number | undefined;
  readonly help: boolean;
  readonly version: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: quiesce-codemod [options] [paths…]

Rewrites what @quiesce/eslint-plugin reports onto @quiesce/runtime-shim (paths default to ".").

Options:
  --dry-run            print a unified diff of the changes; write nothing
  --check              write nothing; exit 1 when any file would change or could not be parsed
                       or analysed (for CI)
  --format <format>    report format: text (default), json or sarif
  --project <tsconfig> tsconfig to type-check with (repeatable; project references followed);
                       default: each file's nearest tsconfig.json
  --no-type-check      analyse without type information (syntax-only rules)
  --entry <file>       an entry file that must install shutdown handling (repeatable; must
                       exist); default: the plugin's entries (package.json bin, the file the
                       start script runs, Dockerfile/Procfile commands, settings.quiesce.entries)
  --ignore <glob>      skip files matching the glob (repeatable); .gitignore, node_modules
                       and build outputs are always skipped
  --no-eslint-config   do not read the project's ESLint config (by default, when it uses the
                       plugin, its files, ignores, rules, settings and entries decide what is
                       rewritten; without one, tests, examples, fixtures, benchmarks and docs
                       are skipped unless named as paths)
  --no-format          do not format the changed files with the project's own Prettier, Biome or
                       dprint (by default they are, when the project configures one and the file
                       was formatted before the run)
  --allow-dirty        write files that have uncommitted changes in git, or outside a git work tree
  --jobs <n>           threads that analyse files at once (default: one less than the CPUs, at
                       most 4, as many as free memory holds; never more than one per 100 files)
  -h, --help           show this help
  --version            print the version

Exit codes: 0 done, 1 a file error, a refused write, or (with --check) changes needed or a file
not analysed, 2 bad usage.
`;

const FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif'];

/** Parses argv (without node and the script); throws UsageError with a message that says what to fix. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'dry-run': { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        project: { type: 'string', multiple: true, default: [] },
        'no-type-check': { type: 'boolean', default: false },
        entry: { type: 'string', multiple: true, default: [] },
        ignore: { type: 'string', multiple: true, default: [] },
        'allow-dirty': { type: 'boolean', default: false },
        'no-format': { type: 'boolean', default: false },
        'no-eslint-config': { type: 'boolean', default: false },
        jobs: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '.')}`);
  }
  const { values, positionals } = parsed;
  if (values['dry-run'] && values.check) {
    throw new UsageError('--dry-run and --check cannot be combined: --check already writes nothing (use one of them)');
  }
  const format = values.format as ReportFormat;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format ${values.format}: unknown format (use text, json or sarif)`);
  }
  if (values['no-type-check'] && values.project.length > 0) {
    throw new UsageError('--project and --no-type-check cannot be combined: a project is only read for type information');
  }
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  const badJobs = jobs === undefined ? undefined : jobsProblem(jobs, `--jobs ${values.jobs}`);
  if (badJobs) throw new UsageError(badJobs);
  return {
    paths: positionals.length > 0 ? positionals : ['.'],
    mode: values['dry-run'] ? 'dry-run' : values.check ? 'check' : 'write',
    format,
    projects: values.project,
    typeCheck: !values['no-type-check'],
    entries: values.entry,
    ignores: values.ignore,
    allowDirty: values['allow-dirty'],
    formatCode: !values['no-format'],
    eslintConfig: !values['no-eslint-config'],
    jobs,
    help: values.help,
    version: values.version,
  };
}
