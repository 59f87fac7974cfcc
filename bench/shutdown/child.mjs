// Starts a contender as a child process on 127.0.0.1, learns its port from its first stdout line,
// and records when and how it exits. Every child started here is killed by killAllChildren().
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

const liveChildren = new Set();

/**
 * @param {string} script absolute path of the contender
 * @param {{ env?: Record<string, string>, startTimeoutMs?: number }} [options]
 */
export function startServer(script, options = {}) {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    if (stderr.length < 20_000) stderr += chunk;
  });

  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      resolve({ at: performance.now(), code, signal });
    });
  });

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not print its port within ${options.startTimeoutMs ?? 10_000} ms:\n${stderr}`));
    }, options.startTimeoutMs ?? 10_000);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line).port);
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${exit.code ?? exit.signal}) before listening:\n${stderr}`));
    });
  });

  return {
    child,
    ready,
    exited,
    stderr: () => stderr,
    signal(name) {
      child.kill(name);
      return performance.now();
    },
  };
}

export function killAllChildren() {
  for (const child of liveChildren) child.kill('SIGKILL');
}

/** The shell's view of an exit: the code, or 128 + n when a signal ended the process. */
export function exitCodeOf({ code, signal }) {
  if (code !== null) return code;
  const numbers = { SIGTERM: 15, SIGINT: 2, SIGKILL: 9 };
  return 128 + (numbers[signal] ?? 0);
}
