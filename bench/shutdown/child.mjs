// Starts a contender as a child process on 127.0.0.1 with @quiesce/verify's service process (its
// own process group, its exit timed when it happens), learns its port from its first stdout line,
// and takes its own account of its exit from its last one. Every child started here is killed by
// killAllChildren().
import { exitCodeOf, killAllServices, now, startService } from '@quiesce/verify';

export { exitCodeOf };

/**
 * @param {string} script absolute path of the contender
 * @param {{ env?: Record<string, string>, startTimeoutMs?: number, cpu?: number }} [options]
 *   `cpu`: run the server on that CPU alone (Linux `taskset`, which execs Node in place: same pid).
 */
export function startServer(script, options = {}) {
  const [command, args] =
    options.cpu === undefined ? [process.execPath, [script]] : ['taskset', ['-c', String(options.cpu), process.execPath, script]];
  let stderr = '';
  /** The child's own account of its exit (see contenders/app.mjs). */
  let reported;
  let announcePort;
  const announced = new Promise((resolve) => {
    announcePort = resolve;
  });
  const service = startService({
    command,
    args,
    env: options.env,
    onLine(line, stream) {
      if (stream === 'stderr') {
        if (stderr.length < 20_000) stderr += `${line}\n`;
        return;
      }
      const message = JSON.parse(line);
      if (message.exitAt !== undefined) reported = message;
      else announcePort(message.port);
    },
  });

  const exited = service.exited.then((exit) => ({
    ...exit,
    // From the server's last response to its exit, by its own clock, when it said so.
    lastResponseToExitMs: reported?.lastResponseAt === undefined ? undefined : reported.exitAt - reported.lastResponseAt,
  }));

  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      service.killGroup('SIGKILL');
      reject(new Error(`${script} did not print its port within ${startTimeoutMs} ms:\n${stderr}`));
    }, startTimeoutMs);
    void announced.then((port) => {
      clearTimeout(timer);
      resolve(port);
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${exit.code ?? exit.signal}) before listening:\n${stderr}`));
    });
  });
  // A child that exited after listening leaves `ready` rejected late; nobody waits for it then.
  ready.catch(() => {});

  return {
    child: service.child,
    ready,
    exited,
    stderr: () => stderr,
    /** Sends the signal; returns when (ms since the epoch, the clock of the load's records). */
    signal: (name) => service.signal(name),
  };
}

/**
 * The shutdown every scenario runs: SIGTERM to the server, then its exit, killing it with SIGKILL at
 * `hardLimitMs`. `onSignal(signalAt)` runs right after the signal is sent (the load reads it to
 * tell in-flight from later work).
 * @param {ReturnType<typeof startServer>} server
 * @param {{ hardLimitMs: number, onSignal?: (signalAt: number) => void }} options
 */
export async function signalUntilExit(server, { hardLimitMs, onSignal }) {
  const signalAt = server.signal('SIGTERM');
  onSignal?.(signalAt);
  let killed = false;
  const hardLimit = setTimeout(() => {
    killed = true;
    server.child.kill('SIGKILL');
  }, hardLimitMs);
  const exit = await server.exited;
  clearTimeout(hardLimit);
  return { signalAt, exit, killed };
}

export function killAllChildren() {
  killAllServices();
}

export { now };
