// @ts-check
import { delay, wallClockMs } from './clock.mjs';
import { intakeLoggedAt } from './outcome.mjs';

/**
 * Waits until the service is in the middle of its work (as `isMidWork` judges from its log, and at
 * least `minRunMs` after the start), sends SIGTERM, waits for the exit (bounded), then stops the
 * load `trailingLoadMs` later: clients keep sending while a service stops, as load balancers do.
 * @param {import('./service.mjs').Service} service
 * @param {{
 *   what: string,
 *   isMidWork: (service: import('./service.mjs').Service) => boolean,
 *   minRunMs: number,
 *   stopLoad: () => Promise<unknown>,
 *   trailingLoadMs?: number,
 * }} options
 */
export async function sigtermMidWork(service, { what, isMidWork, minRunMs, stopLoad, trailingLoadMs = 200 }) {
  const startedAt = wallClockMs();
  let signalSentAt;
  try {
    await service.waitUntil(
      `${service.name}: ${what}`,
      (current) => (wallClockMs() - startedAt >= minRunMs && isMidWork(current) ? true : undefined),
      20_000,
    );
    signalSentAt = service.signal('SIGTERM');
    await service.waitForExit(30_000);
    await delay(trailingLoadMs);
  } finally {
    await stopLoad();
  }
  return { signalSentAt, intakeAt: intakeLoggedAt(service, signalSentAt) };
}
