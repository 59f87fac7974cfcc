import path from 'node:path';
import { detect, isEntryFile, roleOf, typescript, type DetectOptions } from '@quiesce/eslint-plugin/detect';
import { parse as parseWithEspree } from 'espree';
import { DisableDirectives } from './directives.js';
import type { FileRole, Finding } from './findings.js';
import type { CommentRulesByFile, FileConfig } from './eslint-config.js';
import { messageOf, parseDiagnosticsOf } from './parse-diagnostics.js';
import { esmImportsForbidden, FilePrograms } from './programs.js';
import { LineIndex } from '../write/source-text.js';

export interface AnalysisOptions {
  /** ESLint's base path (`cwd`, and typescript-eslint's `tsconfigRootDir`): every file must lie below it. */
  readonly root: string;
  readonly typeCheck: boolean;
  /** `--project` tsconfigs (references expanded); empty: the project service finds each file's tsconfig. */
  readonly tsconfigs: readonly string[];
  /** Entry files for `quiesce/require-shutdown-handler` (absolute). */
  readonly entries: readonly string[];
  /** `settings.quiesce` (trackers, timers), passed to the plugin unchanged. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /**
   * The project's own ESLint config (find/eslint-config.ts), when it uses the plugin: each file's rules, settings and
   * entries as that config gives them (plain data, copied to analysis threads).
   */
  readonly projectConfig?: {
    readonly cwd: string;
    readonly configs: readonly FileConfig[];
    readonly configOf: Readonly<Record<string, number>>;
  };
  /** What the project's ESLint config asks of comments per file (`max-len`, `capitalized-comments`), for markers. */
  readonly commentRules?: CommentRulesByFile;
}

/** What the plugin says about one file. */
export type FileFindings =
  | {
      /** A parse error, as ESLint reports it (`line:column Parsing error: …`): the file is skipped, never edited. */
      readonly syntaxError: string;
    }
  | {
      readonly syntaxError?: undefined;
      /** Every rule's reports, in source order, less those ESLint's disable directives suppress. */
      readonly findings: readonly Finding[];
      /**
       * The file as the analysis parsed it (with types, its program holds it), for the rewrite to use instead of
       * parsing the file again.
       */
      readonly compilerFile: typescript.SourceFile;
      /** Whether the findings used type information (a program included the file). */
      readonly typed: boolean;
      /** The file's role as the plugin decides it (the rules that applied, and whether the shim may be added). */
      readonly role: FileRole;
      /** `verbatimModuleSyntax` with CommonJS output for this file: TypeScript rejects ES imports in it (TS1295). */
      readonly esmImportsForbidden: boolean;
      /** Whether the file is a service entry as the plugin decides it (the rule's entries: bin, start script, …). */
      readonly entry: boolean;
    };

/**
 * The plugin's findings without ESLint: the plugin's detection library over each file's TypeScript program (the one
 * typescript-eslint would build under `recommended-type-checked`), or over the file alone, as under `recommended`,
 * for `--no-type-check` and for files no tsconfig includes. The codemod rewrites exactly what this reports, which is
 * what ESLint with the plugin reports for the same settings (test/one-truth.test.ts).
 */
export class PluginDetector {
  readonly #programs: FilePrograms;
  readonly #detectOptions: DetectOptions;
  readonly #settings: Readonly<Record<string, unknown>> | undefined;
  readonly #projectConfig: AnalysisOptions['projectConfig'];
  readonly #byConfig = new Map<number, { readonly detect: DetectOptions; readonly rules: ReadonlySet<string> }>();
  readonly #entries: readonly string[];

  constructor(options: AnalysisOptions) {
    this.#programs = new FilePrograms(options);
    this.#settings = options.settings;
    this.#projectConfig = options.projectConfig;
    this.#entries = options.entries;
    // As an ESLint config would give them: entries relative to ESLint's cwd, settings under `settings.quiesce`.
    const entries = options.entries.map((entry) => path.relative(options.root, entry).split(path.sep).join('/'));
    this.#detectOptions = {
      cwd: options.root,
      ...(options.settings ? { settings: options.settings } : {}),
      ...(entries.length > 0 ? { entries } : {}),
    };
  }

  /** The plugin's role of a file, with the same cwd and settings as its detection. */
  roleOf(file: string): FileRole {
    const { detect: options } = this.#optionsOf(file);
    const { role, reason, packageDir } = roleOf(file, { cwd: options.cwd, ...(options.settings ? { settings: options.settings } : {}) });
    return { role, reason, ...(packageDir !== undefined ? { packageDir } : {}) };
  }

  /** Whether the file is an entry, as `quiesce/require-shutdown-handler` decides it with the same options. */
  isEntry(file: string): boolean {
    const { detect: options } = this.#optionsOf(file);
    return isEntryFile(file, { cwd: options.cwd, ...(options.settings ? { settings: options.settings } : {}), ...(options.entries ? { entries: options.entries } : {}) });
  }

  /** The detection options of a file (the project's ESLint config's for it, when there is one), and its rules. */
  #optionsOf(file: string): { readonly detect: DetectOptions; readonly rules?: ReadonlySet<string> } {
    const project = this.#projectConfig;
    const index = project?.configOf[file];
    if (!project || index === undefined) return { detect: this.#detectOptions };
    let options = this.#byConfig.get(index);
    if (!options) {
      const config = project.configs[index]!;
      const given = this.#entries.map((entry) => path.relative(project.cwd, entry).split(path.sep).join('/'));
      const entries = [...(config.entries ?? []), ...given];
      const settings = config.settings ?? this.#settings;
      options = {
        detect: { cwd: project.cwd, ...(settings ? { settings } : {}), ...(entries.length > 0 ? { entries } : {}) },
        rules: new Set(config.rules),
      };
      this.#byConfig.set(index, options);
    }
    return options;
  }

  /** `text`: the file's content without a BOM (ESLint's text, and the codemod's). */
  findingsOf(file: string, text: string): FileFindings {
    const { sourceFile, program } = this.#programs.parse(file, text);
    // A program built from disk (`--project`) holds the file as it was then; positions must refer to `text`.
    if (sourceFile.text !== text) throw new Error('the file changed on disk during the run; run again');
    // ESLint parses JavaScript that it lints without types with its own parser, espree, which rejects more than
    // TypeScript's parser does (a name declared twice, `with` in a module, JSX), and words its errors its own way.
    const syntaxError = (program || !isJavaScript(file) ? undefined : espreeParsingError(file, text)) ?? typeScriptParsingError(sourceFile);
    if (syntaxError) return { syntaxError };
    const lines = new LineIndex(text);
    const directives = DisableDirectives.of(sourceFile, lines);
    const findings: Finding[] = [];
    const { detect: detectOptions, rules } = this.#optionsOf(file);
    // In ESLint's order already (detect() sorts them as ESLint does).
    for (const detection of detect(sourceFile, detectOptions, program)) {
      // A rule the project's config turns off for this file reports nothing there.
      if (rules && !rules.has(detection.ruleId)) continue;
      const finding: Finding = { ...detection, ...lines.positionOf(detection.start) };
      if (!directives.suppresses(finding)) findings.push(finding);
    }
    return {
      findings,
      compilerFile: sourceFile,
      typed: program !== undefined,
      role: this.roleOf(file),
      esmImportsForbidden: program ? esmImportsForbidden(program, sourceFile) : false,
      entry: this.isEntry(file),
    };
  }
}

/**
 * The first parse error as ESLint reports what typescript-estree throws for it: 1-based line, 0-based column (the
 * TypeScript character), and the message after `Parsing error: `.
 */
function typeScriptParsingError(sourceFile: typescript.SourceFile): string | undefined {
  const [first] = parseDiagnosticsOf(sourceFile, typescript);
  if (!first) return undefined;
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(first.start ?? 0);
  return eslintParsingError(line + 1, character, messageOf(first, typescript));
}

const isJavaScript = (file: string): boolean => /\.[cm]?jsx?$/i.test(file);

/** ESLint's own text before parsing: a shebang becomes a line comment (languages/js/index.js). */
const shebang = /^#!([^\r\n\u2028\u2029]*)/u;

/**
 * The parse error espree throws with ESLint's default language options (the latest ECMAScript, `sourceType`
 * `commonjs` for .cjs files and `module` for the others, no JSX), as ESLint reports it.
 */
function espreeParsingError(file: string, text: string): string | undefined {
  try {
    parseWithEspree(text.replace(shebang, '//$1'), { ecmaVersion: 'latest', sourceType: /\.cjs$/i.test(file) ? 'commonjs' : 'module' });
    return undefined;
  } catch (error) {
    const { lineNumber, column, message } = error as { lineNumber?: number; column?: number; message: string };
    if (lineNumber === undefined || column === undefined) throw error;
    return eslintParsingError(lineNumber, column, message);
  }
}

/** A parser's error as ESLint words it, after a leading `line N:` is stripped from the parser's message. */
function eslintParsingError(line: number, column: number, message: string): string {
  return `${line}:${column} Parsing error: ${message.replace(/^line \d+:/iu, '').trim()}`;
}
