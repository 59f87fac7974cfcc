// @ts-check
// The evaluation's data: repository records (eval/real/repos/*.json), labels (eval/real/labels/*.csv), and how
// findings are matched to labels and counted.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCsv } from './csv.mjs';

export const labelHeader = ['repository', 'commit', 'path', 'line', 'rule', 'label', 'reason'];
export const labelValues = ['hazard', 'not-a-hazard', 'borderline'];

/**
 * @typedef {{ repository: string, commit: string, kind: 'service' | 'library', language: string, framework?: string,
 *   [key: string]: unknown }} RepoRecord
 * @typedef {{ repository: string, commit: string, path: string, line: number, rule: string,
 *   label: 'hazard' | 'not-a-hazard' | 'borderline', reason: string, source: string }} Label
 * @typedef {{ path: string, line: number, column: number, rule: string, message: string }} Finding
 */

/** `owner/name` → the file stem and checkout folder name `owner__name`. */
export const slug = (/** @type {string} */ repository) => repository.replace('/', '__');

/** @param {string} dir eval/real/repos */
export async function readRepoRecords(dir) {
  /** @type {RepoRecord[]} */
  const records = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
    const file = join(dir, name);
    /** @type {RepoRecord} */
    let record;
    try {
      record = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: not valid JSON (${/** @type {Error} */ (error).message}); fix or remove the file`);
    }
    for (const key of ['repository', 'commit', 'kind']) {
      if (typeof record[key] !== 'string') throw new Error(`${file}: "${key}" must be a string`);
    }
    if (!/^[^/\s]+\/[^/\s]+$/.test(record.repository)) throw new Error(`${file}: "repository" must be owner/name`);
    if (!/^[0-9a-f]{40}$/.test(record.commit)) throw new Error(`${file}: "commit" must be a 40-hex commit id`);
    if (!['service', 'library'].includes(record.kind)) throw new Error(`${file}: "kind" must be "service" or "library"`);
    if (`${slug(record.repository)}.json` !== name) {
      throw new Error(`${file}: the file name must be ${slug(record.repository)}.json for ${record.repository}`);
    }
    records.push(record);
  }
  return records;
}

/**
 * Reads every labels file. A malformed row makes its whole file invalid, with the file and record named, so that a
 * typo never silently drops a label; the other files still count.
 * @param {string} dir eval/real/labels
 * @returns {Promise<{ labels: Map<string, Label[]>, errors: Map<string, string> }>} labels and errors by file stem
 *   (`owner__name`)
 */
export async function readLabels(dir) {
  /** @type {Map<string, Label[]>} */
  const labels = new Map();
  /** @type {Map<string, string>} */
  const errors = new Map();
  /** @type {string[]} */
  let names = [];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.csv')).sort();
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
  }
  for (const name of names) {
    const file = join(dir, name);
    try {
      labels.set(name.slice(0, -'.csv'.length), parseLabelsFile(file, name, await readFile(file, 'utf8')));
    } catch (error) {
      errors.set(name.slice(0, -'.csv'.length), /** @type {Error} */ (error).message);
    }
  }
  return { labels, errors };
}

/** @param {string} file @param {string} name @param {string} text @returns {Label[]} */
function parseLabelsFile(file, name, text) {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    throw new Error(`${file}: ${/** @type {Error} */ (error).message}`);
  }
  const [header, ...rows] = records;
  if (header?.join(',') !== labelHeader.join(',')) throw new Error(`${file}: the first line must be the header ${labelHeader.join(',')}`);
  /** @type {Map<string, string>} */
  const seen = new Map();
  /** @type {Label[]} */
  const list = [];
  rows.forEach((fields, index) => {
    const where = `${file}: record ${index + 2}`;
    if (fields.length === 1 && fields[0] === '') return; // a blank line
    if (fields.length !== labelHeader.length) throw new Error(`${where}: ${fields.length} fields, expected ${labelHeader.length}`);
    const [repository, commit, path, lineText, rule, label, reason] = /** @type {string[]} */ (fields);
    const line = Number(lineText);
    if (!Number.isInteger(line) || line < 1) throw new Error(`${where}: line "${lineText}" is not a positive integer`);
    if (!rule.startsWith('quiesce/')) throw new Error(`${where}: rule "${rule}" is not a quiesce/ rule (only the plugin's findings are labelled)`);
    if (!labelValues.includes(label)) throw new Error(`${where}: label "${label}" is not one of ${labelValues.join(', ')}`);
    if (reason.trim() === '') throw new Error(`${where}: the reason is empty`);
    if (`${slug(repository)}.csv` !== name) throw new Error(`${where}: repository ${repository} belongs in ${slug(repository)}.csv`);
    const key = labelKey(repository, path, line, rule);
    if (seen.has(key)) throw new Error(`${where}: ${path}:${line} ${rule} is labelled twice (also ${seen.get(key)})`);
    seen.set(key, `record ${index + 2}`);
    list.push({ repository, commit, path, line, rule, label: /** @type {Label['label']} */ (label), reason, source: where });
  });
  return list;
}

/** Findings and labels match by the file's path relative to the repository, the line and the rule. */
export const labelKey = (/** @type {string} */ repository, /** @type {string} */ path, /** @type {number} */ line, /** @type {string} */ rule) =>
  `${repository}\0${path}\0${line}\0${rule}`;

/**
 * @param {string} repository
 * @param {Finding[]} findings
 * @param {Label[]} labels
 */
export function matchFindings(repository, findings, labels) {
  const labelsByKey = new Map(labels.map((l) => [labelKey(repository, l.path, l.line, l.rule), l]));
  /** @type {Set<string>} */
  const reportedKeys = new Set();
  const counts = { hazards: 0, notHazards: 0, borderline: 0 };
  /** @type {Finding[]} */
  const unlabelled = [];
  /** each finding with its label, or null when it has none */
  const labelled = findings.map((finding) => {
    const key = labelKey(repository, finding.path, finding.line, finding.rule);
    reportedKeys.add(key);
    const label = labelsByKey.get(key);
    if (!label) unlabelled.push(finding);
    else if (label.label === 'hazard') counts.hazards++;
    else if (label.label === 'not-a-hazard') counts.notHazards++;
    else counts.borderline++;
    return { ...finding, label: label?.label ?? null };
  });
  const labelledHazards = labels.filter((l) => l.label === 'hazard');
  const misses = labelledHazards.filter((l) => !reportedKeys.has(labelKey(repository, l.path, l.line, l.rule)));
  return { findings: labelled, ...counts, labelledHazards: labelledHazards.length, reportedHazards: labelledHazards.length - misses.length, misses, unlabelled };
}

/** @param {number} part @param {number} whole */
export const ratio = (part, whole) => (whole === 0 ? null : part / whole);
