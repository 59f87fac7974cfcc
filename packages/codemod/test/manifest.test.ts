import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addShimDependency, installCommand, SHIM_ENGINES, SHIM_RANGE } from '../src/write/manifest.js';
import { repositoryRoot, scratchDirectory } from './helpers.js';

const add = (text: string): string | undefined => addShimDependency('package.json', text).after;

describe('the shim as a dependency of a service package', () => {
  it('writes the shim\'s own version and engines', () => {
    const shim = JSON.parse(readFileSync(path.join(repositoryRoot, 'packages/runtime-shim/package.json'), 'utf8')) as { version: string; engines: { node: string } };
    expect(SHIM_RANGE).toBe(`^${shim.version}`);
    expect(SHIM_ENGINES).toBe(shim.engines.node);
  });

  it('adds it in order to sorted dependencies, keeping indentation, line endings and the final newline', () => {
    expect(add('{\n    "name": "svc",\n    "dependencies": {\n        "express": "^4.0.0",\n        "zod": "^3.0.0"\n    }\n}\n')).toBe(
      '{\n    "name": "svc",\n    "dependencies": {\n        "@quiesce/runtime-shim": "^0.1.0",\n        "express": "^4.0.0",\n        "zod": "^3.0.0"\n    }\n}\n',
    );
    expect(add('{\r\n\t"dependencies": {\r\n\t\t"@a/b": "1"\r\n\t}\r\n}')).toBe('{\r\n\t"dependencies": {\r\n\t\t"@a/b": "1",\r\n\t\t"@quiesce/runtime-shim": "^0.1.0"\r\n\t}\r\n}');
  });

  it('adds it last to unsorted dependencies, and to empty ones', () => {
    expect(add('{\n  "dependencies": {\n    "zod": "3",\n    "abc": "1"\n  }\n}\n')).toBe('{\n  "dependencies": {\n    "zod": "3",\n    "abc": "1",\n    "@quiesce/runtime-shim": "^0.1.0"\n  }\n}\n');
    expect(add('{\n  "dependencies": {}\n}\n')).toBe('{\n  "dependencies": { "@quiesce/runtime-shim": "^0.1.0" }\n}\n');
  });

  it('adds a dependencies object after the last member, leaving other members (inline arrays too) as they are', () => {
    expect(add('{\n  "name": "svc",\n  "files": ["dist"],\n  "scripts": { "start": "node ." }\n}\n')).toBe(
      '{\n  "name": "svc",\n  "files": ["dist"],\n  "scripts": { "start": "node ." },\n  "dependencies": {\n    "@quiesce/runtime-shim": "^0.1.0"\n  }\n}\n',
    );
    expect(add('{"name":"svc","private":true}')).toBe('{"name":"svc","private":true,"dependencies":{"@quiesce/runtime-shim":"^0.1.0"}}');
  });

  it('changes nothing when the shim is already a dependency or peer dependency', () => {
    expect(add('{ "dependencies": { "@quiesce/runtime-shim": "^0.1.0" } }')).toBeUndefined();
    expect(add('{ "peerDependencies": { "@quiesce/runtime-shim": "*" } }')).toBeUndefined();
  });

  it('gives a review item, where it is written, for an engines range the shim does not support', () => {
    const edit = addShimDependency('package.json', '{\n  "name": "svc",\n  "engines": {\n    "node": ">=18"\n  }\n}\n');
    expect(edit.engines).toEqual({ line: 4, column: 5, reason: expect.stringContaining('engines.node ">=18" allows Node versions the shim does not run on') });
    expect(addShimDependency('package.json', '{ "engines": { "node": ">=20.19" } }').engines).toBeUndefined();
    expect(addShimDependency('package.json', '{ "engines": { "node": "^22 || ^24" } }').engines).toBeUndefined();
    expect(addShimDependency('package.json', '{ "engines": { "node": "20.x || 22.x" } }').engines).toBeDefined();
  });

  it("names the install command of the package's own package manager, from its lockfile or packageManager", () => {
    const scratch = scratchDirectory('manifest');
    try {
      const at = (name: string, lockfile?: string, manifest: Record<string, unknown> = {}): string => {
        const directory = path.join(scratch.directory, name);
        mkdirSync(directory);
        writeFileSync(path.join(directory, 'package.json'), JSON.stringify(manifest));
        if (lockfile) writeFileSync(path.join(directory, lockfile), '');
        return installCommand(path.join(directory, 'package.json'));
      };
      expect(at('pnpm', 'pnpm-lock.yaml')).toBe('pnpm install');
      expect(at('yarn', 'yarn.lock')).toBe('yarn install');
      expect(at('npm', 'package-lock.json')).toBe('npm install');
      expect(at('corepack', undefined, { packageManager: 'pnpm@9.1.0' })).toBe('pnpm install');
    } finally {
      scratch.remove();
    }
  });
});
