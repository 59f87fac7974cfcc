/**
 * The plugin's detection as a library: what the recommended rules report for a file, from TypeScript's syntax tree and
 * (when given) its program, without running ESLint. The rules call the same functions, so this is what ESLint with the
 * plugin reports, before ESLint applies disable comments (`eslint-disable…`), which are the caller's to apply.
 */
import ts from './typescript.cjs';

import { rules } from '../rules/index.js';
import { findAbruptExits } from '../rules/no-abrupt-exit.js';
import { findReviewMarkers } from '../rules/no-review-markers.js';
import { findUnclosedResourceFindings } from '../rules/no-unclosed-resource.js';
import { findUntrackedAsyncCallbacks } from '../rules/no-untracked-async-callback.js';
import { findUntrackedPromises } from '../rules/no-untracked-promise.js';
import { findUntrackedServers } from '../rules/no-untracked-server.js';
import { findUntrackedTimers } from '../rules/no-untracked-timer.js';
import { entryOptionsOf, findMissingShutdownHandler } from '../rules/require-shutdown-handler.js';
import { readSettings } from '../util/settings.js';
import { createDetectionFile } from './file.js';
import { inferredProgramOf } from './inference.js';
import { isEntry, roleOfFile, roleWithText, ruleAppliesTo } from './roles.js';
import type { RuleFinding } from './finding.js';

/** The copy of TypeScript the detection works with: build programs and source files with it. */
export { ts as typescript };
export { parseFile, scriptKindOf } from './parse.js';
export { inferenceCompilerOptions, inferredProgramOf, isInferredJavaScript } from './inference.js';
export { type Comment, commentsOf } from './comments.js';
export { type FileRole, type Role, type RoleOptions, type EntryFileOptions, roleOf, isEntryFile, ruleAppliesTo } from './roles.js';

export interface DetectOptions {
  /** `settings.quiesce` as written in an ESLint config (validated: a TypeError names the bad setting). */
  readonly settings?: unknown;
  /** The directory `entries` globs are relative to (ESLint's `cwd`). */
  readonly cwd: string;
  /** `quiesce/require-shutdown-handler`'s `entries` option: globs relative to `cwd`. */
  readonly entries?: readonly string[];
}

/** One report, as ESLint with the plugin's recommended configs would give it (before disable directives). */
export interface Detection {
  /** `quiesce/<rule>` */
  readonly ruleId: string;
  readonly messageId: string;
  /** The message as ESLint formats it (the rule's message with `data` filled in). */
  readonly message: string;
  readonly data: Readonly<Record<string, string>>;
  /** Offsets in `sourceFile.text` of the reported range (ESLint's report `loc`). */
  readonly start: number;
  readonly end: number;
}

type RuleName = keyof typeof rules;

/**
 * Everything the plugin's recommended rules report for `sourceFile` (parsed with parent pointers set), with their
 * default options. With `program` (which must contain the file) the rules use type information, as under
 * `recommended-type-checked`; without it, they run syntax-only as under `recommended`. In ESLint's order: by position,
 * then by rule.
 */
export function detect(sourceFile: ts.SourceFile, options: DetectOptions, program?: ts.Program): Detection[] {
  const settings = readSettings(options.settings === undefined ? undefined : { quiesce: options.settings });
  const role = roleWithText(roleOfFile(sourceFile.fileName, options.cwd, settings), sourceFile.text);
  const entry = isEntry(sourceFile.fileName, options.cwd, settings, []);
  const file = createDetectionFile(sourceFile, { settings, program: program ?? (settings.inferJavaScript ? inferredProgramOf(sourceFile) : undefined), role, entry });
  const entryOptions = entryOptionsOf(sourceFile.fileName, options.cwd, settings, { entries: [...(options.entries ?? [])] });
  const found: [RuleName, () => readonly RuleFinding[]][] = [
    ['no-untracked-timer', () => findUntrackedTimers(file, {})],
    ['no-untracked-promise', () => findUntrackedPromises(file, {})],
    ['no-untracked-async-callback', () => findUntrackedAsyncCallbacks(file)],
    ['no-abrupt-exit', () => findAbruptExits(file)],
    ['no-untracked-server', () => findUntrackedServers(file)],
    ['require-shutdown-handler', () => findMissingShutdownHandler(file, entryOptions)],
    ['no-unclosed-resource', () => findUnclosedResourceFindings(file)],
    ['no-review-markers', () => findReviewMarkers(file)],
  ];
  const detections: Detection[] = [];
  for (const [rule, find] of found) {
    // The same decision as the rule factory's: a rule that does not apply to the file's role reports nothing.
    if (!ruleAppliesTo(rule, role.role)) continue;
    const findings = find();
    const messages = rules[rule].meta.messages as Readonly<Record<string, string>>;
    for (const finding of findings) {
      detections.push({
        ruleId: `quiesce/${rule}`,
        messageId: finding.messageId,
        message: interpolate(messages[finding.messageId] ?? '', finding.data),
        data: { ...finding.data },
        start: finding.start,
        end: finding.end,
      });
    }
  }
  // Stable: findings at one position keep the rules' order.
  return detections.sort((a, b) => a.start - b.start);
}

/** ESLint's message placeholders: `{{ name }}` becomes the data's value; unknown names stay as written. */
function interpolate(message: string, data: Readonly<Record<string, string>>): string {
  return message.replace(/\{\{([^{}]+?)\}\}/g, (placeholder, name: string) => {
    const key = name.trim();
    return key in data ? data[key]! : placeholder;
  });
}
