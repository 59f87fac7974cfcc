#!/usr/bin/env node
// Writes a deterministic corpus of service-shaped TypeScript files (plus tsconfig.json and package.json) for the
// plugin's benchmark; the codemod's benchmark reuses it. Same arguments, same bytes: the random choices come from a
// seeded generator. API: generateCorpus(dir, { files = 2000 }) → { dir, files, serviceFiles, sharedFiles }.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const sharedFileCount = 20;

/** mulberry32: a tiny seeded PRNG, so that the corpus is the same on every machine. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sharedModule(index) {
  return `// Shared helpers used by many services (module ${index}).
export interface Envelope${index}<T> {
  id: string;
  receivedAt: number;
  payload: T;
}

export function wrap${index}<T>(payload: T): Envelope${index}<T> {
  return { id: \`\${Date.now()}-\${Math.random().toString(16).slice(2)}\`, receivedAt: Date.now(), payload };
}

export async function retry${index}<T>(task: () => Promise<T>, attempts = 3): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      return await task();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
    }
  }
  throw lastError;
}

export function log${index}(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(JSON.stringify({ t: Date.now(), event, ...fields }) + '\\n');
}
`;
}

/** The hazards (and their tracked counterparts) a service's start() may contain. */
const startVariants = [
  (n) => `    this.#timer = setInterval(() => this.flush(), ${1000 + n});`,
  (n) => `    this.#timer = trackedSetInterval(() => this.flush(), ${1000 + n});`,
  () => `    this.persist(this.#pending).catch((error) => log(String(error)));`,
  () => `    track(this.persist(this.#pending));`,
  () => `    void this.notify('started');`,
  () => `    this.on('item', async (item: Item) => {\n      await this.persist([item]);\n    });`,
  () => `    this.on('item', (item: Item) => {\n      this.#pending.push(item);\n    });`,
  () => `    this.#pending.forEach(async (item) => {\n      await this.persist([item]);\n    });`,
  () => `    fetch(this.url).then((response) => log(String(response.status)));`,
  () => `    const poll = async (): Promise<void> => {\n      await this.flush();\n      setTimeout(poll, 500);\n    };\n    setTimeout(poll, 0);`,
  () => `    [...this.#items.values()].map(async (item) => this.persist([item]));`,
  () => `    queueMicrotask(() => this.emit('ready'));`,
];

function serviceModule(index, random) {
  const shared = Math.floor(random() * sharedFileCount);
  const name = `Service${index}`;
  // Three different variants: the same one twice would declare a name twice.
  const chosen = new Set();
  while (chosen.size < 3) chosen.add(Math.floor(random() * startVariants.length));
  const startBody = [...chosen].map((variant) => startVariants[variant](index)).join('\n');
  const isEntry = index % 50 === 0;
  const entry = isEntry
    ? `
const service = new ${name}(process.env.DATA_DIR ?? '/tmp', 'http://127.0.0.1:9/hook');
const server = http.createServer((request, response) => {
  service.handle(String(request.url)).then(
    (body) => response.end(body),
    () => response.writeHead(500).end(),
  );
});
server.listen(${3000 + index});
process.on('SIGTERM', () => {
  log('Caught SIGTERM, exiting');
  process.exit(0);
});
`
    : '';
  return `import { EventEmitter } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
${isEntry ? "import http from 'node:http';\n" : ''}import { setInterval as trackedSetInterval, track } from '@quiesce/runtime-shim';
import { log${shared} as log, retry${shared} as retry, wrap${shared} as wrap, type Envelope${shared} as Envelope } from './shared/util-${shared}.js';

export interface Item {
  id: string;
  amount: number;
  status: 'new' | 'paid' | 'shipped';
  tags: string[];
}

export class ${name} extends EventEmitter {
  #timer: NodeJS.Timeout | undefined;
  #pending: Item[] = [];
  #items = new Map<string, Item>();
  readonly #dir: string;
  readonly url: string;

  constructor(dir: string, url: string) {
    super();
    this.#dir = dir;
    this.url = url;
  }

  async load(id: string): Promise<Item | undefined> {
    const cached = this.#items.get(id);
    if (cached) return cached;
    try {
      const text = await readFile(\`\${this.#dir}/\${id}.json\`, 'utf8');
      const item = JSON.parse(text) as Item;
      this.#items.set(id, item);
      return item;
    } catch {
      return undefined;
    }
  }

  async persist(items: Item[]): Promise<void> {
    for (const item of items) {
      await retry(() => writeFile(\`\${this.#dir}/\${item.id}.json\`, JSON.stringify(item)));
    }
  }

  async notify(event: string): Promise<void> {
    await fetch(this.url, { method: 'POST', body: JSON.stringify(wrap({ event })) });
  }

  async flush(): Promise<void> {
    const batch = this.#pending.splice(0, this.#pending.length);
    if (batch.length > 0) await this.persist(batch);
  }

  total(status: Item['status']): number {
    let sum = 0;
    for (const item of this.#items.values()) {
      if (item.status === status) sum += item.amount;
    }
    return sum;
  }

  summarize(): Envelope<Record<string, number>> {
    const byTag: Record<string, number> = {};
    for (const item of this.#items.values()) {
      for (const tag of item.tags) byTag[tag] = (byTag[tag] ?? 0) + item.amount;
    }
    return wrap(byTag);
  }

  async handle(url: string): Promise<string> {
    const id = url.split('/').pop() ?? '';
    const item = await this.load(id);
    return item ? JSON.stringify(item) : JSON.stringify(this.summarize());
  }

  start(): void {
${startBody}
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
${entry}`;
}

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'DOM'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['src'],
};

/**
 * Writes `files` service files (at least 1) plus shared helper modules under `dir/src`, and `dir/tsconfig.json` and
 * `dir/package.json`. The directory is emptied first. Deterministic: the same `files` gives the same bytes.
 */
export function generateCorpus(dir, { files = 2000 } = {}) {
  if (!Number.isInteger(files) || files < 1) {
    throw new RangeError(`generateCorpus: files must be a positive integer, got ${files}`);
  }
  const random = seededRandom(0x51e7ce);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'src', 'shared'), { recursive: true });
  writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'quiesce-bench-corpus', private: true, type: 'module' }, null, 2)}\n`);
  for (let index = 0; index < sharedFileCount; index += 1) {
    writeFileSync(path.join(dir, 'src', 'shared', `util-${index}.ts`), sharedModule(index));
  }
  for (let index = 0; index < files; index += 1) {
    writeFileSync(path.join(dir, 'src', `service-${String(index).padStart(4, '0')}.ts`), serviceModule(index, random));
  }
  return { dir, files: files + sharedFileCount, serviceFiles: files, sharedFiles: sharedFileCount };
}

export const defaultCorpusDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '.corpus');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const filesFlag = args.indexOf('--files');
  const files = filesFlag >= 0 ? Number(args[filesFlag + 1]) : 2000;
  const positional = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--files');
  const dir = path.resolve(positional[0] ?? defaultCorpusDir);
  try {
    const result = generateCorpus(dir, { files });
    console.log(`wrote ${result.files} files (${result.serviceFiles} services, ${result.sharedFiles} shared) to ${result.dir}`);
  } catch (error) {
    console.error(`generate-corpus: ${error.message}\nusage: node bench/generate-corpus.mjs [dir] [--files N]`);
    process.exit(2);
  }
}
