/** Fraction of each wait randomised away (0.2: between 80% and 100%), so retries of many deliveries do not align. */
export const RETRY_JITTER = 0.2;

/**
 * The wait after a delivery's `failedTries`-th failed try (1 = the first), or null when that was its last try (it
 * is then dead-lettered). `retryDelaysMs` is the service's schedule (ATTEST_WEBHOOK_RETRY_DELAYS_MS, growing
 * roughly fivefold: 5 s, 30 s, 2 min, 10 min, 1 h), randomised downwards by the jitter.
 */
export function retryDelayAfter(
  failedTries: number,
  retryDelaysMs: readonly number[],
  random: () => number = Math.random,
): number | null {
  const delay = retryDelaysMs[failedTries - 1];
  if (delay === undefined) return null;
  return Math.round(delay * (1 - RETRY_JITTER * random()));
}
