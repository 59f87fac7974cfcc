import { noReviewMarkers } from '../../src/rules/no-review-markers.js';
import { commonJsTester, javaScriptTester, typedTester, typeScriptTester } from '../rule-testers.js';

typeScriptTester.run('no-review-markers (TypeScript)', noReviewMarkers, {
  valid: ['// quiesce: reviewed', '/* review: later */\nconst x = 1;', '// QUIESCE-REVIEW: shouting is not the marker', 'const text = "/* quiesce-review: in a string */";'],
  invalid: [
    {
      code: "const a = 1;\n/* quiesce-review: signal handler does more than exit; move its work into onShutdown */\nprocess.on('SIGTERM', () => {});",
      errors: [
        {
          messageId: 'reviewMarker',
          data: { reason: 'signal handler does more than exit; move its work into onShutdown' },
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 88,
        },
      ],
    },
    {
      code: '// quiesce-review: setImmediate has no tracked counterpart\nsetImmediate(() => {}); /* quiesce-review:   */',
      errors: [
        { messageId: 'reviewMarker', data: { reason: 'setImmediate has no tracked counterpart' }, line: 1 },
        { messageId: 'reviewMarker', data: { reason: 'no reason given' }, line: 2 },
      ],
    },
    {
      // The codemod's spelling where the project's lint wants capitalized comments (capitalized-comments, xo).
      code: "/* Quiesce-review: the callback is not an inline async function */\nprocess.on('SIGTERM', onStop);",
      errors: [{ messageId: 'reviewMarker', data: { reason: 'the callback is not an inline async function' }, line: 1 }],
    },
  ],
});

typedTester.run('no-review-markers (TypeScript with types)', noReviewMarkers, {
  valid: ['export const value: number = 1;'],
  invalid: [{ code: 'export const value: number = 1; // quiesce-review: typed files too', errors: [{ messageId: 'reviewMarker', data: { reason: 'typed files too' } }] }],
});

javaScriptTester.run('no-review-markers (JavaScript, ESM)', noReviewMarkers, {
  valid: ['export {};'],
  invalid: [{ code: 'export {}; /* quiesce-review: x */', errors: [{ messageId: 'reviewMarker' }] }],
});

commonJsTester.run('no-review-markers (JavaScript, CommonJS)', noReviewMarkers, {
  valid: ['module.exports = {};'],
  invalid: [{ code: '/* quiesce-review: mixed ESM and CJS */\nmodule.exports = {};', errors: [{ messageId: 'reviewMarker' }] }],
});
