import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { detect, inferredProgramOf, parseFile } from '../src/detect/index.js';
import { noUntrackedAsyncCallback } from '../src/rules/no-untracked-async-callback.js';
import { noUntrackedPromise } from '../src/rules/no-untracked-promise.js';
import { commonJsTester, fixturesDir, javaScriptTester } from './rule-testers.js';

/**
 * Plain JavaScript without a tsconfig is analysed with TypeScript's inference (src/detect/inference.ts): a function
 * that returns a promise without being declared async is known, in the same file or imported.
 */
const dir = path.join(fixturesDir, 'js-inference');
const main = path.join(dir, 'main.js');
const mainCjs = path.join(dir, 'main.cjs');
const floating = { messageId: 'floatingPromise' as const, data: { kind: 'promise', method: 'then', what: 'promise' } };
const noInference = { quiesce: { role: 'service', inferJavaScript: false } };

javaScriptTester.run('no-untracked-promise: plain JavaScript with inferred types', noUntrackedPromise, {
  valid: [
    // Known not to be a promise by inference.
    { code: "import { label } from './store.js';\nlabel({ id: 1 });", filename: main },
    // Inference off: the syntax heuristic alone does not know save() returns a promise.
    { code: "import { save } from './store.js';\nsave({ id: 1 });", filename: main, settings: noInference },
    { code: "function send(x) { return fetch(x); }\nsend('a');", filename: main, settings: noInference },
    // A sibling declaration file wins: importers see its types, not the JavaScript's (README, "Plain JavaScript").
    { code: "import { send } from './declared.js';\nsend({ id: 1 });", filename: main },
  ],
  invalid: [
    {
      // Same file: not declared async, returns fetch(…).
      code: "function send(url) {\n  return fetch(url);\n}\nsend('https://example.invalid');",
      filename: main,
      errors: [{ ...floating, line: 4, suggestions: [{ messageId: 'wrapInTrack', output: "import { track } from '@quiesce/runtime-shim';\nfunction send(url) {\n  return fetch(url);\n}\ntrack(send('https://example.invalid'));" }] }],
    },
    {
      // Imported from a JavaScript module of the project.
      code: "import { save } from './store.js';\nsave({ id: 1 });",
      filename: main,
      errors: [{ ...floating, line: 2, suggestions: [{ messageId: 'wrapInTrack', output: "import { save } from './store.js';\nimport { track } from '@quiesce/runtime-shim';\ntrack(save({ id: 1 }));" }] }],
    },
  ],
});

commonJsTester.run('no-untracked-promise: CommonJS with inferred types', noUntrackedPromise, {
  valid: [{ code: "const { save } = require('./store.cjs');\nsave({ id: 1 });", filename: mainCjs, settings: noInference }],
  invalid: [
    {
      code: "const { save } = require('./store.cjs');\nfor (const id of [1, 2]) save({ id });",
      filename: mainCjs,
      errors: [{ ...floating, line: 2, suggestions: [{ messageId: 'wrapInTrack', output: "const { track } = require('@quiesce/runtime-shim');\nconst { save } = require('./store.cjs');\nfor (const id of [1, 2]) track(save({ id }));" }] }],
    },
  ],
});

describe('inferredProgramOf', () => {
  it('contains the very source file it is given, and the JavaScript it imports', () => {
    const sourceFile = parseFile(main, "import { save } from './store.js';\nsave({});\n");
    const program = inferredProgramOf(sourceFile)!;
    expect(program.getSourceFile(main)).toBe(sourceFile);
    expect(program.getSourceFile(path.join(dir, 'store.js'))).toBeDefined();
    expect(program.getCompilerOptions()).toMatchObject({ allowJs: true, checkJs: false, noEmit: true });
  });

  it('is only for JavaScript', () => {
    expect(inferredProgramOf(parseFile(path.join(dir, 'main.ts'), 'export {};\n'))).toBeUndefined();
  });

  it('gives detect() the same findings as the rules, and none with inferJavaScript off', () => {
    const text = "import { save } from './store.js';\nsave({ id: 1 });\n";
    const settings = { role: 'service' };
    const found = detect(parseFile(main, text), { cwd: dir, settings }).map((detection) => detection.ruleId);
    expect(found).toContain('quiesce/no-untracked-promise');
    const off = detect(parseFile(main, text), { cwd: dir, settings: { ...settings, inferJavaScript: false } });
    expect(off.map((detection) => detection.ruleId)).not.toContain('quiesce/no-untracked-promise');
  });

  it('names a bad setting', () => {
    expect(() => detect(parseFile(main, 'x;\n'), { cwd: dir, settings: { inferJavaScript: 'yes' } })).toThrow(/settings\.quiesce\.inferJavaScript/);
  });
});

// A `let` assigned in an `if` is `any` to TypeScript's inference; the function returning its call is followed.
const mainCache = path.join(dir, 'uses-cache.cjs');
commonJsTester.run('no-untracked-promise: a client made in an if block (inferred types)', noUntrackedPromise, {
  valid: [{ code: "const cache = require('./cache.cjs');\nasync function drop(user) { await cache.forget.user(user); }\nmodule.exports = { drop };", filename: mainCache }],
  invalid: [
    {
      code: "const cache = require('./cache.cjs');\nfunction drop(user) { cache.forget.user(user); }\nmodule.exports = { drop };",
      filename: mainCache,
      errors: [{ ...floating, line: 2, suggestions: [{ messageId: 'wrapInTrack', output: "const { track } = require('@quiesce/runtime-shim');\nconst cache = require('./cache.cjs');\nfunction drop(user) { track(cache.forget.user(user)); }\nmodule.exports = { drop };" }] }],
    },
  ],
});

commonJsTester.run('no-untracked-promise: a client typed by its package default export (inferred types)', noUntrackedPromise, {
  valid: [{ code: "const cache = require('./cache-esm.cjs');\nmodule.exports = (link) => cache.forget.link(link);", filename: mainCache }],
  invalid: [
    {
      code: "const cache = require('./cache-esm.cjs');\nmodule.exports = (link) => { cache.forget.link(link); };",
      filename: mainCache,
      errors: [{ ...floating, line: 2, suggestions: [{ messageId: 'wrapInTrack', output: "const { track } = require('@quiesce/runtime-shim');\nconst cache = require('./cache-esm.cjs');\nmodule.exports = (link) => { track(cache.forget.link(link)); };" }] }],
    },
  ],
});

commonJsTester.run('no-untracked-async-callback: a promise-returning function passed by reference (inferred types)', noUntrackedAsyncCallback, {
  valid: [{ code: "const cache = require('./cache.cjs');\nfunction drop(users) { return Promise.all(users.map(cache.forget.user)); }\nmodule.exports = { drop };", filename: mainCache }],
  invalid: [
    {
      code: "const cache = require('./cache.cjs');\nfunction drop(users) { users.forEach(cache.forget.user); }\nmodule.exports = { drop };",
      filename: mainCache,
      errors: [{ messageId: 'asyncCallback', data: { target: 'forEach' }, line: 2, suggestions: [{ messageId: 'wrapInTrackCallback', output: "const { trackCallback } = require('@quiesce/runtime-shim');\nconst cache = require('./cache.cjs');\nfunction drop(users) { users.forEach(trackCallback(cache.forget.user)); }\nmodule.exports = { drop };" }] }],
    },
  ],
});

// A client typed through an index signature (its emitter base unresolved): on() is a listener registration, the
// client's other commands are promises.
javaScriptTester.run('no-untracked-promise: listener registration on an index-typed client (inferred types)', noUntrackedPromise, {
  valid: [{ code: "import { createClient } from './indexed-client.js';\nexport const client = createClient();\nclient.on('error', (error) => console.log(error));", filename: main }],
  invalid: [
    {
      code: "import { createClient } from './indexed-client.js';\nexport const client = createClient();\nexport function reset() { client.flushall(); }",
      filename: main,
      errors: [{ ...floating, line: 3, suggestions: [{ messageId: 'wrapInTrack', output: "import { createClient } from './indexed-client.js';\nimport { track } from '@quiesce/runtime-shim';\nexport const client = createClient();\nexport function reset() { track(client.flushall()); }" }] }],
    },
  ],
});
