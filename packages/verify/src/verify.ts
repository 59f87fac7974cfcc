// One verification: start the service, wait until it is ready, load it, send the signal mid-load,
// keep loading (unless told not to) until it exits or the hard limit kills it, then judge what
// happened to every request and what the shim's timeline says. `runs` repeats it with a fresh
// process each time.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { now } from './clock.js';
import { startHttpLoad, type HttpLoad } from './load/http.js';
import { importLoadFunction, workRecord, type LoadContext, type LoadFunction, type WorkUnit } from './load/module.js';
import { resolveOptions, type ResolvedOptions, type VerifyOptions } from './options.js';
import { markAgainstSignal } from './outcome.js';
import { NotReadyError, waitUntilReady } from './ready.js';
import type { RequestRecord, RunReport, VerifyReport } from './report-types.js';
import { startService, type ServiceExit } from './service.js';
import { TIMELINE_ENV, readServiceTimeline, removeServiceTimeline } from './timeline.js';
import { judge } from './verdict.js';

/** How long a --load function may take to return after the service exited. */
const LOAD_SETTLE_MS = 10_000;
/** How long --after-requests waits for its count when no --duration bounds the load. */
const AFTER_REQUESTS_WAIT_MS = 60_000;

/** Runs the verification `runs` times and reports each run; throws a UsageError for bad options. */
export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const resolved = resolveOptions(options);
  const loadFunction =
    typeof resolved.load === 'string' ? await importLoadFunction(resolved.load, resolved.cwd) : resolved.load;
  const runs: RunReport[] = [];
  for (let run = 1; run <= resolved.runs; run += 1) {
    const report = await runOnce(resolved, run, loadFunction);
    runs.push(report);
    options.onRun?.(report);
  }
  return {
    version: 1,
    command: [resolved.command, ...resolved.args],
    options: reportedOptions(resolved),
    runs,
    verdict: runs.every((run) => run.verdict === 'pass') ? 'pass' : 'fail',
  };
}

function reportedOptions(resolved: ResolvedOptions): Record<string, unknown> {
  const { ready, load, env, command: _command, args: _args, ...rest } = resolved;
  return {
    ...rest,
    ready: ready.kind === 'url' ? { url: ready.url.href } : ready.kind === 'port' ? { host: ready.host, port: ready.port } : { line: String(ready.pattern) },
    load: load === undefined ? 'http' : typeof load === 'string' ? load : load.name || 'function',
    env,
  };
}

interface RunningLoad {
  records: () => RequestRecord[];
  finished: () => number;
  /** Resolves once every unit's outcome is known; the problems found on the way. */
  settle: () => Promise<string[]>;
}

function startLoadFor(
  resolved: ResolvedOptions,
  loadFunction: LoadFunction | undefined,
  context: Omit<LoadContext, 'record' | 'signal' | 'now'> & { shouldContinue: () => boolean; abort: AbortController },
): RunningLoad {
  if (loadFunction === undefined) {
    let next = 0;
    let finished = 0;
    const http: HttpLoad = startHttpLoad({
      host: resolved.host,
      port: context.port!,
      nextRequest: () => resolved.requests[next++ % resolved.requests.length]!,
      keepAlive: resolved.keepAlive,
      concurrency: resolved.concurrency,
      ...(resolved.rate === undefined ? {} : { ratePerSecond: resolved.rate }),
      shouldContinue: context.shouldContinue,
      requestTimeoutMs: resolved.requestTimeoutMs,
      onRecord: () => {
        finished += 1;
      },
    });
    return {
      records: () => http.records,
      finished: () => finished,
      settle: async () => {
        await http.done;
        http.close();
        return [];
      },
    };
  }
  const records: RequestRecord[] = [];
  const problems: string[] = [];
  const loadContext: LoadContext = {
    signal: context.abort.signal,
    record: (unit: WorkUnit) => {
      records.push(workRecord(unit, records.length + 1));
    },
    now,
    signalSent: context.signalSent,
    serviceExited: context.serviceExited,
    pid: context.pid,
    host: context.host,
    port: context.port,
    env: context.env,
  };
  const running = Promise.resolve()
    .then(() => loadFunction(loadContext))
    .catch((error: unknown) => {
      problems.push(`the --load function threw: ${error instanceof Error ? error.message : String(error)}`);
    });
  return {
    records: () => records,
    finished: () => records.length,
    settle: async () => {
      await context.serviceExited;
      const settled = await raceTimeout(running.then(() => true), LOAD_SETTLE_MS, false);
      if (!settled) problems.push(`the --load function did not return within ${LOAD_SETTLE_MS} ms of the exit; its later units are not counted`);
      return problems;
    },
  };
}

async function runOnce(resolved: ResolvedOptions, run: number, loadFunction: LoadFunction | undefined): Promise<RunReport> {
  const timelineFile = join(tmpdir(), `quiesce-verify-${process.pid}-${run}-${randomUUID()}.jsonl`);
  const env = { ...resolved.env, [TIMELINE_ENV]: timelineFile };
  const service = startService({ command: resolved.command, args: resolved.args, cwd: resolved.cwd, env });
  const base = { run, startedAt: service.startedAt, signal: resolved.signal };
  try {
    let readyAt: number;
    let port = resolved.port;
    try {
      const ready = await waitUntilReady(service, resolved.ready, resolved.readyTimeoutMs);
      readyAt = ready.at;
      port ??= ready.port;
    } catch (error) {
      if (!(error instanceof NotReadyError)) throw error;
      service.killGroup('SIGKILL');
      const exit = await service.exited;
      return notReadyReport(base, error.message, exit, service.outputTail());
    }
    if (loadFunction === undefined && port === undefined) {
      service.killGroup('SIGKILL');
      const message = `--ready-line ${String(resolved.ready.kind === 'line' ? resolved.ready.pattern : '')} matched a line without a (?<port>…) group value, and no --url or --port names the port`;
      return notReadyReport(base, message, await service.exited, service.outputTail());
    }

    let signalAt: number | null = null;
    let exited = false;
    const loadStartedAt = now();
    const stopAt = resolved.durationMs === undefined ? Number.POSITIVE_INFINITY : loadStartedAt + resolved.durationMs;
    const abort = new AbortController();
    let resolveSignalSent!: (at: number) => void;
    const signalSent = new Promise<number>((resolve) => {
      resolveSignalSent = resolve;
    });
    const shouldContinue = () => !exited && now() < stopAt && !(resolved.stopLoadAtSignal && signalAt !== null);
    const load = startLoadFor(resolved, loadFunction, {
      shouldContinue,
      abort,
      signalSent,
      serviceExited: service.exited,
      pid: service.pid,
      host: resolved.host,
      port,
      env: { ...process.env, ...env },
    });
    const durationTimer = Number.isFinite(stopAt) ? setTimeout(() => abort.abort(), stopAt - loadStartedAt) : undefined;
    const exitedEarly = service.exited.then(() => 'exited' as const);

    const loadProblems: string[] = [];
    if (resolved.afterRequests === undefined) {
      await raceTimeout(exitedEarly, resolved.afterMs!, 'time');
    } else {
      const target = resolved.afterRequests;
      const waitUntil = now() + (resolved.durationMs ?? AFTER_REQUESTS_WAIT_MS);
      while (load.finished() < target && service.exit === undefined && now() < waitUntil) await sleep(5);
      if (load.finished() < target && service.exit === undefined) {
        loadProblems.push(`only ${load.finished()} of --after-requests ${target} finished in time; the signal was sent then`);
      }
    }

    let killedAt: number | undefined;
    let hardLimit: NodeJS.Timeout | undefined;
    if (service.exit === undefined) {
      signalAt = service.signal(resolved.signal);
      resolveSignalSent(signalAt);
      if (resolved.stopLoadAtSignal) abort.abort();
      hardLimit = setTimeout(() => {
        killedAt = now();
        service.killGroup('SIGKILL');
      }, resolved.hardLimitMs);
    } else {
      loadProblems.push(`the service exited (${describeExit(service.exit)}) before the signal was sent`);
    }
    const exit = await service.exited;
    clearTimeout(hardLimit);
    clearTimeout(durationTimer);
    exited = true;
    abort.abort();
    loadProblems.push(...(await load.settle()));

    const parsed = await readServiceTimeline(timelineFile);
    const records = markAgainstSignal([...load.records()], signalAt);
    if (killedAt !== undefined) {
      // Cut off by the kill after waiting all along: they hung, the reset is only how they ended.
      for (const record of records) {
        if (record.end >= killedAt && record.start < killedAt && record.outcome === 'reset') {
          record.outcome = 'hung';
          record.error = 'no response until the service was killed at --hard-limit';
        }
      }
    }
    // The last work: the last answer, or the end of the shim's drain and cleanup (work it tracked
    // that no response shows: a job, a notification), whichever came later. A drain the deadline
    // cut off did not end its work, so then only the answers count. With the shim's timeline the
    // exit is its own `exit` event: what this process sees comes late by its event loop's delay,
    // which under load is tens of ms; answers it saw after that exit were sent before it.
    // A cluster's workers drain before their primary exits: their phase ends are work too, but the
    // exit is the service process's own.
    const events = parsed.events ?? [];
    const deadlineHit = events.some((event) => event.event === 'deadline');
    const ownExit = events.findLast((event) => event.event === 'exit' && event.worker === undefined);
    const exitAt = ownExit?.t ?? exit.at;
    const lastWorkAt = Math.max(
      signalAt ?? Number.NEGATIVE_INFINITY,
      ...records.filter((record) => record.outcome === 'completed' && record.end <= exitAt).map((record) => record.end),
      ...(deadlineHit ? [] : events.filter((event) => event.event === 'phase-end' && event.t <= exitAt).map((event) => event.t)),
    );
    const exitLagMs = killedAt === undefined && signalAt !== null ? Math.max(0, exitAt - lastWorkAt) : null;
    const timeline = parsed.events;
    const checks = judge({
      signal: resolved.signal,
      signalAt,
      exitAt: exit.at,
      exitCode: exit.code,
      exitSignal: exit.signal,
      ...(killedAt === undefined || signalAt === null ? {} : { killedAtHardLimitMs: killedAt - signalAt }),
      exitLagMs,
      maxExitLagMs: resolved.maxExitLagMs,
      records,
      loadProblems,
      timeline,
      unitName: loadFunction === undefined ? 'request' : 'work unit',
    });
    const outputTail = service.outputTail();
    for (const { worker, lines } of parsed.skipped) {
      outputTail.push(`[quiesce-verify] ${worker === undefined ? '' : `worker ${worker}'s `}timeline lines not understood and skipped: ${lines.join(', ')}`);
    }
    return {
      ...base,
      readyAt,
      signalAt,
      exitAt: exit.at,
      exitCode: exit.code,
      exitSignal: exit.signal,
      exitLagMs,
      ...(exitLagMs === null ? {} : { exitLagSource: ownExit === undefined ? ('observed' as const) : ('timeline' as const) }),
      requests: loadFunction === undefined ? records : [],
      work: loadFunction === undefined ? [] : records,
      timeline,
      outputTail,
      checks,
      verdict: checks.every((check) => check.passed) ? 'pass' : 'fail',
    };
  } finally {
    await service.kill();
    await removeServiceTimeline(timelineFile);
  }
}

/** The promise's value, or `fallback` after `ms`; the timer is cleared either way (it never holds the process). */
async function raceTimeout<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  const cancel = new AbortController();
  try {
    const timeout = sleep(ms, fallback, { signal: cancel.signal }).catch(() => fallback);
    return await Promise.race([promise, timeout]);
  } finally {
    cancel.abort();
  }
}

function describeExit(exit: ServiceExit): string {
  return exit.signal === null ? `code ${exit.code}` : `killed by ${exit.signal}`;
}

function notReadyReport(
  base: Pick<RunReport, 'run' | 'startedAt' | 'signal'>,
  message: string,
  exit: ServiceExit,
  outputTail: string[],
): RunReport {
  const checks = judge({
    signal: base.signal,
    signalAt: null,
    notReady: message,
    exitAt: exit.at,
    exitCode: exit.code,
    exitSignal: exit.signal,
    exitLagMs: null,
    maxExitLagMs: 0,
    records: [],
    loadProblems: [],
    timeline: null,
    unitName: 'request',
  });
  return {
    ...base,
    readyAt: null,
    signalAt: null,
    exitAt: exit.at,
    exitCode: exit.code,
    exitSignal: exit.signal,
    exitLagMs: null,
    requests: [],
    work: [],
    timeline: null,
    outputTail,
    checks,
    verdict: 'fail',
  };
}
