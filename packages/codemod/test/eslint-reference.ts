// The reference for the one-truth test: what ESLint's Node API reports with @quiesce/eslint-plugin's configs, set up
// exactly as the codemod's analysis stands for them. This is the codemod's former src/lint.ts (its ESLint side),
// kept here so that the codemod's findings, which no longer come from ESLint, can be compared with ESLint's.
import { createRequire } from 'node:module';
import path from 'node:path';
import { ESLint, type Linter, type Rule, type ESLint as ESLintTypes } from 'eslint';
import plugin from '@quiesce/eslint-plugin';
import type { typescript } from '@quiesce/eslint-plugin/detect';
import type { AnalysisOptions } from '../src/find/detection.js';
import { SOURCE_EXTENSIONS } from '../src/find/discover.js';

/** One plugin report: ESLint's message plus the `data` the rule reported with (ESLint drops it from messages). */
export interface ReferenceMessage {
  readonly ruleId: string;
  readonly messageId: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly data: Readonly<Record<string, string>>;
}

/** What ESLint says about one file. */
export interface ReferenceLint {
  /** A parse error ESLint hit, as `line:column message`. */
  readonly fatal?: string;
  readonly messages: readonly ReferenceMessage[];
  /** Whether the rules had type information (a program) for the file. */
  readonly typed: boolean;
  /** `verbatimModuleSyntax` with CommonJS output for the file, in the program ESLint used. */
  readonly esmImportsForbidden: boolean;
}

/** What the wrapped rules saw of the file being linted. */
interface Captured {
  readonly reports: CapturedReport[];
  program: typescript.Program | undefined;
}

interface CapturedReport {
  readonly ruleId: string;
  readonly messageId: string;
  readonly line: number;
  readonly column: number;
  readonly data: Readonly<Record<string, string>>;
}

type PluginConfigs = Record<string, Linter.Config | Linter.Config[]>;

const allSourceFiles = [`**/*.{${SOURCE_EXTENSIONS.join(',')}}`];
const typeScriptFiles = ['**/*.{ts,tsx,mts,cts}'];
const javaScriptFiles = ['**/*.{js,jsx,mjs,cjs}'];

/**
 * ESLint through the Node API with the plugin's `recommended-type-checked` config, or its `recommended` config (with
 * the plugin's TypeScript parser for TypeScript files) for `--no-type-check` and for files no tsconfig includes.
 */
/** The copy of typescript-eslint's parser that the plugin itself loads. */
const typeScriptEslintParser = createRequire(createRequire(import.meta.url).resolve('@quiesce/eslint-plugin/package.json'))(
  '@typescript-eslint/parser',
) as Linter.Parser;

export class EslintReference {
  readonly #typed: ESLint | undefined;
  readonly #untyped: ESLint;
  readonly #captured: Captured = { reports: [], program: undefined };

  constructor(options: AnalysisOptions) {
    const configs = withCapturingPlugin((plugin as unknown as { configs: PluginConfigs }).configs, this.#captured);
    const recommended = asArray(configOrThrow(configs, 'recommended'));
    const typeChecked = asArray(configOrThrow(configs, 'recommended-type-checked'));
    const parser = typeChecked.find((config) => config.languageOptions?.parser)?.languageOptions?.parser;
    const shared = sharedConfig(options);
    this.#untyped = new ESLint({
      cwd: options.root,
      overrideConfigFile: true,
      ignore: false,
      overrideConfig: [...recommended, { files: typeScriptFiles, languageOptions: { ...(parser ? { parser } : {}) } }, ...shared],
    });
    const needsExplicitProjects = options.tsconfigs.some((tsconfig) => path.basename(tsconfig) !== 'tsconfig.json');
    const projectOptions: Linter.ParserOptions = needsExplicitProjects
      ? { projectService: false, project: [...options.tsconfigs], tsconfigRootDir: options.root }
      : { tsconfigRootDir: options.root };
    this.#typed = options.typeCheck
      ? new ESLint({
          cwd: options.root,
          overrideConfigFile: true,
          ignore: false,
          overrideConfig: [
            ...typeChecked,
            { files: typeScriptFiles, languageOptions: { parserOptions: projectOptions } },
            // JavaScript that a tsconfig includes (allowJs/checkJs) gets types too; JavaScript outside every tsconfig
            // fails here with a project error and is linted without types (see lint()).
            // typescript-eslint's own parser, not the plugin's (which parses a file outside every tsconfig without types
            // instead of failing): the plugin's configs give JavaScript to espree, and so does lint()'s fallback here.
            { files: javaScriptFiles, languageOptions: { parser: typeScriptEslintParser, parserOptions: { projectService: true, ...projectOptions } } },
            ...shared,
          ],
        })
      : undefined;
  }

  async lint(file: string, text: string): Promise<ReferenceLint> {
    if (this.#typed) {
      const typed = await this.#lintWith(this.#typed, file, text);
      // A file no tsconfig includes: lint it as the plugin's recommended config would, without types.
      if (!typed.fatal || !/project service|parserOptions\.project|not included in|none of those TSConfigs/i.test(typed.fatal)) {
        return typed;
      }
    }
    return this.#lintWith(this.#untyped, file, text);
  }

  async #lintWith(eslint: ESLint, file: string, text: string): Promise<ReferenceLint> {
    resetCapture(this.#captured);
    const [result] = await eslint.lintText(text, { filePath: file, warnIgnored: true });
    if (!result) throw new Error(`ESLint returned no result for ${file}`);
    const fatal = result.messages.find((message) => message.fatal);
    if (fatal) return { fatal: `${fatal.line}:${fatal.column} ${fatal.message}`, messages: [], typed: false, esmImportsForbidden: false };
    const messages: ReferenceMessage[] = [];
    for (const message of result.messages) {
      if (!message.ruleId?.startsWith('quiesce/')) continue;
      const messageId = message.messageId ?? '';
      const report = this.#captured.reports.find(
        (entry) => entry.ruleId === message.ruleId && entry.messageId === messageId && entry.line === message.line && entry.column === message.column,
      );
      messages.push({
        ruleId: message.ruleId,
        messageId,
        message: message.message,
        line: message.line,
        column: message.column,
        endLine: message.endLine ?? message.line,
        endColumn: message.endColumn ?? message.column,
        data: report?.data ?? {},
      });
    }
    const program = this.#captured.program;
    const compilerFile = program?.getSourceFile(file);
    return {
      messages,
      typed: compilerFile !== undefined,
      esmImportsForbidden: program !== undefined && compilerFile !== undefined && esmImportsForbidden(program, compilerFile),
    };
  }
}

function resetCapture(captured: Captured): void {
  captured.reports.length = 0;
  captured.program = undefined;
}

function sharedConfig(options: AnalysisOptions): Linter.Config[] {
  const entries = options.entries.map((entry) => path.relative(options.root, entry).split(path.sep).join('/'));
  const shared: Linter.Config[] = [{ files: allSourceFiles, linterOptions: { reportUnusedDisableDirectives: 'off' } }];
  if (options.settings) shared.push({ settings: { quiesce: options.settings } });
  if (entries.length > 0) {
    shared.push({ files: allSourceFiles, rules: { 'quiesce/require-shutdown-handler': ['error', { entries }] } });
  }
  return shared;
}

function configOrThrow(configs: PluginConfigs, name: string): Linter.Config | Linter.Config[] {
  const config = configs[name];
  if (!config) throw new Error(`@quiesce/eslint-plugin has no "${name}" config`);
  return config;
}

function asArray(config: Linter.Config | Linter.Config[]): Linter.Config[] {
  return Array.isArray(config) ? config : [config];
}

/** `ts.ModuleKind.CommonJS`. */
const COMMON_JS_MODULE_KIND = 1;

function esmImportsForbidden(program: typescript.Program, file: typescript.SourceFile): boolean {
  if (!program.getCompilerOptions().verbatimModuleSyntax) return false;
  const formatOf = (program as { getEmitModuleFormatOfFile?: (file: typescript.SourceFile) => number }).getEmitModuleFormatOfFile;
  return formatOf?.call(program, file) === COMMON_JS_MODULE_KIND;
}

/**
 * The plugin's configs with its rules wrapped to record each report's `data` (ESLint's messages do not carry it),
 * and the file's typescript-eslint program.
 */
function withCapturingPlugin(configs: PluginConfigs, captured: Captured): PluginConfigs {
  const original = plugin as unknown as ESLintTypes.Plugin;
  const rules: Record<string, Rule.RuleModule> = {};
  for (const [name, rule] of Object.entries(original.rules ?? {})) {
    const module = rule as Rule.RuleModule;
    rules[name] = {
      ...module,
      create(context) {
        captured.program ??= context.sourceCode.parserServices?.['program'] as typescript.Program | undefined;
        const report = (descriptor: Rule.ReportDescriptor): void => {
          const loc = 'loc' in descriptor && descriptor.loc ? descriptor.loc : 'node' in descriptor ? descriptor.node.loc : undefined;
          const start = loc && 'start' in loc ? loc.start : loc;
          if (start && 'messageId' in descriptor && descriptor.messageId) {
            captured.reports.push({
              ruleId: context.id,
              messageId: descriptor.messageId,
              line: start.line,
              column: start.column + 1,
              data: stringData(descriptor.data),
            });
          }
          context.report(descriptor);
        };
        return module.create(Object.create(context, { report: { value: report } }) as Rule.RuleContext);
      },
    };
  }
  const wrapped: ESLintTypes.Plugin = { ...original, rules };
  const rewrap = (config: Linter.Config): Linter.Config =>
    config.plugins?.['quiesce'] ? { ...config, plugins: { ...config.plugins, quiesce: wrapped } } : config;
  const result: PluginConfigs = {};
  for (const [name, config] of Object.entries(configs)) {
    result[name] = Array.isArray(config) ? config.map(rewrap) : rewrap(config);
  }
  return result;
}

function stringData(data: Record<string, unknown> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(data ?? {})) result[key] = String(value);
  return result;
}
