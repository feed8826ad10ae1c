export interface BackoffPolicy {
  /** Delay before the first retry. */
  initialMs: number;
  maxMs: number;
  /** Growth per attempt; 2 doubles. */
  factor?: number;
  /** Fraction of the delay randomised away, 0..1 (0.2: between 80% and 100%), so retries do not align. */
  jitter?: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 200, maxMs: 5_000, factor: 2, jitter: 0.2 };

/** The wait before retry number `retry` (1 = the first retry): exponential, capped, with jitter. */
export function backoffDelay(retry: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random = Math.random) {
  const factor = policy.factor ?? 2;
  const jitter = Math.min(Math.max(policy.jitter ?? 0, 0), 1);
  const base = Math.min(policy.maxMs, policy.initialMs * factor ** Math.max(0, retry - 1));
  return Math.round(base * (1 - jitter * random()));
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
