// The one-truth property: the codemod rewrites exactly what ESLint with the plugin reports. Its findings (from the
// plugin's detection library, without ESLint) are compared, file by file, with what ESLint's Node API reports with
// the plugin's `recommended-type-checked` / `recommended` configs for the same file, settings and entries
// (test/eslint-reference.ts): every fixture input, the typed service project (also with `--project` naming a
// tsconfig of another name), files with disable directives, files that do not parse, and a sample of the benchmark
// corpus; with types and without (`--no-type-check`).
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAnalyser } from '../src/find/analyse.js';
import { runCodemod } from '../src/index.js';
import type { AnalysisOptions, FileFindings } from '../src/find/detection.js';
import { LineIndex, readSourceText } from '../src/write/source-text.js';
import { EslintReference, type ReferenceLint } from './eslint-reference.js';
import { defaultTsconfig, packageDirectory, repositoryRoot, scratchDirectory, writeJson } from './helpers.js';

// `--project` with a tsconfig of another name is typescript-eslint's `parserOptions.project`, whose programs depend
// on how it guesses it is run: once from the ESLint CLI (one program per tsconfig, as the codemod builds them), or
// in an editor (watch programs that also read JavaScript). The reference is the CLI.
process.env['TSESTREE_SINGLE_RUN'] = 'true';

const fixturesDirectory = path.join(packageDirectory, 'test/fixtures');
const fixtureNames = readdirSync(fixturesDirectory).filter((name) => statSync(path.join(fixturesDirectory, name)).isDirectory());
const corpusGenerator = path.join(repositoryRoot, 'packages/eslint-plugin/bench/generate-corpus.mjs');

/** A comparable summary of one file: its parse error, or its reports (all of the plugin's rules), and its program. */
type Summary =
  | { readonly syntaxError: string }
  | {
      readonly reports: readonly string[];
      readonly typed: boolean;
      readonly esmImportsForbidden: boolean;
    };

function codemodSummary(found: FileFindings, text: string): Summary {
  if (found.syntaxError !== undefined) return { syntaxError: found.syntaxError };
  const lines = new LineIndex(text);
  return {
    reports: found.findings.map((finding) => {
      const end = lines.positionOf(finding.end);
      return describeReport({ ...finding, endLine: end.line, endColumn: end.column });
    }),
    typed: found.typed,
    esmImportsForbidden: found.esmImportsForbidden,
  };
}

function eslintSummary(lint: ReferenceLint): Summary {
  if (lint.fatal !== undefined) return { syntaxError: lint.fatal };
  return { reports: lint.messages.map(describeReport), typed: lint.typed, esmImportsForbidden: lint.esmImportsForbidden };
}

/** One line per report, so that a difference reads as one. */
function describeReport(report: {
  ruleId: string;
  messageId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  data: Readonly<Record<string, string>>;
  message: string;
}): string {
  const data = Object.entries(report.data)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  return `${report.line}:${report.column}-${report.endLine}:${report.endColumn} ${report.ruleId} ${report.messageId} {${data}} ${report.message}`;
}

/** Files whose directives must be honoured as ESLint honours them (the same text as TypeScript and as JavaScript). */
const directiveFiles: Record<string, string> = {
  'timers-and-promises.ts': `async function refresh(): Promise<void> {}

// eslint-disable-next-line quiesce/no-untracked-timer
setInterval(() => {
  refresh();
}, 1000);

setInterval(() => refresh(), 2000); // eslint-disable-line quiesce/no-untracked-timer -- the supervisor restarts us

/* eslint-disable quiesce/no-untracked-promise */
refresh();
/* eslint-enable quiesce/no-untracked-promise */
refresh();

/* eslint-disable */
setInterval(() => {
  refresh();
}, 10);
/* eslint-enable */

// eslint-disable-next-line no-console
refresh();

// eslint-disable-next-line quiesce/no-untracked-promise, quiesce/no-untracked-timer -- a one-off warm-up
setInterval(() => { refresh(); }, 5);

/* eslint-disable-next-line
   quiesce/no-untracked-timer */
setInterval(() => refresh(), 6);

setInterval(() => refresh(), 7); /* eslint-disable-line
   quiesce/no-untracked-timer */

setTimeout(async () => {
  await refresh();
}, 8); // eslint-disable-line quiesce/no-untracked-async-callback
`,
  'server-and-exit.ts': `/* eslint-disable quiesce/require-shutdown-handler -- the supervisor owns shutdown */
import http from 'node:http';

const server = http.createServer((request, response) => response.end('ok'));
server.listen(8080); // eslint-disable-line quiesce/no-untracked-server

process.on('SIGTERM', () => {
  server.close();
  // eslint-disable-next-line quiesce/no-abrupt-exit
  process.exit(0);
});

process.on('SIGINT', () => {
  process.exit(0); // eslint-disable-line no-process-exit
});
`,
};

interface Case {
  readonly name: string;
  readonly files: readonly string[];
  readonly options: AnalysisOptions;
}

describe('one truth: the codemod finds exactly what ESLint with the plugin reports', () => {
  let scratch: ReturnType<typeof scratchDirectory>;
  let root: string;
  const cases: Case[] = [];
  const analysers = new Map<string, FileAnalyser>();
  const references = new Map<string, EslintReference>();

  beforeAll(async () => {
    scratch = scratchDirectory('one-truth');
    root = scratch.directory;
    const options = (typeCheck: boolean, extra: Partial<AnalysisOptions> = {}): AnalysisOptions => ({ root, typeCheck, tsconfigs: [], entries: [], ...extra });
    const both = (name: string, files: readonly string[], extra: Partial<AnalysisOptions> = {}): void => {
      cases.push({ name: `${name}, typed`, files, options: options(true, extra) }, { name: `${name}, --no-type-check`, files, options: options(false, extra) });
    };

    for (const name of fixtureNames) {
      const source = path.join(fixturesDirectory, name);
      const directory = path.join(root, 'fixtures', name);
      mkdirSync(directory, { recursive: true });
      const entries = readdirSync(source);
      const inputName = entries.find((entry) => entry.startsWith('input.'));
      if (!inputName) throw new Error(`fixture ${name} has no input.* file`);
      for (const copied of [inputName, 'package.json', 'tsconfig.json']) {
        if (entries.includes(copied)) copyFileSync(path.join(source, copied), path.join(directory, copied));
      }
      if (!entries.includes('tsconfig.json')) writeJson(path.join(directory, 'tsconfig.json'), defaultTsconfig);
      const caseOptions = existsSync(path.join(source, 'options.json'))
        ? (JSON.parse(readFileSync(path.join(source, 'options.json'), 'utf8')) as { entries?: string[]; settings?: Record<string, unknown> })
        : {};
      both(`fixture ${name}`, [path.join(directory, inputName)], {
        entries: (caseOptions.entries ?? []).map((entry) => path.join(directory, entry)),
        ...(caseOptions.settings ? { settings: caseOptions.settings } : {}),
      });
    }

    const service = path.join(root, 'projects/typed-service');
    cpSync(path.join(packageDirectory, 'test/projects/typed-service'), service, { recursive: true });
    const serviceFiles = readdirSync(path.join(service, 'src')).map((name) => path.join(service, 'src', name));
    // Its package.json names src/main.ts as `main`: the codemod makes it an entry.
    both('project typed-service', serviceFiles, { entries: [path.join(service, 'src/main.ts')] });
    // A copy of its own: typescript-estree takes a file linted twice in one process, with `parserOptions.project`, for
    // a --fix pass, and gives it a program of that file alone.
    const built = path.join(root, 'projects/typed-service-build');
    cpSync(service, built, { recursive: true });
    renameSync(path.join(built, 'tsconfig.json'), path.join(built, 'tsconfig.build.json'));
    cases.push({
      name: 'project typed-service, --project tsconfig.build.json',
      files: readdirSync(path.join(built, 'src')).map((name) => path.join(built, 'src', name)),
      options: options(true, { tsconfigs: [path.join(built, 'tsconfig.build.json')], entries: [path.join(built, 'src/main.ts')] }),
    });

    const directives = path.join(root, 'directives');
    mkdirSync(directives);
    writeJson(path.join(directives, 'tsconfig.json'), defaultTsconfig);
    writeJson(path.join(directives, 'package.json'), { type: 'module' });
    const directiveTexts = Object.entries(directiveFiles).flatMap(([name, text]) => [
      [name, text],
      [name.replace(/\.ts$/, '.js'), text.replace(': Promise<void>', '')],
    ]);
    // The same text with every directive blanked out (lines and columns kept): what the directives suppress.
    const withoutDirectives = (directiveFiles['timers-and-promises.ts'] ?? '').replace(/\/\/ eslint-.*|\/\*\s*eslint-[^]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
    directiveTexts.push(['timers-and-promises.without-directives.ts', withoutDirectives]);
    for (const [name, text] of directiveTexts) writeFileSync(path.join(directives, name as string), text as string);
    both('disable directives', directiveTexts.map(([name]) => path.join(directives, name as string)));

    // ESLint hands its parser a shebang as `//`: the program's text is then not ESLint's, but its offsets are.
    const shebang = path.join(root, 'shebang');
    mkdirSync(shebang);
    writeJson(path.join(shebang, 'tsconfig.json'), defaultTsconfig);
    writeJson(path.join(shebang, 'package.json'), { type: 'module' });
    writeFileSync(path.join(shebang, 'helper.ts'), 'export function refresh(): Promise<void> {\n  return Promise.resolve();\n}\n');
    writeFileSync(path.join(shebang, 'bin.ts'), "#!/usr/bin/env node\nimport { refresh } from './helper.js';\nrefresh();\n");
    both('shebang', [path.join(shebang, 'bin.ts')]);

    // ESLint parses JavaScript without types with espree, which rejects more than TypeScript's parser does.
    const parseErrors = path.join(root, 'parse-errors');
    mkdirSync(parseErrors);
    writeJson(path.join(parseErrors, 'tsconfig.json'), defaultTsconfig);
    const parseErrorTexts: Record<string, string> = {
      'unclosed.js': 'async function work() {}\nsetInterval(() => {\n  work();\n}, 1000;\n',
      'unclosed.ts': 'async function work(): Promise<void> {}\nsetInterval(() => {\n  work();\n',
      'declared-twice.js': 'let a = 1;\nlet a = 2;\nasync function work() {}\nwork();\n',
      'with.mjs': 'async function work() {}\nwith (Math) {\n  work();\n}\n',
      'view.jsx': 'async function work() {}\nwork();\nexport const view = <div />;\n',
      'returns.cjs': '#!/usr/bin/env node\nasync function work() {}\nif (process.argv.length > 9) return;\nwork();\n',
    };
    for (const [name, text] of Object.entries(parseErrorTexts)) writeFileSync(path.join(parseErrors, name), text);
    both('parse errors', Object.keys(parseErrorTexts).map((name) => path.join(parseErrors, name)));

    const corpus = path.join(root, 'corpus');
    const { generateCorpus } = (await import(pathToFileURL(corpusGenerator).href)) as {
      generateCorpus: (dir: string, options: { files: number }) => unknown;
    };
    generateCorpus(corpus, { files: 30 });
    const corpusFiles = [
      ...readdirSync(path.join(corpus, 'src')).filter((name) => name.endsWith('.ts')).map((name) => path.join(corpus, 'src', name)),
      ...readdirSync(path.join(corpus, 'src/shared')).map((name) => path.join(corpus, 'src/shared', name)),
    ];
    both('benchmark corpus sample', corpusFiles);
  });
  afterAll(() => scratch.remove());

  const forOptions = <T>(cache: Map<string, T>, options: AnalysisOptions, make: () => T): T => {
    const key = JSON.stringify(options);
    let value = cache.get(key);
    if (!value) {
      value = make();
      cache.set(key, value);
    }
    return value;
  };

  it('covers every fixture, the project, the directives, parse errors and the corpus, with and without types', () => {
    expect(cases.filter((entry) => entry.name.startsWith('fixture '))).toHaveLength(fixtureNames.length * 2);
    expect(cases).toHaveLength(fixtureNames.length * 2 + 11);
  });

  // The cases are only known once beforeAll has run; one test goes through them, naming each difference.
  it('finds, for every file, the same reports (rule, message, position, data) and the same program as ESLint', async () => {
    const differences: string[] = [];
    let reports = 0;
    let typedFiles = 0;
    for (const entry of cases) {
      const analyser = forOptions(analysers, entry.options, () => new FileAnalyser(entry.options));
      const reference = forOptions(references, entry.options, () => new EslintReference(entry.options));
      for (const file of entry.files) {
        const text = readSourceText(readFileSync(file, 'utf8')).text;
        const ours = codemodSummary(analyser.findingsOf(file), text);
        const theirs = eslintSummary(await reference.lint(file, text));
        const label = `${entry.name}: ${path.relative(root, file)}`;
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
          differences.push(`${label}\n  codemod: ${JSON.stringify(ours, null, 2)}\n  ESLint:  ${JSON.stringify(theirs, null, 2)}`);
        }
        if ('reports' in theirs) {
          reports += theirs.reports.length;
          if (theirs.typed) typedFiles += 1;
        }
      }
    }
    expect(differences).toEqual([]);
    // Not vacuous: the cases have reports, and the typed cases had programs.
    expect(reports).toBeGreaterThan(200);
    expect(typedFiles).toBeGreaterThan(50);
  }, 300_000);

  it('drops exactly the reports the disable directives suppress', () => {
    const entry = cases.find((candidate) => candidate.name === 'disable directives, typed');
    if (!entry) throw new Error('no directives case');
    const analyser = forOptions(analysers, entry.options, () => new FileAnalyser(entry.options));
    const reportsIn = (name: string): Set<string> => {
      const found = analyser.findingsOf(path.join(root, 'directives', name));
      if (found.syntaxError !== undefined) throw new Error(found.syntaxError);
      return new Set(found.findings.map((finding) => `${finding.line} ${finding.ruleId}`));
    };
    const withDirectives = reportsIn('timers-and-promises.ts');
    const withoutDirectives = reportsIn('timers-and-promises.without-directives.ts');
    const timer = 'quiesce/no-untracked-timer';
    const promise = 'quiesce/no-untracked-promise';
    // Suppressed: a timer on the next line, on the same line, a block of one rule, a block of every rule, two rules on
    // the next line, and a next-line block comment over two lines (counted from its last line).
    const suppressed = [`4 ${timer}`, `8 ${timer}`, `11 ${promise}`, `16 ${timer}`, `17 ${promise}`, `25 ${timer}`, `25 ${promise}`, `29 ${timer}`];
    // Kept: the promise on the line after the one a next-line directive names, a promise after the enable, one under a
    // directive for another rule, and a timer whose eslint-disable-line spans two lines (which ESLint does not apply).
    const kept = [`5 ${promise}`, `13 ${promise}`, `22 ${promise}`, `31 ${timer}`];
    for (const report of [...suppressed, ...kept]) expect(withoutDirectives, report).toContain(report);
    for (const report of suppressed) expect(withDirectives, report).not.toContain(report);
    for (const report of kept) expect(withDirectives, report).toContain(report);
  }, 60_000);
});

// The project's own ESLint config, and roles: the codemod run (its whole pipeline: scope, per-file rules, settings,
// entries, roles) reports for each file exactly what the project's own `npx eslint` reports with that config.
describe("one truth with the project's ESLint config and the plugin's roles", () => {
  const work = `async function refresh() {}\n\nsetInterval(() => {\n  refresh();\n}, 1000);\n`;
  const config = `import quiesce from '@quiesce/eslint-plugin';

export default [
  { ignores: ['src/generated/**'] },
  {
    files: ['src/**/*.js', 'lib/**/*.js', 'examples/**/*.js'],
    plugins: { quiesce },
    rules: {
      'quiesce/no-untracked-timer': 'error',
      'quiesce/no-untracked-promise': 'warn',
      'quiesce/require-shutdown-handler': ['error', { entries: ['examples/demo.js'] }],
    },
    settings: { quiesce: { trackers: ['@acme/lifecycle'] } },
  },
  { files: ['src/quiet.js'], rules: { 'quiesce/no-untracked-promise': 'off' } },
];
`;

  it('analyses the files the config lints (examples too, not ignored or unlisted ones), with its rules, entries and the roles', async () => {
    const scratch = scratchDirectory('one-truth-config');
    try {
      const cwd = scratch.directory;
      writeJson(path.join(cwd, 'package.json'), { name: 'svc', type: 'module', private: true });
      writeFileSync(path.join(cwd, 'eslint.config.js'), config);
      for (const folder of ['src/generated', 'lib', 'examples', 'scripts']) mkdirSync(path.join(cwd, folder), { recursive: true });
      writeFileSync(path.join(cwd, 'src/main.js'), work);
      writeFileSync(path.join(cwd, 'src/quiet.js'), work);
      writeFileSync(path.join(cwd, 'src/generated/out.js'), work);
      writeFileSync(path.join(cwd, 'scripts/tool.js'), work);
      writeFileSync(path.join(cwd, 'examples/demo.js'), work);
      // A published package inside the project: library code, which never gets require-shutdown-handler.
      writeJson(path.join(cwd, 'lib/package.json'), { name: '@acme/lib', type: 'module', main: 'index.js' });
      writeFileSync(path.join(cwd, 'lib/index.js'), work);

      const { ESLint } = await import('eslint');
      const eslint = new ESLint({ cwd });
      const expected: string[] = [];
      for (const result of await eslint.lintFiles(['.'])) {
        for (const message of result.messages) {
          if (message.ruleId?.startsWith('quiesce/')) expected.push(`${path.relative(cwd, result.filePath)}:${message.line}:${message.column} ${message.ruleId}`);
        }
      }
      const { report } = await runCodemod({ cwd, mode: 'check', typeCheck: false });
      const found = report.files.flatMap((file) => file.findings.map((finding) => `${file.file}:${finding.line}:${finding.column} ${finding.ruleId}`));
      expect(found.sort()).toEqual(expected.sort());
      expect(report.scope).toMatchObject({ from: 'eslint-config', config: 'eslint.config.js' });
      expect(report.files.map((file) => file.file)).toEqual(['examples/demo.js', 'lib/index.js', 'src/main.js', 'src/quiet.js']);
      expect(report.files.find((file) => file.file === 'lib/index.js')?.role).toBe('library');
      // The rule the config turns off for one file reports nothing there, and still reports elsewhere.
      expect(found).toContain('src/main.js:4:3 quiesce/no-untracked-promise');
      expect(found.filter((line) => line.startsWith('src/quiet.js') && line.endsWith('quiesce/no-untracked-promise'))).toEqual([]);
      expect(found).toContain('src/quiet.js:3:1 quiesce/no-untracked-timer');
    } finally {
      scratch.remove();
    }
  }, 60_000);

  it('without a config, skips tests, examples, fixtures, benchmarks and docs, and says how to include them', async () => {
    const scratch = scratchDirectory('one-truth-defaults');
    try {
      const cwd = scratch.directory;
      writeJson(path.join(cwd, 'package.json'), { name: 'svc', type: 'module', private: true });
      for (const folder of ['src', 'examples', 'test', 'docs']) mkdirSync(path.join(cwd, folder));
      for (const file of ['src/main.js', 'examples/demo.js', 'test/main.test.js', 'docs/snippet.js', 'src/main.spec.js']) writeFileSync(path.join(cwd, file), work);
      const { report } = await runCodemod({ cwd, mode: 'check', typeCheck: false });
      expect(report.files.map((file) => file.file)).toEqual(['src/main.js']);
      expect(report.scope).toEqual({ from: 'defaults', skipped: 4, skippedFolders: { 'docs/': 1, 'examples/': 1, 'src/main.spec.js': 1, 'test/': 1 } });
      expect(report.notes.join('\n')).toContain('name one as a path to include it');
      const named = await runCodemod({ cwd, mode: 'check', typeCheck: false, paths: ['examples'] });
      expect(named.report.files.map((file) => file.file)).toEqual(['examples/demo.js']);
    } finally {
      scratch.remove();
    }
  }, 60_000);

  it("without a config, skips what the plugin's roles make tools or one-shot scripts, and says so", async () => {
    const scratch = scratchDirectory('one-truth-roles');
    try {
      const cwd = scratch.directory;
      // A service whose package runs a migration and a seed script besides its start: the plugin gives them no
      // shutdown rule (a developer script's whole run is the work), so the codemod leaves them out and says why.
      writeJson(path.join(cwd, 'package.json'), {
        name: 'svc',
        type: 'module',
        private: true,
        scripts: { start: 'node src/main.js', migrate: 'node database/migrate.js', seed: 'node database/seed.js' },
      });
      for (const folder of ['src', 'database']) mkdirSync(path.join(cwd, folder));
      for (const file of ['src/main.js', 'src/jobs.js', 'database/migrate.js', 'database/seed.js']) writeFileSync(path.join(cwd, file), work);
      // The lint agrees: nothing in the scripts, the timer in the service's own files.
      const reference = new EslintReference({ root: cwd, typeCheck: false, tsconfigs: [], entries: [] });
      for (const file of ['database/migrate.js', 'database/seed.js', 'src/jobs.js']) {
        const lint = await reference.lint(path.join(cwd, file), work);
        expect(lint.messages.length > 0, file).toBe(file.startsWith('src/'));
      }
      const { report } = await runCodemod({ cwd, mode: 'check', typeCheck: false });
      expect(report.files.map((file) => file.file)).toEqual(['src/jobs.js', 'src/main.js']);
      expect(report.scope).toEqual({
        from: 'defaults',
        skipped: 2,
        skippedFolders: {},
        skippedByRole: { 'a developer script (package.json "migrate")': 1, 'a developer script (package.json "seed")': 1 },
      });
      expect(report.notes.join('\n')).toContain('database/migrate.js: a developer script (package.json "migrate")');
      expect(report.notes.join('\n')).toContain('settings.quiesce.entries');
    } finally {
      scratch.remove();
    }
  }, 60_000);
});
