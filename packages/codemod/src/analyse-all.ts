import { FileAnalyser, type FileOutcome } from './analyse.js';
import type { LintOptions } from './lint.js';

export interface AnalysisResult {
  readonly outcomes: FileOutcome[];
  /** True when shouldStop() ended the analysis before every file was done. */
  readonly interrupted: boolean;
}

interface AnalysisHooks {
  readonly shouldStop: () => boolean;
  /** Called after each file with the number of files done. */
  readonly onOutcome: (done: number) => void;
}

/**
 * Lints and rewrites (in memory) every file, one after the other in this thread. Worker threads were
 * measured and left out: each pays for its own ESLint and TypeScript program, and on the 2-CPU machine of
 * the benchmark two threads took as long as one while using half again as much CPU.
 */
export async function analyseAll(files: readonly string[], lintOptions: LintOptions, hooks: AnalysisHooks): Promise<AnalysisResult> {
  const analyser = new FileAnalyser(lintOptions);
  const outcomes: FileOutcome[] = [];
  for (const file of files) {
    if (hooks.shouldStop()) return { outcomes, interrupted: true };
    outcomes.push(await analyser.analyse(file));
    hooks.onOutcome(outcomes.length);
  }
  return { outcomes, interrupted: false };
}
