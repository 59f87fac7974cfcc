import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CommentRules } from '../plan/review.js';

/**
 * The project's own ESLint configuration, when it uses the plugin: which files it lints (its `files` and `ignores`),
 * and for each file the plugin's rules it turns on and its `settings.quiesce` and `require-shutdown-handler` entries,
 * as the project's own ESLint computes them (`ESLint#isPathIgnored`, `ESLint#calculateConfigForFile`). The codemod
 * then rewrites what `npx eslint` reports in that project, no more.
 */
export interface FileConfig {
  /** The plugin's rules (`quiesce/…`) the config turns on for the file. */
  readonly rules: readonly string[];
  readonly settings?: Readonly<Record<string, unknown>>;
  /** `quiesce/require-shutdown-handler`'s `entries` option (globs relative to the config's directory). */
  readonly entries?: readonly string[];
}

export interface ProjectConfig {
  /** The config file (absolute). */
  readonly file: string;
  /** ESLint's working directory for it: globs and entries are relative to it. */
  readonly cwd: string;
  /** Distinct per-file configurations, and for each analysed file (absolute) the index of its own. */
  readonly configs: readonly FileConfig[];
  readonly configOf: Readonly<Record<string, number>>;
  /** Files the config ignores or does not lint with the plugin's rules (not analysed). */
  readonly outOfConfig: readonly string[];
}

/** What the config asks of comments (`max-len`, `capitalized-comments`), per file, whether or not it uses the plugin. */
export interface CommentRulesByFile {
  readonly configs: readonly CommentRules[];
  readonly of: Readonly<Record<string, number>>;
}

export type ConfigLookup =
  | { readonly kind: 'none' }
  | { readonly kind: 'config'; readonly config: ProjectConfig; readonly commentRules?: CommentRulesByFile }
  /** A config that could not be used (not loadable, or not using the plugin): why, for the report's notes. */
  | { readonly kind: 'unused'; readonly note: string; readonly commentRules?: CommentRulesByFile };

const FLAT_CONFIGS = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];
const LEGACY_CONFIGS = ['.eslintrc.js', '.eslintrc.cjs', '.eslintrc.yaml', '.eslintrc.yml', '.eslintrc.json', '.eslintrc'];

interface EslintInstance {
  isPathIgnored(file: string): Promise<boolean>;
  calculateConfigForFile(file: string): Promise<{ rules?: Record<string, unknown>; settings?: Record<string, unknown> } | undefined>;
}

interface EslintModule {
  ESLint: new (options: { cwd: string }) => EslintInstance;
  loadESLint?: (options: { cwd: string; useFlatConfig?: boolean }) => Promise<new (options: { cwd: string }) => EslintInstance>;
}

/** The nearest ESLint config at or above `start` (up to `top`), flat config first, as ESLint looks it up. */
function findConfig(start: string, top: string): { file: string; flat: boolean } | undefined {
  for (let directory = path.resolve(start); ; directory = path.dirname(directory)) {
    for (const name of FLAT_CONFIGS) if (existsSync(path.join(directory, name))) return { file: path.join(directory, name), flat: true };
    for (const name of LEGACY_CONFIGS) if (existsSync(path.join(directory, name))) return { file: path.join(directory, name), flat: false };
    if (directory === path.resolve(top) || path.dirname(directory) === directory) return undefined;
  }
}

/**
 * Reads the project's ESLint config for `files` with the project's own ESLint (resolved from the config's
 * directory; the codemod bundles none). `start`: where ESLint would start looking (the run's cwd); `top`: the
 * highest directory to look in (the git work tree's top).
 */
export async function readProjectConfig(files: readonly string[], start: string, top: string): Promise<ConfigLookup> {
  const found = findConfig(start, top);
  if (!found) return { kind: 'none' };
  const cwd = path.dirname(found.file);
  const name = path.relative(start, found.file) || path.basename(found.file);
  let eslint: EslintInstance;
  try {
    const requireFromProject = createRequire(path.join(cwd, 'package.json'));
    const module = (await import(pathToFileURL(requireFromProject.resolve('eslint')).href)) as EslintModule;
    const ESLintClass = module.loadESLint ? await module.loadESLint({ cwd, useFlatConfig: found.flat }) : module.ESLint;
    eslint = new ESLintClass({ cwd });
  } catch (error) {
    return { kind: 'unused', note: `${name} was not read (the project's ESLint could not be loaded: ${firstLine(error)}); the codemod's default scope was used` };
  }
  const configs: FileConfig[] = [];
  const keys = new Map<string, number>();
  const configOf: Record<string, number> = {};
  const outOfConfig: string[] = [];
  const commentConfigs: CommentRules[] = [];
  const commentKeys = new Map<string, number>();
  const commentOf: Record<string, number> = {};
  let usesPlugin = false;
  try {
    for (const file of files) {
      if (await eslint.isPathIgnored(file)) {
        outOfConfig.push(file);
        continue;
      }
      const config = await eslint.calculateConfigForFile(file);
      const comments = commentRulesOf(config?.rules ?? {});
      if (comments) {
        const key = JSON.stringify(comments);
        let index = commentKeys.get(key);
        if (index === undefined) {
          index = commentConfigs.push(comments) - 1;
          commentKeys.set(key, index);
        }
        commentOf[file] = index;
      }
      const rules = Object.entries(config?.rules ?? {})
        .filter(([rule, entry]) => rule.startsWith('quiesce/') && severityOf(entry) > 0)
        .map(([rule]) => rule)
        .sort();
      if (!config || rules.length === 0) {
        outOfConfig.push(file);
        continue;
      }
      usesPlugin = true;
      const settings = config.settings?.['quiesce'];
      const handlerOptions = optionsOf(config.rules?.['quiesce/require-shutdown-handler']);
      const entries = Array.isArray(handlerOptions?.['entries']) ? (handlerOptions['entries'] as unknown[]).filter((entry): entry is string => typeof entry === 'string') : undefined;
      const fileConfig: FileConfig = {
        rules,
        ...(settings && typeof settings === 'object' ? { settings: settings as Record<string, unknown> } : {}),
        ...(entries && entries.length > 0 ? { entries } : {}),
      };
      const key = JSON.stringify(fileConfig);
      let index = keys.get(key);
      if (index === undefined) {
        index = configs.length;
        configs.push(fileConfig);
        keys.set(key, index);
      }
      configOf[file] = index;
    }
  } catch (error) {
    return { kind: 'unused', note: `${name} could not be applied (${firstLine(error)}); the codemod's default scope was used` };
  }
  const commentRules = commentConfigs.length > 0 ? { commentRules: { configs: commentConfigs, of: commentOf } } : {};
  if (!usesPlugin) {
    return { kind: 'unused', note: `${name} does not turn on @quiesce/eslint-plugin's rules for these files; the codemod's default scope was used`, ...commentRules };
  }
  return { kind: 'config', config: { file: found.file, cwd, configs, configOf, outOfConfig }, ...commentRules };
}

const MAX_LEN_RULES = ['max-len', '@stylistic/max-len', '@stylistic/js/max-len', '@stylistic/ts/max-len'];

/** `max-len` (its `code`, or the first number option; `tabWidth`) and `capitalized-comments` ("always", the default). */
function commentRulesOf(rules: Record<string, unknown>): CommentRules | undefined {
  let maxLength: number | undefined;
  let tabWidth: number | undefined;
  for (const rule of MAX_LEN_RULES) {
    const entry = rules[rule];
    if (severityOf(entry) === 0 || !Array.isArray(entry)) continue;
    const options = entry.slice(1) as unknown[];
    const object = options.find((option): option is Record<string, unknown> => typeof option === 'object' && option !== null);
    const numbers = options.filter((option): option is number => typeof option === 'number');
    const code = typeof object?.['code'] === 'number' ? object['code'] : numbers[0];
    const tabs = typeof object?.['tabWidth'] === 'number' ? object['tabWidth'] : numbers[1];
    maxLength = code ?? 80;
    if (tabs !== undefined) tabWidth = tabs;
  }
  const capitalizedEntry = rules['capitalized-comments'];
  const capitalized = severityOf(capitalizedEntry) > 0 && !(Array.isArray(capitalizedEntry) && capitalizedEntry[1] === 'never');
  if (maxLength === undefined && !capitalized) return undefined;
  return { ...(maxLength === undefined ? {} : { maxLength }), ...(tabWidth === undefined ? {} : { tabWidth }), ...(capitalized ? { capitalized } : {}) };
}

function severityOf(entry: unknown): number {
  const level = Array.isArray(entry) ? entry[0] : entry;
  if (level === 'error' || level === 2) return 2;
  if (level === 'warn' || level === 1) return 1;
  return 0;
}

function optionsOf(entry: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(entry)) return undefined;
  const options: unknown = entry[1];
  return typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : undefined;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
