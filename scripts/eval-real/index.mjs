// @ts-check
// `npm run eval:real -- <folder> [--plugin <dir>] [--repo <owner/name>]... [--unlabelled] [--misses] [--json] [--codemod]`
// Lints every public repository of eval/real/repos/*.json that is checked out at <folder>/<owner>__<name> at its
// recorded commit, as a new user of the plugin would, matches the findings to eval/real/labels/*.csv and prints
// precision and recall per repository. Not part of CI: the checkouts live outside the project (eval/real/README.md).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { matchFindings, ratio, readLabels, readRepoRecords, slug } from './labels.mjs';
import { pluginEntry } from './plugin.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const usage = 'usage: npm run eval:real -- <folder> [--plugin <dir of a built @quiesce/eslint-plugin>] [--repo <owner/name>]... [--unlabelled] [--misses] [--json] [--codemod]';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    plugin: { type: 'string', default: join(root, 'packages/eslint-plugin') },
    repo: { type: 'string', multiple: true, default: [] },
    unlabelled: { type: 'boolean', default: false },
    misses: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    codemod: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (options.help || positionals.length !== 1) {
  console.log(usage);
  process.exit(options.help ? 0 : 2);
}
const folder = resolve(/** @type {string} */ (positionals[0]));
/** Progress and skips go to stderr so that --json's stdout stays one JSON document. */
const note = (/** @type {string} */ text) => process.stderr.write(`${text}\n`);

const records = await readRepoRecords(join(root, 'eval/real/repos'));
const { labels, errors: labelErrors } = await readLabels(join(root, 'eval/real/labels'));
for (const wanted of options.repo) {
  if (!records.some((r) => r.repository === wanted)) {
    note(`--repo ${wanted}: no eval/real/repos/${slug(wanted)}.json (give owner/name as a record names it)`);
    process.exit(2);
  }
}
if (!existsSync(folder)) {
  note(`${folder}: no such folder; give the folder that holds the checkouts as <owner>__<name>`);
  process.exit(2);
}
const selected = records.filter((r) => options.repo.length === 0 || options.repo.includes(r.repository));

/** The checkouts that are there at the recorded commit; the others get one line saying how to get them. */
const present = selected.filter((record) => {
  const dir = join(folder, slug(record.repository));
  const fetchHint = `git clone https://github.com/${record.repository} ${dir} && git -C ${dir} checkout ${record.commit}, then install its dependencies with: ${commandOf(record, 'install')}`;
  if (!existsSync(join(dir, '.git'))) return note(`skipped ${record.repository}: no checkout at ${dir} (${fetchHint})`), false;
  let head = '';
  try {
    head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {}
  if (head !== record.commit) return note(`skipped ${record.repository}: ${dir} is at ${head || 'no commit'}, not ${record.commit} (git -C ${dir} checkout ${record.commit})`), false;
  return true;
});

if (options.codemod) {
  const codemodFile = join(here, 'codemod.mjs');
  if (!existsSync(codemodFile)) {
    note('--codemod: scripts/eval-real/codemod.mjs is not in this checkout (the codemod evaluation is written on the codemod branch)');
    process.exit(2);
  }
  const codemod = await import(pathToFileURL(codemodFile).href);
  // codemod.mjs's contract: run(folder, { repos: ['owner/name', …] }) → { results, table }.
  const outcome = await codemod.run(folder, { repos: present.map((r) => r.repository), json: options.json });
  if (outcome) console.log(options.json ? JSON.stringify(outcome.results, null, 2) : outcome.table);
  process.exit(process.exitCode ?? 0);
}

const plugin = pluginEntry(options.plugin);
note(`@quiesce/eslint-plugin ${plugin.version} from ${plugin.dir} (${plugin.revision})`);

/** @typedef {{ repository: string, kind: string, language: string } & Awaited<ReturnType<typeof lintInChild>> & ReturnType<typeof matchFindings>} Row */
/** @type {Row[]} */
const rows = [];
for (const record of present) {
  const repoDir = join(folder, slug(record.repository));
  if (labelErrors.has(slug(record.repository))) {
    note(`not counted ${record.repository}: its labels file is invalid: ${labelErrors.get(slug(record.repository))}`);
    process.exitCode = 1;
    continue;
  }
  note(`linting ${record.repository} ...`);
  const lint = await lintInChild(repoDir, plugin.dir);
  const repoLabels = labels.get(slug(record.repository)) ?? [];
  const staleLabels = repoLabels.filter((l) => l.commit !== record.commit).length;
  if (staleLabels > 0) note(`warning: ${staleLabels} labels of ${record.repository} name another commit than ${record.commit}`);
  const match = matchFindings(record.repository, lint.findings, repoLabels);
  rows.push({ repository: record.repository, kind: record.kind, language: String(record.language), ...lint, ...match });
}

const totals = [
  total('services', rows.filter((r) => r.kind === 'service')),
  total('libraries', rows.filter((r) => r.kind === 'library')),
  total('all', rows),
];

if (options.json) {
  console.log(JSON.stringify({ plugin, folder, rows, totals }, null, 2));
} else {
  printTable(rows, totals);
  for (const row of rows) {
    for (const crash of row.crashes) console.log(`crash ${row.repository} ${crash.path}${crash.rule ? ` ${crash.rule}` : ''}: ${crash.message}`);
    if (options.unlabelled) for (const f of row.unlabelled) console.log(`unlabelled ${row.repository} ${f.path}:${f.line} ${f.rule} ${f.message}`);
    if (options.misses) for (const m of row.misses) console.log(`miss ${row.repository} ${m.path}:${m.line} ${m.rule} ${m.reason}`);
  }
}

/**
 * @param {string} repoDir
 * @param {string} pluginDir
 * @returns {Promise<{ files: number, linted: number, ignored: number, seconds: number, eslintVersion?: string,
 *   findings: import('./labels.mjs').Finding[], crashes: { path: string, rule: string | null, message: string }[] }>}
 */
async function lintInChild(repoDir, pluginDir) {
  const work = await mkdtemp(join(tmpdir(), 'quiesce-eval-'));
  const requestFile = join(work, 'request.json');
  const resultFile = join(work, 'result.json');
  await writeFile(requestFile, JSON.stringify({ repoDir, pluginDir }));
  const started = Date.now();
  try {
    const outcome = await new Promise((done) => {
      execFile(process.execPath, ['--max-old-space-size=8192', join(here, 'lint-repo.mjs'), requestFile, resultFile], { timeout: 30 * 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => done({ error, stderr }));
    });
    if (outcome.error) {
      const last = String(outcome.stderr).trim().split('\n').slice(-3).join(' | ');
      return { files: 0, linted: 0, ignored: 0, seconds: (Date.now() - started) / 1000, findings: [], crashes: [{ path: '(lint process)', rule: null, message: `${outcome.error.message.split('\n')[0]} ${last}` }] };
    }
    return JSON.parse(await readFile(resultFile, 'utf8'));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** @param {string} name @param {typeof rows} group */
function total(name, group) {
  const sum = (/** @type {(r: (typeof rows)[number]) => number} */ f) => group.reduce((n, r) => n + f(r), 0);
  return {
    repository: name,
    repositories: group.length,
    files: sum((r) => r.linted),
    findings: sum((r) => r.findings.length),
    hazards: sum((r) => r.hazards),
    notHazards: sum((r) => r.notHazards),
    borderline: sum((r) => r.borderline),
    unlabelled: sum((r) => r.unlabelled.length),
    misses: sum((r) => r.misses.length),
    labelledHazards: sum((r) => r.labelledHazards),
    reportedHazards: sum((r) => r.reportedHazards),
    seconds: sum((r) => r.seconds),
    crashes: sum((r) => r.crashes.length),
  };
}

/** @param {typeof rows} rows @param {ReturnType<typeof total>[]} totals */
function printTable(rows, totals) {
  const percent = (/** @type {number | null} */ value) => (value === null ? '—' : `${Math.round(value * 100)} %`);
  const header = ['repository', 'kind', 'files', 'findings', 'hazards', 'not hazards', 'borderline', 'unlabelled', 'misses', 'precision', 'recall', 'seconds', 'crashes'];
  const line = (/** @type {ReturnType<typeof total> & { kind?: string }} */ r) => [
    r.repository,
    r.kind ?? `${r.repositories} repos`,
    r.files,
    r.findings,
    r.hazards,
    r.notHazards,
    r.borderline,
    r.unlabelled,
    r.misses,
    percent(ratio(r.hazards, r.hazards + r.notHazards)),
    percent(ratio(r.reportedHazards, r.labelledHazards)),
    r.seconds.toFixed(1),
    r.crashes,
  ];
  const body = [
    ...rows.map((r) => line({ ...total(r.repository, [r]), kind: r.kind })),
    ...totals.map((t) => line(t)),
  ].map((cells) => cells.map(String));
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`);
  for (const cells of body) console.log(`| ${cells.join(' | ')} |`);
  console.log('precision = hazards / (hazards + not hazards), borderline and unlabelled left out; recall = labelled hazards reported / labelled hazards.');
}

/** @param {import('./labels.mjs').RepoRecord} record @param {string} name */
function commandOf(record, name) {
  const commands = /** @type {Record<string, string | null> | undefined} */ (record['commands']);
  return commands?.[name] ?? 'their own package manager (see eval/real/repos)';
}
