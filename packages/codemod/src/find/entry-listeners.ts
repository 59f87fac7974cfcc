import { readFileSync } from 'node:fs';
import type { FileOutcome } from './analyse.js';
import type { CommentRulesByFile } from './eslint-config.js';
import { nearestManifest } from '../write/manifest.js';
import { readSourceText, toFileContent } from '../write/source-text.js';

/**
 * The second look at entry files, once every file is analysed: a service entry that owns its shutdown signal with
 * its own listener (`process.on('SIGTERM', () => { server.close(); })`) gets no register import, so when another
 * file of its package got work on the shim (a `track()`, a tracked timer, a hook), nothing would ever start the
 * drain of that work: an edit with no effect. Such an entry's own listeners are connected to the shim's
 * `shutdown()` (signal-listeners.ts connectOwnSignalListeners, the same code that connects them when the entry's own
 * work is put on the shim), so one signal drains the tracked work and runs the app's own statements, once each.
 *
 * A package "has work on the shim" when one of its service files imports the shim's main module after this run
 * (rewritten now, or by an earlier run), so a second run, or a run after the work was tracked by hand, connects the
 * same listeners (and an earlier run's connection is recognised: nothing changes). Entries whose own listeners the
 * rewrite looked at already (their own work was put on the shim) are left as they are.
 */
export async function connectEntryListeners(
  outcomes: readonly FileOutcome[],
  top: string,
  commentRules: CommentRulesByFile | undefined,
): Promise<FileOutcome[]> {
  const manifestOf = new Map<string, string | undefined>();
  const packageOf = (file: string): string | undefined => {
    if (!manifestOf.has(file)) manifestOf.set(file, nearestManifest(file, top));
    return manifestOf.get(file);
  };
  const withWork = new Set<string | undefined>();
  for (const outcome of outcomes) {
    if (outcome.role?.role === 'service' && outcome.usesShim) withWork.add(packageOf(outcome.file));
  }
  const candidates = outcomes.filter(
    (outcome) =>
      (outcome.status === 'changed' || outcome.status === 'unchanged') &&
      outcome.entry === true &&
      outcome.role?.role === 'service' &&
      outcome.listenersConsidered !== true &&
      withWork.has(packageOf(outcome.file)),
  );
  if (candidates.length === 0) return [...outcomes];
  const { loadRewriter } = await import('./analyse.js');
  const rewrite = await loadRewriter();
  const connected = new Map<FileOutcome, FileOutcome>();
  for (const outcome of candidates) {
    let raw: string;
    try {
      raw = outcome.status === 'changed' ? outcome.after : readFileSync(outcome.file, 'utf8');
    } catch {
      continue;
    }
    if (!/SIG(?:TERM|INT|HUP|QUIT)/.test(raw)) continue;
    const source = readSourceText(raw);
    const index = commentRules?.of[outcome.file];
    const rules = index === undefined ? undefined : commentRules?.configs[index];
    const result = rewrite({
      filePath: outcome.file,
      source,
      findings: [],
      compiler: { esmImportsForbidden: outcome.esmImportsForbidden === true },
      ...(outcome.role ? { role: outcome.role } : {}),
      ...(rules ? { commentRules: rules } : {}),
      connectSignalListeners: true,
    });
    const reviews = [...outcome.reviews, ...result.reviews];
    if (result.status === 'changed') {
      const fixes = { ...(outcome.status === 'changed' ? outcome.fixes : {}) };
      for (const [rule, count] of Object.entries(result.fixes)) fixes[rule] = (fixes[rule] ?? 0) + count;
      connected.set(outcome, {
        ...outcome,
        status: 'changed',
        before: outcome.status === 'changed' ? outcome.before : raw,
        after: toFileContent(source, result.text),
        fixes,
        reviews,
        listenersConsidered: true,
      });
    } else if (result.reviews.length > 0) {
      connected.set(outcome, { ...outcome, reviews, listenersConsidered: true });
    }
  }
  return outcomes.map((outcome) => connected.get(outcome) ?? outcome);
}
