import { closedLoop, steadyRate } from './load';

describe('load shapes', () => {
  it('closed loop: hands every sequence number out once, in slices of perCall', async () => {
    const seen: number[] = [];
    await closedLoop({
      writers: 3,
      total: 25,
      perCall: 4,
      call: async (_w, _k, first, n) => {
        await Promise.resolve();
        for (let i = first; i < first + n; i++) seen.push(i);
      },
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('steady rate: schedules calls perCall/rate apart and covers rate × duration events', async () => {
    const scheduled: number[] = [];
    const result = await steadyRate({
      rate: 1000,
      durationS: 0.05,
      perCall: 10,
      call: async (_first, _n, at) => void scheduled.push(at),
    });
    expect(result.events).toBe(50);
    expect(scheduled).toHaveLength(5);
    expect(scheduled[4] - scheduled[0]).toBeCloseTo(40, 5);
  });
});
