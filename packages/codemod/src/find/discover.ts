import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { glob } from 'tinyglobby';
import { UsageProblem } from '../errors.js';

export const SOURCE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'] as const;

/** Never rewritten: dependencies, VCS data, build outputs and declaration files. */
export const DEFAULT_IGNORES = [
  '**/node_modules/**',
  '**/.git/**',
  '**/dist/**',
  '**/build/**',
  '**/out/**',
  '**/coverage/**',
  '**/.next/**',
  '**/*.d.ts',
  '**/*.d.mts',
  '**/*.d.cts',
  '**/*.min.js',
];

/**
 * Skipped by default (no ESLint config of the project says otherwise): tests, examples, fixtures, benchmarks and
 * docs, in .gitignore syntax, relative to each directory given. Naming such a folder (or file) as a path includes it.
 */
export const DEFAULT_SCOPE_SKIPS = [
  'test/',
  'tests/',
  '__tests__/',
  'spec/',
  '__mocks__/',
  'e2e/',
  '*.test.*',
  '*.spec.*',
  'fixtures/',
  '__fixtures__/',
  'example/',
  'examples/',
  'bench/',
  'benchmark/',
  'benchmarks/',
  'docs/',
  'doc/',
];

const sourcePattern = new RegExp(`\\.(${SOURCE_EXTENSIONS.join('|')})$`);


/**
 * The source files under `paths` (files or directories, relative to `cwd`), absolute and sorted:
 * `.gitignore` files (from `root` down) respected, default ignores and `ignores` globs applied.
 */
export async function discoverFiles(options: {
  readonly cwd: string;
  readonly root: string;
  readonly paths: readonly string[];
  readonly ignores: readonly string[];
  /** Skip DEFAULT_SCOPE_SKIPS below the directories given (they land in `outOfScope`). */
  readonly defaultScope: boolean;
}): Promise<{ files: string[]; outOfScope: string[] }> {
  const found = new Set<string>();
  const outOfScope = new Set<string>();
  const scope = ignore().add(DEFAULT_SCOPE_SKIPS);
  const gitignores = new GitignoreSet(options.root);
  for (const input of options.paths) {
    const absolute = path.resolve(options.cwd, input);
    if (!existsSync(absolute)) {
      throw new UsageProblem(`${input}: no such file or directory (give files or directories to rewrite)`);
    }
    if (statSync(absolute).isFile()) {
      if (!sourcePattern.test(absolute)) {
        throw new UsageProblem(`${input}: not a JavaScript or TypeScript file (${SOURCE_EXTENSIONS.map((e) => '.' + e).join(', ')})`);
      }
      found.add(absolute);
      continue;
    }
    const files = await glob(`**/*.{${SOURCE_EXTENSIONS.join(',')}}`, {
      cwd: absolute,
      absolute: true,
      ignore: [...DEFAULT_IGNORES, ...options.ignores],
      dot: false,
      followSymbolicLinks: false,
    });
    await gitignores.load(absolute);
    for (const file of files) {
      const normalised = path.resolve(file);
      if (gitignores.ignores(normalised)) continue;
      if (options.defaultScope && scope.ignores(path.relative(absolute, normalised).split(path.sep).join('/'))) outOfScope.add(normalised);
      else found.add(normalised);
    }
  }
  for (const file of found) outOfScope.delete(file);
  return { files: [...found].sort(), outOfScope: [...outOfScope].sort() };
}

/** Every `.gitignore` from the repository root down, each applied to the paths below its directory. */
class GitignoreSet {
  readonly #root: string;
  readonly #rules = new Map<string, Ignore>();

  constructor(root: string) {
    this.#root = root;
  }

  async load(directory: string): Promise<void> {
    for (let current = directory; ; current = path.dirname(current)) {
      this.#add(path.join(current, '.gitignore'));
      if (current === this.#root || path.dirname(current) === current || !current.startsWith(this.#root)) break;
    }
    const nested = await glob('**/.gitignore', { cwd: directory, absolute: true, ignore: ['**/node_modules/**', '**/.git/**'], dot: true });
    for (const file of nested) this.#add(path.resolve(file));
  }

  #add(file: string): void {
    const directory = path.dirname(file);
    if (this.#rules.has(directory) || !existsSync(file)) return;
    this.#rules.set(directory, ignore().add(readFileSync(file, 'utf8')));
  }

  ignores(file: string): boolean {
    for (const [directory, rules] of this.#rules) {
      const relative = path.relative(directory, file);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      if (rules.ignores(relative.split(path.sep).join('/'))) return true;
    }
    return false;
  }
}
