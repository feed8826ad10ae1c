import { RETRY_JITTER, retryDelayAfter } from './retry-schedule';

describe('retryDelayAfter', () => {
  const schedule = [5_000, 30_000, 120_000];

  it('waits the scheduled delay after each failed try, and gives up after the last', () => {
    const none = () => 0;
    expect([1, 2, 3, 4].map((n) => retryDelayAfter(n, schedule, none))).toEqual([
      5_000,
      30_000,
      120_000,
      null,
    ]);
  });

  it('takes up to the jitter off a delay, never adding to it', () => {
    expect(retryDelayAfter(2, schedule, () => 1)).toBe(30_000 * (1 - RETRY_JITTER));
    const delays = Array.from({ length: 200 }, () => retryDelayAfter(1, schedule) as number);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(5_000 * (1 - RETRY_JITTER));
    expect(Math.max(...delays)).toBeLessThanOrEqual(5_000);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });

  it('dead-letters after the first try when the schedule has no retries', () => {
    expect(retryDelayAfter(1, [])).toBeNull();
  });
});
