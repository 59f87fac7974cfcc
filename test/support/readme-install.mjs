// @ts-check
// The root README's "Use it on your service", read as a user reads it: its `npm install` lines, and the config
// files its code blocks name on their first line. test/pack-install.test.ts runs them; scripts/footprint.mjs
// measures what they install.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './paths.mjs';

/**
 * @typedef {{ installs: string[][], files: Map<string, string> }} ReadmeSteps
 * `installs`: each `npm install` line as its arguments after `npm install`; `files`: code blocks by the file their
 * first line names (`// eslint.config.mjs — …` → eslint.config.mjs; also eslint.config.ts and .eslintrc*).
 */

/** @returns {Promise<ReadmeSteps>} */
export async function readmeSteps() {
  const text = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const section = /^## Use it on your service\n([\s\S]*?)(?=^## )/m.exec(text)?.[1] ?? '';
  /** @type {string[][]} */
  const installs = [];
  /** @type {Map<string, string>} */
  const files = new Map();
  for (const [, language, body = ''] of section.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    if (language === 'sh') {
      for (const line of body.split('\n')) {
        const command = line.replace(/\s+#.*$/, '').trim();
        if (command.startsWith('npm install ') || command.startsWith('npm i ')) installs.push(command.split(/\s+/).slice(2));
      }
      continue;
    }
    const named = /^\/\/ (eslint\.config\.[cm]?[jt]s|\.eslintrc(?:\.json|\.c?js)?)(?=\s|$)/.exec(body.split('\n', 1)[0] ?? '');
    if (named?.[1] && !files.has(named[1])) files.set(named[1], body);
  }
  return { installs, files };
}

/**
 * An install line with each `@quiesce/<name>` (with or without a version) replaced by that package's tarball.
 * @param {string[]} args
 * @param {{ name: string, tarball: string }[]} packages
 */
export function withTarballs(args, packages) {
  return args.map((arg) => {
    const name = /^(@quiesce\/[a-z-]+)(?:@.*)?$/.exec(arg)?.[1];
    if (name === undefined) return arg;
    const pkg = packages.find((candidate) => candidate.name === name);
    if (pkg === undefined) throw new Error(`the README installs ${name}, which no workspace package is`);
    return pkg.tarball;
  });
}
