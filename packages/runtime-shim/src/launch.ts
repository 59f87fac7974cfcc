// How this process was started, as far as signals go. SIGTERM goes to one process: PID 1 in a
// container, or the process a supervisor started. When that is a package manager (`npm start`,
// `pnpm run`, `yarn`), a shell wrapper or `node --watch`, the signal is often not passed on, or the
// wrapper exits without waiting for the drain, and the service is killed after the grace period
// with none of its handlers run. Nothing in this process can fix that, but it can say so once, at
// start-up, naming the fix. Linux reads the parents from /proc; elsewhere only the environment tells.

import { readFileSync } from 'node:fs';

export interface LaunchFacts {
  pid: number;
  ppid: number;
  env: NodeJS.ProcessEnv;
  /** Command line of a process (`/proc/<pid>/cmdline`), or undefined where it cannot be read. */
  commandOf(pid: number): string[] | undefined;
  /** Parent of a process (`/proc/<pid>/stat`), or undefined. */
  parentOf(pid: number): number | undefined;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

export function currentLaunchFacts(): LaunchFacts {
  return {
    pid: process.pid,
    ppid: process.ppid,
    env: process.env,
    commandOf: (pid) => readProc(pid, 'cmdline')?.split('\0').filter(Boolean),
    parentOf: (pid) => {
      const stat = readProc(pid, 'stat');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
      const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields?.[1]);
      return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
    },
  };
}

const shells = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

const baseName = (path: string | undefined): string => (path ?? '').split('/').pop() ?? '';

/** The package manager a command line runs, if any (`npm`, `node …/npm-cli.js`, `pnpm`, `yarn`, corepack shims). */
function packageManagerOf(command: string[] | undefined): string | undefined {
  if (command === undefined) return undefined;
  // A process that set its title (npm does: "npm run start") shows it as one string with spaces.
  const parts = command.length === 1 ? command[0]!.split(' ') : command;
  for (const part of parts.slice(0, 3)) {
    const name = baseName(part).replace(/(-cli)?\.(c?js|mjs)$/, '');
    if (name === 'npm' || name === 'pnpm' || name === 'yarn' || name === 'npx') return name;
  }
  return undefined;
}

function isShell(command: string[] | undefined): boolean {
  return command !== undefined && shells.has(baseName(command[0]).replace(/^-/, ''));
}

const silence = 'set QUIESCE_LAUNCH_CHECK=0 to silence this';

/** One warning about how signals reach this process, or undefined when nothing looks wrong. */
export function launchWarning(facts: LaunchFacts): string | undefined {
  const { env } = facts;
  if (env['QUIESCE_LAUNCH_CHECK'] === '0') return undefined;

  // A package manager's script runs this process directly or through `sh -c`.
  const parent = facts.commandOf(facts.ppid);
  const grandparentPid = isShell(parent) ? facts.parentOf(facts.ppid) : undefined;
  const manager =
    packageManagerOf(parent) ?? (grandparentPid === undefined ? undefined : packageManagerOf(facts.commandOf(grandparentPid)));
  if (manager !== undefined && env['npm_lifecycle_event'] !== undefined) {
    return (
      `started by \`${manager} run ${env['npm_lifecycle_event']}\`: ${manager} may not pass SIGTERM on to this process, or may exit ` +
      'without waiting for the drain, so in a container the shutdown may never run and the process is killed after the grace ' +
      'period. Start node directly (Dockerfile exec form: CMD ["node", "server.js"]; in Kubernetes, command: ["node", …]); ' +
      silence
    );
  }
  if (env['WATCH_REPORT_DEPENDENCIES'] !== undefined) {
    return (
      'running under `node --watch`: the watcher restarts this process on its own terms and may not wait for the drain. ' +
      `Fine while developing; in production start node without --watch; ${silence}`
    );
  }
  if (facts.ppid === 1 && isShell(parent)) {
    return (
      `started by a shell wrapper (\`${(parent ?? []).join(' ')}\`) that is PID 1: a shell does not pass SIGTERM on to its ` +
      'children, so the shutdown never runs and the process is killed after the grace period. Use `exec node …` in the script, ' +
      `or the exec form CMD ["node", "server.js"], or an init (docker run --init, tini); ${silence}`
    );
  }
  if (facts.pid === 1) {
    return (
      'running as PID 1 with no init: signals without a handler are ignored and exited children are never reaped. Run it ' +
      `under an init (docker run --init, tini, Kubernetes shareProcessNamespace or an init in the image); ${silence}`
    );
  }
  return undefined;
}
