/** `settings.quiesce` in an ESLint config: read once per settings object, validated with errors that say what to fix. */
export interface QuiesceSettings {
  /** Module specifiers whose exports count as tracked, besides the shim itself. */
  trackers: readonly string[];
  /** Which timers `no-untracked-timer` reports besides `setInterval` (shared with `no-untracked-async-callback`). */
  timers: { setTimeout: boolean; setImmediate: boolean };
}

export const shimModule = '@quiesce/runtime-shim';
export const shimRegisterModule = '@quiesce/runtime-shim/register';

const cache = new WeakMap<object, QuiesceSettings>();

export function readSettings(settings: Readonly<Record<string, unknown>> | undefined): QuiesceSettings {
  const raw = settings?.['quiesce'];
  if (raw === undefined) return defaults;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TypeError('settings.quiesce must be an object such as { trackers: ["@acme/lifecycle"] }.');
  }
  const cached = cache.get(raw);
  if (cached) return cached;
  const parsed = parse(raw as Record<string, unknown>);
  cache.set(raw, parsed);
  return parsed;
}

const defaults: QuiesceSettings = { trackers: [], timers: { setTimeout: false, setImmediate: false } };

function parse(raw: Record<string, unknown>): QuiesceSettings {
  for (const key of Object.keys(raw)) {
    if (key !== 'trackers' && key !== 'timers') {
      throw new TypeError(`settings.quiesce.${key} is not a known setting: use "trackers" or "timers".`);
    }
  }
  const trackers = raw['trackers'] ?? [];
  if (!Array.isArray(trackers) || trackers.some((entry) => typeof entry !== 'string' || entry.length === 0)) {
    throw new TypeError(
      'settings.quiesce.trackers must be an array of module specifiers (non-empty strings), e.g. ["@acme/lifecycle"].',
    );
  }
  const timers = raw['timers'] ?? {};
  if (typeof timers !== 'object' || timers === null || Array.isArray(timers)) {
    throw new TypeError('settings.quiesce.timers must be an object such as { setTimeout: true, setImmediate: false }.');
  }
  const timerFlags = timers as Record<string, unknown>;
  for (const [key, value] of Object.entries(timerFlags)) {
    if ((key !== 'setTimeout' && key !== 'setImmediate') || typeof value !== 'boolean') {
      throw new TypeError(
        `settings.quiesce.timers.${key} is not valid: only setTimeout and setImmediate, each true or false.`,
      );
    }
  }
  return {
    trackers: trackers as string[],
    timers: { setTimeout: timerFlags['setTimeout'] === true, setImmediate: timerFlags['setImmediate'] === true },
  };
}

/** `node:timers` and `timers` are the same module. */
export function normaliseModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
}

export function isTrackerModule(specifier: string, settings: QuiesceSettings): boolean {
  return specifier === shimModule || specifier === shimRegisterModule || settings.trackers.includes(specifier);
}
