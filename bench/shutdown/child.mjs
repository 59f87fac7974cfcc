// Starts a contender as a child process on 127.0.0.1, learns its port from its first stdout line,
// and records when and how it exits. Every child started here is killed by killAllChildren().
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

const liveChildren = new Set();

/**
 * @param {string} script absolute path of the contender
 * @param {{ env?: Record<string, string>, startTimeoutMs?: number, cpu?: number }} [options]
 *   `cpu`: run the server on that CPU alone (Linux `taskset`, which execs Node in place: same pid).
 */
export function startServer(script, options = {}) {
  const [command, args] =
    options.cpu === undefined ? [process.execPath, [script]] : ['taskset', ['-c', String(options.cpu), process.execPath, script]];
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    if (stderr.length < 20_000) stderr += chunk;
  });

  // The child's own account of its exit (see contenders/app.mjs).
  let reported;
  const exited = new Promise((resolve) => {
    let seenAt;
    child.once('exit', () => {
      seenAt = performance.now();
      liveChildren.delete(child);
    });
    // 'close' comes once stdout is read to the end, so the child's last line has been seen.
    child.once('close', (code, signal) =>
      resolve({
        at: seenAt,
        code,
        signal,
        // From the server's last response to its exit, by its own clock, when it said so.
        lastResponseToExitMs:
          reported?.lastResponseAt === undefined ? undefined : reported.exitAt - reported.lastResponseAt,
      }),
    );
  });

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not print its port within ${options.startTimeoutMs ?? 10_000} ms:\n${stderr}`));
    }, options.startTimeoutMs ?? 10_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const message = JSON.parse(line);
      if (message.exitAt !== undefined) {
        reported = message;
        return;
      }
      clearTimeout(timer);
      resolve(message.port);
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
