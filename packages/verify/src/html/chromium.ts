// Where the system's Chromium is, for the page's browser test and scripts/screenshot.mjs: both drive
// Debian's `chromium` package with playwright-core rather than a browser downloaded by Playwright.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/** QUIESCE_CHROMIUM when set, else the first Chromium on PATH; a clear error when there is none. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QUIESCE_CHROMIUM) return env.QUIESCE_CHROMIUM;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  throw new Error(
    `No Chromium found on PATH (looked for ${NAMES.join(', ')}). Install Debian's chromium package (apt-get install -y chromium) or set QUIESCE_CHROMIUM to a Chromium executable.`,
  );
}
