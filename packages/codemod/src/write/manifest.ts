import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { SHIM_MODULE } from '../plan/shim.js';

/** The range written to `dependencies` (the shim's own version; test/manifest.test.ts holds it to the shim's package.json). */
export const SHIM_RANGE = '^0.1.0';
/** The Node versions the shim supports (its package.json `engines.node`). */
export const SHIM_ENGINES = '>=20.19';

export interface ManifestEdit {
  /** The package.json (absolute). */
  readonly file: string;
  readonly before: string;
  /** The new text, or undefined when the shim is already a dependency. */
  readonly after: string | undefined;
  /** Set when `engines.node` allows Node versions the shim does not run on: the review item's text, and where. */
  readonly engines?: { readonly line: number; readonly column: number; readonly reason: string };
}

/** The nearest package.json above a file (its package), no higher than `top` (the run's work tree), or undefined. */
export function nearestManifest(file: string, top: string): string | undefined {
  for (let directory = path.dirname(file); ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (directory === top || path.dirname(directory) === directory) return undefined;
  }
}

/**
 * Adds the shim to a package.json's `dependencies` as a person would: a text edit that keeps the file's indentation,
 * line endings, key order (in order when the existing dependencies are sorted, else last) and final newline; nothing
 * is installed. Throws on a package.json that is not a JSON object.
 */
export function addShimDependency(file: string, text: string): ManifestEdit {
  const json = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('package.json is not a JSON object');
  const manifest = json as Record<string, unknown>;
  const engines = enginesProblem(text, manifest);
  const has = (key: string): boolean => {
    const value = manifest[key];
    return typeof value === 'object' && value !== null && SHIM_MODULE in value;
  };
  if (has('dependencies') || has('peerDependencies')) return { file, before: text, after: undefined, ...(engines ? { engines } : {}) };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const members = topLevelMembers(text);
  const entry = `"${SHIM_MODULE}": "${SHIM_RANGE}"`;
  const dependencies = members.find((member) => member.key === 'dependencies');
  let after: string;
  if (dependencies && text[dependencies.valueStart] === '{') {
    const inner = objectMembers(text, dependencies.valueStart);
    const multiline = text.slice(dependencies.valueStart, dependencies.valueEnd).includes('\n');
    const inside = multiline ? eol + indent + indent : ' ';
    if (inner.length === 0) {
      after = text.slice(0, dependencies.valueStart) + `{${inside}${entry}${multiline ? eol + indent : ' '}}` + text.slice(dependencies.valueEnd);
    } else {
      const keys = inner.map((member) => member.key);
      const sorted = keys.every((key, index) => index === 0 || keys[index - 1]!.localeCompare(key) <= 0);
      const before = sorted ? inner.find((member) => member.key.localeCompare(SHIM_MODULE) > 0) : undefined;
      const separator = multiline ? `,${eol}${indent}${indent}` : ', ';
      after = before
        ? text.slice(0, before.keyStart) + entry + separator + text.slice(before.keyStart)
        : text.slice(0, inner[inner.length - 1]!.valueEnd) + separator + entry + text.slice(inner[inner.length - 1]!.valueEnd);
    }
  } else if (!text.slice(text.indexOf('{'), text.lastIndexOf('}')).includes('\n')) {
    // A package.json on one line stays on one line, spaced as it is.
    const colon = /"\s*:\s/.test(text) ? ': ' : ':';
    const comma = /,\s"/.test(text) ? ', ' : ',';
    const compact = `"dependencies"${colon}{${comma === ', ' ? ' ' : ''}"${SHIM_MODULE}"${colon}"${SHIM_RANGE}"${comma === ', ' ? ' ' : ''}}`;
    const last = members[members.length - 1];
    after = last ? text.slice(0, last.valueEnd) + comma + compact + text.slice(last.valueEnd) : text.replace('{', `{${compact}`);
  } else {
    const last = members[members.length - 1];
    const block = `"dependencies": {${eol}${indent}${indent}${entry}${eol}${indent}}`;
    if (!last) {
      const open = text.indexOf('{');
      after = text.slice(0, open + 1) + eol + indent + block + eol + text.slice(text.lastIndexOf('}'));
    } else {
      after = text.slice(0, last.valueEnd) + `,${eol}${indent}` + block + text.slice(last.valueEnd);
    }
  }
  return { file, before: text, after, ...(engines ? { engines } : {}) };
}

function enginesProblem(text: string, manifest: Record<string, unknown>): ManifestEdit['engines'] {
  const engines = manifest['engines'];
  const range = typeof engines === 'object' && engines !== null ? (engines as Record<string, unknown>)['node'] : undefined;
  if (typeof range !== 'string' || semver.validRange(range) === null) return undefined;
  if (semver.subset(range, SHIM_ENGINES, { includePrerelease: false })) return undefined;
  const at = /"engines"\s*:\s*\{[^}]*?"node"/.exec(text);
  const offset = at ? at.index + at[0].length - '"node"'.length : 0;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return {
    line,
    column,
    reason: `engines.node "${range}" allows Node versions the shim does not run on (it needs ${SHIM_ENGINES}): raise the range, or keep the shim out of this package`,
  };
}

/** The install command of the package manager a package uses (its lockfile or `packageManager`, up to the file system root). */
export function installCommand(manifestFile: string): string {
  for (let directory = path.dirname(manifestFile); ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'pnpm-lock.yaml'))) return 'pnpm install';
    if (existsSync(path.join(directory, 'yarn.lock'))) return 'yarn install';
    if (existsSync(path.join(directory, 'bun.lock')) || existsSync(path.join(directory, 'bun.lockb'))) return 'bun install';
    if (existsSync(path.join(directory, 'package-lock.json')) || existsSync(path.join(directory, 'npm-shrinkwrap.json'))) return 'npm install';
    try {
      const manager = (JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { packageManager?: unknown }).packageManager;
      if (typeof manager === 'string') {
        const name = manager.split('@')[0];
        if (name === 'pnpm' || name === 'yarn' || name === 'bun' || name === 'npm') return `${name} install`;
      }
    } catch {
      // No package.json here, or an unreadable one.
    }
    if (path.dirname(directory) === directory) return 'npm install';
  }
}

interface Member {
  readonly key: string;
  readonly keyStart: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** The members of the top-level object of a JSON text, with their offsets. */
function topLevelMembers(text: string): Member[] {
  return objectMembers(text, text.indexOf('{'));
}

/** The members of the JSON object that opens at `open`, with the offsets of their keys and values. */
function objectMembers(text: string, open: number): Member[] {
  const members: Member[] = [];
  let index = open + 1;
  const skipSpace = (): void => {
    while (index < text.length && /\s/.test(text[index]!)) index++;
  };
  for (;;) {
    skipSpace();
    if (text[index] === '}' || index >= text.length) return members;
    if (text[index] === ',') {
      index++;
      continue;
    }
    const keyStart = index;
    index = endOfValue(text, index);
    const key = JSON.parse(text.slice(keyStart, index)) as string;
    skipSpace();
    index++; // the colon
    skipSpace();
    const valueStart = index;
    index = endOfValue(text, index);
    members.push({ key, keyStart, valueStart, valueEnd: index });
  }
}

/** The offset right after the JSON value (string, object, array or literal) that starts at `start`. */
function endOfValue(text: string, start: number): number {
  const first = text[start];
  if (first === '"') {
    let index = start + 1;
    while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
    return index + 1;
  }
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let index = start; index < text.length; index++) {
      const char = text[index]!;
      if (char === '"') {
        index = endOfValue(text, index) - 1;
        continue;
      }
      if (char === '{' || char === '[') depth++;
      else if (char === '}' || char === ']') {
        depth--;
        if (depth === 0) return index + 1;
      }
    }
    return text.length;
  }
  let index = start;
  while (index < text.length && !/[,}\]\s]/.test(text[index]!)) index++;
  return index;
}
