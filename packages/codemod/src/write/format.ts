import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The project's own formatter (Prettier, Biome or dprint), found by its configuration and loaded from the project's
 * own node_modules: the codemod bundles none, so changed files come out exactly as the project's format check wants
 * them. A file is formatted only when it was formatted before the run (its text is the formatter's output), so that
 * a rewrite never reformats code it did not touch in a file the project does not keep formatted.
 */
export interface Formatter {
  readonly name: 'prettier' | 'biome' | 'dprint';
  readonly version: string;
  /** The configuration that selected it (absolute). */
  readonly config: string;
  /** The formatted text, or undefined when the formatter ignores the file. Throws when it cannot format it. */
  format(file: string, text: string): Promise<string | undefined>;
}

/** What to do for one file: no formatter configured, a formatter, or one configured but not usable (why). */
export type FormatterLookup = { readonly kind: 'none' } | { readonly kind: 'formatter'; readonly formatter: Formatter } | { readonly kind: 'problem'; readonly problem: string };

const PRETTIER_CONFIGS = [
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.yaml',
  '.prettierrc.yml',
  '.prettierrc.json5',
  '.prettierrc.js',
  '.prettierrc.cjs',
  '.prettierrc.mjs',
  '.prettierrc.ts',
  '.prettierrc.cts',
  '.prettierrc.mts',
  '.prettierrc.toml',
  'prettier.config.js',
  'prettier.config.cjs',
  'prettier.config.mjs',
  'prettier.config.ts',
  'prettier.config.cts',
  'prettier.config.mts',
];
const BIOME_CONFIGS = ['biome.json', 'biome.jsonc'];
const DPRINT_CONFIGS = ['dprint.json', '.dprint.json', 'dprint.jsonc', '.dprint.jsonc'];

/** Finds and loads formatters per directory, each directory and each formatter once per run. */
export class ProjectFormatters {
  readonly #top: string;
  readonly #byDirectory = new Map<string, Promise<FormatterLookup>>();
  readonly #loaded = new Map<string, Promise<FormatterLookup>>();

  /** `top`: the highest directory whose configuration counts (the git work tree's top, else the run's root). */
  constructor(top: string) {
    this.#top = path.resolve(top);
  }

  forFile(file: string): Promise<FormatterLookup> {
    return this.#forDirectory(path.dirname(path.resolve(file)));
  }

  #forDirectory(directory: string): Promise<FormatterLookup> {
    let found = this.#byDirectory.get(directory);
    if (!found) {
      found = this.#lookUp(directory);
      this.#byDirectory.set(directory, found);
    }
    return found;
  }

  async #lookUp(directory: string): Promise<FormatterLookup> {
    const configured = configuredFormatter(directory);
    if (configured) {
      const key = `${configured.name}\0${configured.config}`;
      let loaded = this.#loaded.get(key);
      if (!loaded) {
        loaded = load(configured.name, configured.config);
        this.#loaded.set(key, loaded);
      }
      return loaded;
    }
    const parent = path.dirname(directory);
    if (directory === this.#top || parent === directory || !isInside(parent, this.#top)) return { kind: 'none' };
    return this.#forDirectory(parent);
  }
}

function isInside(directory: string, top: string): boolean {
  const relative = path.relative(top, directory);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The formatter configured in this very directory (Biome, then dprint, then Prettier), if any. */
function configuredFormatter(directory: string): { name: Formatter['name']; config: string } | undefined {
  for (const [name, files] of [
    ['biome', BIOME_CONFIGS],
    ['dprint', DPRINT_CONFIGS],
    ['prettier', PRETTIER_CONFIGS],
  ] as const) {
    for (const file of files) {
      const config = path.join(directory, file);
      if (existsSync(config)) return { name, config };
    }
  }
  const manifest = path.join(directory, 'package.json');
  if (existsSync(manifest)) {
    try {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
      if (json['prettier'] !== undefined) return { name: 'prettier', config: manifest };
    } catch {
      // An unreadable package.json configures nothing.
    }
  }
  return undefined;
}

const PACKAGES: Record<Formatter['name'], string> = { prettier: 'prettier', biome: '@biomejs/biome', dprint: 'dprint' };

async function load(name: Formatter['name'], config: string): Promise<FormatterLookup> {
  const packageName = PACKAGES[name];
  const requireFromProject = createRequire(path.join(path.dirname(config), 'package.json'));
  let manifestPath: string;
  try {
    manifestPath = requireFromProject.resolve(`${packageName}/package.json`);
  } catch {
    return {
      kind: 'problem',
      problem: `${path.basename(config)} configures ${name}, but ${packageName} is not installed in the project: the changed files keep the surrounding style (install the project's dependencies and run again to format them)`,
    };
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string; bin?: string | Record<string, string> };
  const packageDirectory = path.dirname(manifestPath);
  const found = (format: Formatter['format']): FormatterLookup => ({ kind: 'formatter', formatter: { name, version: manifest.version, config, format } });
  if (name === 'prettier') {
    const loaded = (await import(pathToFileURL(requireFromProject.resolve('prettier')).href)) as Partial<PrettierApi> & { default?: Partial<PrettierApi> };
    // Prettier 3 is ESM, with named exports. Prettier 2 is a CommonJS bundle whose named exports Node finds only in
    // part (`format`, not `getFileInfo`): its whole API is the default export.
    const api = [loaded, loaded.default].find((candidate): candidate is PrettierApi => typeof candidate?.format === 'function' && typeof candidate.getFileInfo === 'function');
    if (!api) {
      return { kind: 'problem', problem: `${path.basename(config)} configures prettier, but the prettier installed in the project (${manifest.version}) has no format() and getFileInfo(): the changed files keep the surrounding style` };
    }
    // Prettier 3 takes a list of ignore files (its default: both); Prettier 2 takes one path and throws on a list
    // (a project on Prettier 2 was never formatted): its own default, .prettierignore.
    const prettierIgnore = path.join(path.dirname(config), '.prettierignore');
    const ignorePath = Number(manifest.version.split('.')[0]) >= 3 ? [prettierIgnore, path.join(path.dirname(config), '.gitignore')] : prettierIgnore;
    // Each file is formatted twice (its text before the run, to see whether it was formatted, and after): its
    // ignore status and options are looked up once.
    const optionsOf = new Map<string, Promise<Record<string, unknown> | undefined>>();
    const lookUp = async (file: string): Promise<Record<string, unknown> | undefined> => {
      const info = await api.getFileInfo(file, { ignorePath, resolveConfig: true });
      if (info.ignored || !info.inferredParser) return undefined;
      return { ...((await api.resolveConfig(file, { editorconfig: true })) ?? {}), filepath: file };
    };
    return found(async (file, text) => {
      let options = optionsOf.get(file);
      if (!options) {
        options = lookUp(file);
        optionsOf.set(file, options);
      }
      const resolved = await options;
      return resolved === undefined ? undefined : api.format(text, resolved);
    });
  }
  const binName = name === 'biome' ? 'biome' : 'dprint';
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[binName];
  if (!bin) return { kind: 'problem', problem: `${packageName} ${manifest.version} has no ${binName} command: the changed files keep the surrounding style` };
  const command = path.join(packageDirectory, bin);
  const args = (file: string): string[] => (name === 'biome' ? ['format', `--config-path=${path.dirname(config)}`, `--stdin-file-path=${file}`] : ['fmt', '--config', config, '--stdin', file]);
  return found((file, text) => runWithInput(process.execPath, [command, ...args(file)], text, path.dirname(config)));
}

interface PrettierApi {
  format(text: string, options: Record<string, unknown>): Promise<string>;
  resolveConfig(file: string, options: { editorconfig: boolean }): Promise<Record<string, unknown> | null>;
  getFileInfo(file: string, options: { ignorePath: string[] | string; resolveConfig: boolean }): Promise<{ ignored: boolean; inferredParser: string | null }>;
}

/** Runs a formatter on stdin; its stdout is the formatted text. */
function runWithInput(command: string, args: readonly string[], input: string, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${path.basename(args[0] ?? command)} exited with ${code}: ${stderr.trim().split('\n')[0] ?? ''}`));
    });
    child.stdin.end(input);
  });
}
