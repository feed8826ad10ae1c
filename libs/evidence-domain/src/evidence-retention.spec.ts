import { retentionEndsOn } from './evidence-retention';

describe('retentionEndsOn', () => {
  it('counts the months from the end of the period when it is later than the submission', () => {
    expect(retentionEndsOn('2026-12-31', '2026-04-02T09:15:00.000Z', 84)).toBe('2033-12-31');
  });

  it('counts from the submission day when the evidence was submitted after its period', () => {
    expect(retentionEndsOn('2026-03-31', '2026-04-02T23:30:00.000Z', 84)).toBe('2033-04-02');
    expect(retentionEndsOn('2026-03-31', '2026-04-02', 12)).toBe('2027-04-02');
  });

  it('keeps calendar months: the last day of a shorter month', () => {
    expect(retentionEndsOn('2026-08-31', '2026-01-01', 6)).toBe('2027-02-28');
  });

  it('refuses a retention that is not a whole number of months', () => {
    expect(() => retentionEndsOn('2026-03-31', '2026-04-02', -1)).toThrow(RangeError);
    expect(() => retentionEndsOn('2026-03-31', '2026-04-02', 1.5)).toThrow(RangeError);
  });
});
