// The service under test as a child process in a process group of its own, so that whatever it
// starts (a shell, npm, workers) is killed with it. Its output is read line by line (for
// --ready-line and the report's tail); its exit is timed when it happens.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import { now } from './clock.js';

export interface ServiceExit {
  /** When this process saw the exit (the `exit` event). */
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartServiceOptions {
  command: string;
  args?: string[];
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string | undefined>;
  /** How many of the last output lines to keep. */
  tailLines?: number;
  /** Every output line, as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

const live = new Set<ServiceProcess>();

export class ServiceProcess {
  readonly child: ChildProcess;
  readonly startedAt = now();
  exit: ServiceExit | undefined;
  /** Resolves once the process exited and its output was read to the end. */
  readonly exited: Promise<ServiceExit>;
  readonly #tail: string[] = [];
  readonly #tailLines: number;
  readonly #lineListeners = new Set<(line: string) => void>();
  /** Set when the spawn itself failed (command not found): the error, for the report. */
  spawnError: Error | undefined;

  constructor(options: StartServiceOptions) {
    this.#tailLines = options.tailLines ?? 40;
    this.child = spawn(options.command, options.args ?? [], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: killGroup() reaches its children too.
      detached: true,
    });
    live.add(this);
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: this.child[stream]! }).on('line', (line) => {
        this.#tail.push(line);
        if (this.#tail.length > this.#tailLines) this.#tail.shift();
        options.onLine?.(line, stream);
        for (const listener of this.#lineListeners) listener(line);
      });
    }
    this.exited = new Promise((resolve) => {
      let exit: ServiceExit | undefined;
      const settle = () => {
        live.delete(this);
        resolve(exit ?? { at: now(), code: null, signal: null });
      };
      this.child.once('error', (error) => {
        this.spawnError = error;
        this.exit ??= { at: now(), code: null, signal: null };
        exit = this.exit;
        settle();
      });
      this.child.once('exit', (code, signal) => {
        exit = { at: now(), code, signal };
        this.exit = exit;
        // Whatever it left behind in its group goes too; that also lets its pipes close.
        this.killGroup('SIGKILL');
      });
      // 'close' comes once its output was read to the end, so its last line has been seen.
      this.child.once('close', settle);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last lines of its stdout and stderr, interleaved as they arrived. */
  outputTail(): string[] {
    return [...this.#tail];
  }

  /** Calls `listener` with every later output line; returns the function that stops it. */
  onLine(listener: (line: string) => void): () => void {
    this.#lineListeners.add(listener);
    return () => this.#lineListeners.delete(listener);
  }

  /** Sends a signal to the service's own process (as Kubernetes does to PID 1); returns when. */
  signal(signal: NodeJS.Signals): number {
    const at = now();
    if (this.exit === undefined) this.child.kill(signal);
    return at;
  }

  /** Sends a signal to the whole process group (the service and everything it started). */
  killGroup(signal: NodeJS.Signals = 'SIGKILL'): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  }

  /** Kills the group and waits until the process is gone. */
  async kill(): Promise<ServiceExit> {
    this.killGroup('SIGKILL');
    return this.exited;
  }
}

export function startService(options: StartServiceOptions): ServiceProcess {
  return new ServiceProcess(options);
}

/** Kills every service started here that is still running (for `exit` handlers and test cleanup). */
export function killAllServices(): void {
  for (const service of live) service.killGroup('SIGKILL');
}

/** Waits for every service still running to be gone, after killing each. */
export async function killAllServicesAndWait(): Promise<void> {
  await Promise.all([...live].map((service) => service.kill()));
}

/** The shell's view of an exit: the code, or 128 + n when a signal ended the process. */
export function exitCodeOf(exit: Pick<ServiceExit, 'code' | 'signal'>): number {
  if (exit.code !== null) return exit.code;
  return 128 + (exit.signal === null ? 0 : constants.signals[exit.signal]);
}
