/** `settings.quiesce` in an ESLint config: read once per settings object, validated with errors that say what to fix. */
export interface QuiesceSettings {
  /** Module specifiers whose exports count as tracked, besides the shim itself. */
  trackers: readonly string[];
  /** Which timers `no-untracked-timer` reports besides `setInterval` (shared with `no-untracked-async-callback`). */
  timers: { setTimeout: boolean; setImmediate: boolean };
  /** Forces the role of every file the config object applies to (scope it with ESLint's `files`); else inferred. */
  role: Role | undefined;
  /** Globs (relative to ESLint's `cwd`) of service entry files, besides those the package declares. */
  entries: readonly string[];
  /** JavaScript linted without a program gets one that infers its types (default true): src/detect/inference.ts. */
  inferJavaScript: boolean;
  /** Type names (classes or interfaces, matched along base types) whose listener methods drop what listeners return. */
  emitters: readonly string[];
}

export type Role = 'service' | 'library' | 'browser' | 'test';
export const roles: readonly Role[] = ['service', 'library', 'browser', 'test'];
const knownSettings = new Set(['trackers', 'timers', 'role', 'entries', 'inferJavaScript', 'emitters']);

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

const defaults: QuiesceSettings = { trackers: [], timers: { setTimeout: false, setImmediate: false }, role: undefined, entries: [], inferJavaScript: true, emitters: [] };

function parse(raw: Record<string, unknown>): QuiesceSettings {
  for (const key of Object.keys(raw)) {
    if (!knownSettings.has(key)) {
      throw new TypeError(`settings.quiesce.${key} is not a known setting: use ${[...knownSettings].map((name) => `"${name}"`).join(', ')}.`);
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
  const role = raw['role'];
  if (role !== undefined && !roles.includes(role as Role)) {
    throw new TypeError(
      `settings.quiesce.role must be one of ${roles.map((name) => `"${name}"`).join(', ')} (got ${JSON.stringify(role)}); scope it to files with ESLint's \`files\`.`,
    );
  }
  const entries = raw['entries'] ?? [];
  if (!Array.isArray(entries) || entries.some((entry) => typeof entry !== 'string' || entry.length === 0)) {
    throw new TypeError('settings.quiesce.entries must be an array of globs relative to the ESLint working directory, e.g. ["src/main.ts"].');
  }
  const emitters = raw['emitters'] ?? [];
  if (!Array.isArray(emitters) || emitters.some((entry) => typeof entry !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(entry))) {
    throw new TypeError('settings.quiesce.emitters must be an array of type names (identifiers), e.g. ["TypedEmitter"].');
  }
  const inferJavaScript = raw['inferJavaScript'] ?? true;
  if (typeof inferJavaScript !== 'boolean') {
    throw new TypeError(`settings.quiesce.inferJavaScript must be true or false (got ${JSON.stringify(inferJavaScript)}).`);
  }
  return {
    inferJavaScript,
    emitters: emitters as string[],
    trackers: trackers as string[],
    timers: { setTimeout: timerFlags['setTimeout'] === true, setImmediate: timerFlags['setImmediate'] === true },
    role: role as Role | undefined,
    entries: entries as string[],
  };
}

/** `node:timers` and `timers` are the same module. */
export function normaliseModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
}

export function isTrackerModule(specifier: string, settings: QuiesceSettings): boolean {
  return specifier === shimModule || specifier === shimRegisterModule || settings.trackers.includes(specifier);
}
