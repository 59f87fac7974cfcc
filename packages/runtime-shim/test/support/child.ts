// Real child processes for tests: spawn Node, read its output line by line, wait for a line
// with a bounded timeout, and make sure no child outlives its test.

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const childrenDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'children');

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface NodeChild {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout/stderr line matching `pattern`; rejects after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the child exits; rejects (after killing it) if it outlives `timeoutMs`. */
  exited(timeoutMs?: number): Promise<ExitResult>;
  signal(signal: NodeJS.Signals): void;
}

const running = new Set<ChildProcess>();

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

export function spawnNode(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): NodeChild {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? childrenDir,
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const lineWaiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const seenLines: string[] = [];
  const onText = (chunk: Buffer, append: (text: string) => void, partial: { text: string }) => {
    const text = chunk.toString('utf8');
    append(text);
    partial.text += text;
    const lines = partial.text.split('\n');
    partial.text = lines.pop() ?? '';
    for (const line of lines) {
      seenLines.push(line);
      for (const waiter of lineWaiters) {
        if (waiter.pattern.test(line)) {
          lineWaiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  };
  const outPartial = { text: '' };
  const errPartial = { text: '' };
  child.stdout?.on('data', (chunk: Buffer) => onText(chunk, (t) => (stdout += t), outPartial));
  child.stderr?.on('data', (chunk: Buffer) => onText(chunk, (t) => (stderr += t), errPartial));
  const exit = new Promise<ExitResult>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });

  return {
    process: child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForLine(pattern, timeoutMs = 10_000) {
      const seen = seenLines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { pattern, resolve: (line: string) => (clearTimeout(timer), resolve(line)) };
        const timer = setTimeout(() => {
          lineWaiters.delete(waiter);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        lineWaiters.add(waiter);
        void exit.then(() => {
          if (!lineWaiters.has(waiter)) return;
          lineWaiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`child exited before a line matching ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        });
      });
    },
    exited(timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`child did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        void exit.then((result) => {
          clearTimeout(timer);
          resolve(result);
        });
      });
    },
    signal(signal) {
      child.kill(signal);
    },
  };
}
