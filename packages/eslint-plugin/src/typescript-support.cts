// Which TypeScript the plugin (and the codemod, which runs its detection) can run on, checked before TypeScript is
// loaded: a TypeScript outside the supported range fails on load with one line naming both versions, not
// with a TypeError deep inside TypeScript's API (TypeScript 7 ships none) or typescript-eslint's. CommonJS, so that
// detect/typescript.cts can check before its own require('typescript'); exported as
// `@quiesce/eslint-plugin/typescript-support` for the codemod.
import path = require('node:path');
import semver = require('semver');

/**
 * The package's `peerDependencies.typescript`, the one place it is written: typescript-eslint 8's upper bound (<6.1.0),
 * and TypeScript 5.3 at least, whose API the detection uses (`JSDocParsingMode`; 4.8 to 5.2 fail with a TypeError).
 */
const supportedTypeScript: string = (require('../package.json') as { peerDependencies: { typescript: string } }).peerDependencies
  .typescript;

/** What to install: the newest minor inside the range. */
const recommendedTypeScript = 'typescript@~6.0';

interface UnsupportedTypeScript {
  /** The version `require('typescript')` gives, or undefined when no TypeScript is installed. */
  readonly installed: string | undefined;
  /** Its folder. */
  readonly location: string | undefined;
  readonly supported: string;
  /** One line, without a program name: what is installed, what is supported, what to do. */
  readonly reason: string;
}

/** The TypeScript this package loads, when it is not one it supports; undefined when it is. */
function unsupportedTypeScript(): UnsupportedTypeScript | undefined {
  let manifestPath: string;
  try {
    manifestPath = require.resolve('typescript/package.json');
  } catch {
    return {
      installed: undefined,
      location: undefined,
      supported: supportedTypeScript,
      reason: `no TypeScript is installed, and quiesce needs TypeScript ${supportedTypeScript}: npm i -D ${recommendedTypeScript}`,
    };
  }
  const installed = (require(manifestPath) as { version?: unknown }).version;
  const version = typeof installed === 'string' ? installed : 'of unknown version';
  if (typeof installed === 'string' && semver.satisfies(installed, supportedTypeScript)) return undefined;
  const location = path.dirname(manifestPath);
  return {
    installed: typeof installed === 'string' ? installed : undefined,
    location,
    supported: supportedTypeScript,
    reason:
      `TypeScript ${version} is installed (${location}), but quiesce supports TypeScript ${supportedTypeScript}: ` +
      `npm i -D ${recommendedTypeScript} (TypeScript 7 can build your project beside it: see the README's "TypeScript 7")`,
  };
}

/** Error's code when the plugin is loaded with an unsupported TypeScript. */
const unsupportedTypeScriptCode = 'QUIESCE_UNSUPPORTED_TYPESCRIPT';

/** Throws, with one line and no stack (ESLint prints an error's stack), when the TypeScript is not one supported. */
function assertSupportedTypeScript(): void {
  const problem = unsupportedTypeScript();
  if (!problem) return;
  const error = Object.assign(new Error(`@quiesce/eslint-plugin: ${problem.reason}`), { code: unsupportedTypeScriptCode, ...problem });
  error.stack = error.message;
  throw error;
}

// One object literal of names, so that Node's CommonJS export detection sees each name an ES module imports (and
// TypeScript sees the same ones): CommonJS under verbatimModuleSyntax has no `export const`.
export = { supportedTypeScript, recommendedTypeScript, unsupportedTypeScript, unsupportedTypeScriptCode, assertSupportedTypeScript };
