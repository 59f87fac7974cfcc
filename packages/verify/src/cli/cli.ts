// `quiesce-verify [options] -- <command…>`: the CLI over verify(). Exit 0 when every run passed,
// 1 when one failed, 2 for bad input (the message names the flag and what to do).
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { formatReport, formatRun } from '../format.js';
import { renderTimelineHtml } from '../html/index.js';
import type { VerifyOptions } from '../options.js';
import { killAllServices } from '../service.js';
import { verify } from '../verify.js';

export const USAGE = `Usage: quiesce-verify [options] -- <command…>

Starts the service, waits until it is ready, loads it, sends a signal mid-load and checks that
nothing in flight was lost. Exit code: 0 pass, 1 fail, 2 usage error.

Readiness (one of):
  --ready-url <url>         ready when a GET answers below 500
  --port <n>                ready when 127.0.0.1:<n> (or --url's host) accepts a connection
  --ready-line <regex>      ready at an output line matching it; a (?<port>\\d+) group gives the port
  --ready-timeout <ms>      give up after this long (default 10000)

HTTP load:
  --url <url>               target (default path: its path)
  --path <[METHOD ]path>    a path to request, repeatable, round-robin ("POST /orders")
  --body <text>             body of non-GET requests (sent as JSON when it parses as JSON)
  --concurrency <n>         workers, one request at a time each (default 10)
  --rate <n>                requests per second across all workers (default unpaced)
  --keep-alive | --no-keep-alive   pooled connections or one per request (default keep-alive)
  --request-timeout <ms>    no response by then is "hung" (default 10000)
Other load:
  --load <module>           export default async function load({ signal, record, … }) (see README)
  --duration <ms>           stop the load this long after it started (default: at the exit)

Signal and verdict:
  --signal <name>           default SIGTERM
  --after <ms>              send it this long after the load started (default 1000)
  --after-requests <n>      or once n requests finished
  --stop-load-at-signal     stop sending at the signal (default: keep loading until the exit)
  --max-exit-lag <ms>       fail if the exit comes later than this after the last work (default 100)
  --hard-limit <ms>         kill the service's process group this long after the signal (default 30000)
  --runs <n>                repeat with a fresh process, report each run (default 1)

Service:
  --env <KEY=VALUE>         add to the service's environment, repeatable
  --cwd <dir>               run it there

Output:
  --format text|json        default text
  --html <file>             also write the timeline as one self-contained HTML page
  --help, --version
`;

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(flag, `expected a number, got "${text}"`);
  return value;
}

export interface ParsedCli {
  options: VerifyOptions;
  format: 'text' | 'json';
  html: string | undefined;
}

/** Turns argv (without node and the script) into verify() options; throws UsageError. */
export function parseCli(argv: string[]): ParsedCli | 'help' | 'version' {
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const command = separator === -1 ? [] : argv.slice(separator + 1);
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: own,
      allowPositionals: true,
      strict: true,
      options: {
        'ready-url': { type: 'string' },
        port: { type: 'string' },
        'ready-line': { type: 'string' },
        'ready-timeout': { type: 'string' },
        url: { type: 'string' },
        path: { type: 'string', multiple: true },
        body: { type: 'string' },
        concurrency: { type: 'string' },
        rate: { type: 'string' },
        'keep-alive': { type: 'boolean' },
        'no-keep-alive': { type: 'boolean' },
        'request-timeout': { type: 'string' },
        load: { type: 'string' },
        duration: { type: 'string' },
        signal: { type: 'string' },
        after: { type: 'string' },
        'after-requests': { type: 'string' },
        'stop-load-at-signal': { type: 'boolean' },
        'max-exit-lag': { type: 'string' },
        'hard-limit': { type: 'string' },
        runs: { type: 'string' },
        env: { type: 'string', multiple: true },
        cwd: { type: 'string' },
        format: { type: 'string' },
        html: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    }));
  } catch (error) {
    const message = (error as Error).message;
    const flag = /'(-[^']+)'/.exec(message)?.[1] ?? 'arguments';
    throw new UsageError(flag, `${message.replace(/\. To specify a positional argument.*$/s, '')}; see quiesce-verify --help`);
  }
  if (values['help']) return 'help';
  if (values['version']) return 'version';
  if (positionals.length > 0) {
    throw new UsageError(positionals[0]!, 'unexpected argument: put the service\'s command after "--" (quiesce-verify --port 3000 -- node server.js)');
  }
  if (values['keep-alive'] && values['no-keep-alive']) throw new UsageError('--keep-alive, --no-keep-alive', 'give one of them');
  const format = (values['format'] as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format', `expected text or json, got "${format}"`);
  const env: Record<string, string> = {};
  for (const pair of (values['env'] as string[] | undefined) ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError('--env', `expected KEY=VALUE, got "${pair}"`);
    env[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  const str = (name: string) => values[name] as string | undefined;
  const options: VerifyOptions = { command, env };
  const set = <K extends keyof VerifyOptions>(key: K, value: VerifyOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('cwd', str('cwd') === undefined ? undefined : resolve(str('cwd')!));
  set('readyUrl', str('ready-url'));
  set('port', number('--port', str('port')));
  set('readyLine', str('ready-line'));
  set('readyTimeoutMs', number('--ready-timeout', str('ready-timeout')));
  set('url', str('url'));
  set('paths', values['path'] as string[] | undefined);
  set('body', str('body'));
  set('concurrency', number('--concurrency', str('concurrency')));
  set('rate', number('--rate', str('rate')));
  set('keepAlive', values['no-keep-alive'] ? false : values['keep-alive'] ? true : undefined);
  set('requestTimeoutMs', number('--request-timeout', str('request-timeout')));
  set('load', str('load'));
  set('durationMs', number('--duration', str('duration')));
  set('signal', str('signal') as NodeJS.Signals | undefined);
  set('afterMs', number('--after', str('after')));
  set('afterRequests', number('--after-requests', str('after-requests')));
  set('stopLoadAtSignal', values['stop-load-at-signal'] ? true : undefined);
  set('maxExitLagMs', number('--max-exit-lag', str('max-exit-lag')));
  set('hardLimitMs', number('--hard-limit', str('hard-limit')));
  set('runs', number('--runs', str('runs')));
  return { options, format, html: str('html') };
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`quiesce-verify: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (parsed === 'help') {
    out.write(USAGE);
    return 0;
  }
  if (parsed === 'version') {
    out.write(`${packageVersion()}\n`);
    return 0;
  }
  const { options, format, html } = parsed;
  const runs = options.runs ?? 1;
  if (format === 'text' && runs > 1) options.onRun = (run) => err.write(`${formatRun(run, runs).split('\n')[0]}\n`);
  let report;
  try {
    report = await verify(options);
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`quiesce-verify: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  out.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  if (html !== undefined) {
    const file = resolve(html);
    await writeFile(file, renderTimelineHtml(report));
    (format === 'json' ? err : out).write(`timeline: ${file}\n`);
  }
  return report.verdict === 'pass' ? 0 : 1;
}

// Whatever ends quiesce-verify, the service's process group goes with it.
process.once('exit', killAllServices);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAllServices();
    process.exit(130);
  });
}
process.exitCode = await main(process.argv.slice(2));
