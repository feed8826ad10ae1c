import { payloadOfSize, percentile, runFigures } from './latency-stats';

describe('benchmark figures', () => {
  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 unsorted
    expect(percentile(samples, 0.5)).toBe(50);
    expect(percentile(samples, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it('computes throughput from elapsed time', () => {
    expect(runFigures(10_000, 2_000, [1, 2, 3])).toMatchObject({
      eventsPerSecond: 5_000,
      seconds: 2,
      p50Ms: 2,
    });
  });

  it('makes payloads of about the requested size that differ per event', () => {
    const a = JSON.stringify(payloadOfSize(1024, 1));
    expect(a.length).toBeGreaterThan(1000);
    expect(a.length).toBeLessThanOrEqual(1024);
    expect(payloadOfSize(1024, 2).filler).not.toBe(payloadOfSize(1024, 1).filler);
  });
});
