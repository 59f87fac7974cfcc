import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FileAnalyser, type FileOutcome } from './analyse.js';
import type { FromMainThread, ToMainThread } from './analyse-pool-protocol.js';
import type { AnalysisOptions } from './detection.js';

export interface AnalysisResult {
  /** In the order of the files given; on interruption only the files that were done. */
  readonly outcomes: FileOutcome[];
  /** True when shouldStop() ended the analysis before every file was done. */
  readonly interrupted: boolean;
  /** How many threads analysed (1: this thread alone). */
  readonly threads: number;
}

export interface AnalysisHooks {
  readonly shouldStop: () => boolean;
  /** Called after each file with the number of files done. */
  readonly onOutcome: (done: number) => void;
}

/**
 * Each thread loads TypeScript and the plugin's detection and builds its own program of the whole project:
 * below this many files per thread an extra thread costs more than it saves.
 */
export const MIN_FILES_PER_THREAD = 100;

/**
 * Memory one analysing thread may take: its TypeScript program of the whole project. Peak RSS measured on the
 * benchmark corpus: about 750 MB for 2,020 files in one thread (sixth session), so 300 MB plus a quarter of a MB a
 * file (the program holds every file, whichever share of them the thread analyses).
 */
const THREAD_BASE_BYTES = 300 * 2 ** 20;
const THREAD_BYTES_PER_FILE = 2 ** 18;

/**
 * The default for `jobs`: one CPU is left to V8's garbage collector, which a single analysing thread already
 * keeps busy (on 2 CPUs a second thread, which builds the whole program again, made the run slower: see the
 * README's benchmark); at most 4; and no more threads than the free memory holds, as each holds a whole program.
 */
export function defaultThreads({ cpus, freeBytes, fileCount }: { cpus: number; freeBytes: number; fileCount: number }): number {
  const byMemory = Math.floor(freeBytes / (THREAD_BASE_BYTES + THREAD_BYTES_PER_FILE * fileCount));
  return Math.max(1, Math.min(cpus - 1, 4, byMemory));
}

export function defaultJobs(fileCount: number): number {
  return defaultThreads({ cpus: os.availableParallelism(), freeBytes: os.freemem(), fileCount });
}

/** Threads worth starting for `fileCount` files when at most `jobs` are allowed. */
export function threadsFor(fileCount: number, jobs: number): number {
  return Math.max(1, Math.min(jobs, Math.floor(fileCount / MIN_FILES_PER_THREAD)));
}

/**
 * Analyses and rewrites (in memory) every file; writes nothing. With `jobs` > 1 and enough files, worker
 * threads share the files, fed in small batches of neighbouring files so that a slow file cannot leave
 * one thread with all the remaining work.
 */
export async function analyseAll(
  files: readonly string[],
  analysisOptions: AnalysisOptions,
  hooks: AnalysisHooks,
  jobs = 1,
): Promise<AnalysisResult> {
  const threads = threadsFor(files.length, jobs);
  // Run from the TypeScript sources (tests), there is no compiled worker to start; and settings that cannot
  // be copied to another thread (an API caller's function, say) keep the analysis in this one.
  if (threads > 1 && existsSync(fileURLToPath(workerUrl)) && copiesToThreads(analysisOptions)) {
    return analyseInPool(files, analysisOptions, hooks, threads);
  }
  return analyseInThisThread(files, analysisOptions, hooks);
}

function copiesToThreads(analysisOptions: AnalysisOptions): boolean {
  try {
    structuredClone(analysisOptions);
    return true;
  } catch {
    return false;
  }
}

const workerUrl = new URL('./analyse-worker.js', import.meta.url);

async function analyseInThisThread(files: readonly string[], analysisOptions: AnalysisOptions, hooks: AnalysisHooks): Promise<AnalysisResult> {
  const analyser = new FileAnalyser(analysisOptions);
  const outcomes: FileOutcome[] = [];
  for (const file of files) {
    if (hooks.shouldStop()) return { outcomes, interrupted: true, threads: 1 };
    outcomes.push(await analyser.analyse(file));
    hooks.onOutcome(outcomes.length);
  }
  return { outcomes, interrupted: false, threads: 1 };
}

const MAX_BATCH = 16;

function analyseInPool(
  files: readonly string[],
  analysisOptions: AnalysisOptions,
  hooks: AnalysisHooks,
  threads: number,
): Promise<AnalysisResult> {
  return new Promise((resolve, reject) => {
    const outcomes: (FileOutcome | undefined)[] = new Array<FileOutcome | undefined>(files.length);
    const inFlight = new Map<Worker, readonly number[]>();
    let next = 0;
    let done = 0;
    let settled = false;

    const stopAll = (): void => {
      settled = true;
      // Nothing has been written yet: the analysis lives in memory only, so ending threads loses nothing.
      for (const worker of inFlight.keys()) void worker.terminate();
      inFlight.clear();
    };
    const finish = (interrupted: boolean): void => {
      if (settled) return;
      stopAll();
      resolve({ outcomes: outcomes.filter((outcome): outcome is FileOutcome => outcome !== undefined), interrupted, threads });
    };
    const fail = (worker: Worker, cause: string): void => {
      if (settled) return;
      const pendingFiles = (inFlight.get(worker) ?? []).filter((index) => outcomes[index] === undefined).map((index) => files[index]);
      stopAll();
      reject(
        new Error(
          `an analysis thread failed${pendingFiles.length > 0 ? ` while working on ${pendingFiles.join(', ')}` : ''}: ${cause}\n` +
            'nothing was written; run again with --jobs 1 to analyse in one thread',
        ),
      );
    };
    const feed = (worker: Worker): void => {
      if (hooks.shouldStop()) return finish(true);
      if (next >= files.length) {
        inFlight.delete(worker);
        void worker.terminate();
        if (done === files.length) finish(false);
        return;
      }
      // Batches shrink towards the end, so that the threads run out of work at about the same time.
      const size = Math.max(1, Math.min(MAX_BATCH, Math.ceil((files.length - next) / (threads * 4))));
      const indexes = Array.from({ length: Math.min(size, files.length - next) }, (_, offset) => next + offset);
      next += indexes.length;
      inFlight.set(worker, indexes);
      const message: FromMainThread = { batch: indexes.map((index) => ({ index, file: files[index] as string })) };
      worker.postMessage(message);
    };

    for (let thread = 0; thread < threads; thread += 1) {
      const worker = new Worker(workerUrl, { workerData: analysisOptions });
      inFlight.set(worker, []);
      worker.on('message', (message: ToMainThread) => {
        if (settled) return;
        if (message.type === 'idle') return feed(worker);
        outcomes[message.index] = message.outcome;
        done += 1;
        hooks.onOutcome(done);
        if (hooks.shouldStop()) finish(true);
      });
      worker.on('error', (error) => fail(worker, error.message));
      worker.on('exit', (code) => {
        if (!settled && inFlight.has(worker)) fail(worker, `the thread exited with code ${code}`);
      });
    }
  });
}
