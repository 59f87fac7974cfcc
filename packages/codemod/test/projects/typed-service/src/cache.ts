let cached = new Map<string, string>();

async function reload(): Promise<Map<string, string>> {
  return new Map([['at', new Date().toISOString()]]);
}

export function startRefresh(intervalMs: number): NodeJS.Timeout {
  return setInterval(() => {
    reload().then((fresh) => {
      cached = fresh;
    });
  }, intervalMs);
}

export async function settle(ms: number): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, ms));
}

function retryLater(attempt: number): void {
  if (attempt > 3) return;
  setTimeout(() => retryLater(attempt + 1), 100 * attempt);
}

export function lookup(key: string): string | undefined {
  retryLater(1);
  return cached.get(key);
}
