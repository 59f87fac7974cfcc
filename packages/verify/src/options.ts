// The library's options, and their checks: every bad value is a UsageError naming the CLI flag,
// thrown before anything is started.
import { constants } from 'node:os';
import { UsageError } from './errors.js';
import type { HttpRequestSpec } from './load/http.js';
import type { LoadFunction } from './load/module.js';

export interface VerifyOptions {
  /** The service's command and its arguments (`['node', 'server.js']`). */
  command: string[];
  cwd?: string;
  /** Added to the environment the service gets. */
  env?: Record<string, string>;

  // Readiness: one of these (with `url`, a TCP connection to its port is the default).
  /** Ready when a GET of this URL answers below 500. */
  readyUrl?: string;
  /** Ready when this port accepts a connection (on `url`'s host, or 127.0.0.1). */
  port?: number;
  /** Ready at the first output line (stdout or stderr) matching this; a named group `port` gives the port. */
  readyLine?: RegExp | string;
  /** Default 10000. */
  readyTimeoutMs?: number;

  // HTTP load.
  /** Where the load goes (`http://127.0.0.1:3000`); its path is the default path. */
  url?: string;
  /** Paths sent round-robin, each optionally prefixed by a method: `'POST /orders'`. Default: `url`'s path, or `/`. */
  paths?: string[];
  /** Body of requests whose method is not GET or HEAD; sent as JSON when it parses as JSON. */
  body?: string;
  /** Default 10. */
  concurrency?: number;
  /** Requests per second across all workers; default unpaced. */
  rate?: number;
  /** Default true (a load balancer's pooled connections). */
  keepAlive?: boolean;
  /** Default 10000: a request with no response by then is `hung`. */
  requestTimeoutMs?: number;

  /** Non-HTTP load: a module path (its default export) or the function itself. Replaces HTTP load. */
  load?: string | LoadFunction;

  /** How long the load runs from readiness, at most; default: until the service exits. */
  durationMs?: number;
  /** Default 'SIGTERM'. */
  signal?: NodeJS.Signals;
  /** Send the signal this long after the load started (default 1000, unless `afterRequests`). */
  afterMs?: number;
  /** Send the signal once this many requests (or work units) finished. */
  afterRequests?: number;
  /** Stop sending at the signal; by default the load goes on until the exit (as a lagging load balancer's). */
  stopLoadAtSignal?: boolean;
  /** Fail when the exit comes later than this after the last finished work; default 100. */
  maxExitLagMs?: number;
  /** Kill the service's process group this long after the signal; default 30000. */
  hardLimitMs?: number;
  /** Default 1. */
  runs?: number;
  /** Called after each run (the CLI prints progress with it). */
  onRun?: (run: import('./report-types.js').RunReport) => void;
}

/** Options with defaults applied and checked. */
export interface ResolvedOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  ready: { kind: 'url'; url: URL } | { kind: 'port'; host: string; port: number } | { kind: 'line'; pattern: RegExp };
  readyTimeoutMs: number;
  host: string;
  /** Known before the run (from `url` or `port`), or learnt from the ready line. */
  port: number | undefined;
  requests: HttpRequestSpec[];
  concurrency: number;
  rate: number | undefined;
  keepAlive: boolean;
  requestTimeoutMs: number;
  load: string | LoadFunction | undefined;
  durationMs: number | undefined;
  signal: NodeJS.Signals;
  afterMs: number | undefined;
  afterRequests: number | undefined;
  stopLoadAtSignal: boolean;
  maxExitLagMs: number;
  hardLimitMs: number;
  runs: number;
}

/** The CLI flag of each library option, for error messages. */
export const FLAG_OF: Record<string, string> = {
  command: '-- <command…>',
  readyUrl: '--ready-url',
  port: '--port',
  readyLine: '--ready-line',
  readyTimeoutMs: '--ready-timeout',
  url: '--url',
  paths: '--path',
  body: '--body',
  concurrency: '--concurrency',
  rate: '--rate',
  requestTimeoutMs: '--request-timeout',
  load: '--load',
  durationMs: '--duration',
  signal: '--signal',
  afterMs: '--after',
  afterRequests: '--after-requests',
  maxExitLagMs: '--max-exit-lag',
  hardLimitMs: '--hard-limit',
  runs: '--runs',
};

function wholeNumber(option: keyof typeof FLAG_OF, value: number | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(FLAG_OF[option]!, `expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

const METHOD_PREFIX = /^([A-Z]+)\s+(\/\S*)$/;

function requestSpecs(paths: string[], defaultPath: string, body: string | undefined): HttpRequestSpec[] {
  const specs = (paths.length === 0 ? [defaultPath] : paths).map((text): HttpRequestSpec => {
    const prefixed = METHOD_PREFIX.exec(text.trim());
    const [method, path] = prefixed === null ? ['GET', text.trim()] : [prefixed[1]!, prefixed[2]!];
    if (!path.startsWith('/')) {
      throw new UsageError('--path', `"${text}" is not a path: give one starting with "/", optionally after a method ("POST /orders")`);
    }
    const spec: HttpRequestSpec = { method, path };
    if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
      spec.body = body;
      spec.headers = { 'content-type': isJson(body) ? 'application/json' : 'text/plain' };
    }
    return spec;
  });
  return specs;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function parseUrl(option: 'url' | 'readyUrl', text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(FLAG_OF[option]!, `"${text}" is not a URL: give one like http://127.0.0.1:3000/`);
  }
  if (url.protocol !== 'http:') throw new UsageError(FLAG_OF[option]!, `only http: URLs are supported, got ${url.protocol}`);
  return url;
}

export function resolveOptions(options: VerifyOptions): ResolvedOptions {
  const [command, ...args] = options.command ?? [];
  if (command === undefined || command === '') {
    throw new UsageError('-- <command…>', 'no command to run: put the service\'s command after "--" (quiesce-verify --port 3000 -- node server.js)');
  }
  const signal = options.signal ?? 'SIGTERM';
  if (!(signal in constants.signals)) {
    throw new UsageError('--signal', `"${signal}" is not a signal name: use SIGTERM, SIGINT, SIGHUP, …`);
  }
  if (signal === 'SIGKILL' || signal === 'SIGSTOP') {
    throw new UsageError('--signal', `${signal} cannot be handled, so there is no shutdown to verify: use SIGTERM or SIGINT`);
  }
  const url = options.url === undefined ? undefined : parseUrl('url', options.url);
  const host = url?.hostname.replace(/^\[|\]$/g, '') ?? '127.0.0.1';
  const port = wholeNumber('port', options.port, 1) ?? (url === undefined ? undefined : Number(url.port || 80));
  if (port !== undefined && port > 65535) throw new UsageError('--port', `${port} is not a port: use 1 to 65535`);

  let readyLine: RegExp | undefined;
  if (options.readyLine !== undefined) {
    try {
      readyLine = typeof options.readyLine === 'string' ? new RegExp(options.readyLine) : options.readyLine;
    } catch (error) {
      throw new UsageError('--ready-line', `not a regular expression: ${(error as Error).message}`);
    }
  }
  let ready: ResolvedOptions['ready'];
  if (options.readyUrl !== undefined) ready = { kind: 'url', url: parseUrl('readyUrl', options.readyUrl) };
  else if (readyLine !== undefined) ready = { kind: 'line', pattern: readyLine };
  else if (port !== undefined) ready = { kind: 'port', host, port };
  else {
    throw new UsageError(
      '--ready-url, --port or --ready-line',
      'quiesce-verify must know when the service is ready: give one (e.g. --port 3000, or --ready-line "listening on (?<port>\\d+)")',
    );
  }

  const load = options.load;
  const httpLoad = load === undefined;
  if (httpLoad && port === undefined && !(ready.kind === 'line' && /\(\?<port>/.test(ready.pattern.source))) {
    throw new UsageError('--url or --port', 'the HTTP load needs a target: give --url, --port, or a --ready-line with a (?<port>…) group; or --load <module> for non-HTTP work');
  }
  if (options.afterMs !== undefined && options.afterRequests !== undefined) {
    throw new UsageError('--after, --after-requests', 'give one of them: the signal is sent at a time or after a number of requests, not both');
  }
  const rate = options.rate;
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) {
    throw new UsageError('--rate', `expected requests per second above 0, got ${JSON.stringify(rate)}`);
  }
  const concurrency = wholeNumber('concurrency', options.concurrency, 1) ?? 10;
  const afterRequests = wholeNumber('afterRequests', options.afterRequests, 1);
  return {
    command,
    args,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    ready,
    readyTimeoutMs: wholeNumber('readyTimeoutMs', options.readyTimeoutMs, 1) ?? 10_000,
    host,
    port,
    requests: requestSpecs(options.paths ?? [], url === undefined ? '/' : `${url.pathname}${url.search}`, options.body),
    concurrency,
    rate,
    keepAlive: options.keepAlive ?? true,
    requestTimeoutMs: wholeNumber('requestTimeoutMs', options.requestTimeoutMs, 1) ?? 10_000,
    load,
    durationMs: wholeNumber('durationMs', options.durationMs, 1),
    signal,
    afterMs: afterRequests === undefined ? (wholeNumber('afterMs', options.afterMs, 0) ?? 1000) : undefined,
    afterRequests,
    stopLoadAtSignal: options.stopLoadAtSignal ?? false,
    maxExitLagMs: wholeNumber('maxExitLagMs', options.maxExitLagMs, 0) ?? 100,
    hardLimitMs: wholeNumber('hardLimitMs', options.hardLimitMs, 1) ?? 30_000,
    runs: wholeNumber('runs', options.runs, 1) ?? 1,
  };
}
