import { freshness, validUntil } from './evidence-validity';

describe('validUntil', () => {
  it.each([
    ['continuous', '2026-03-31', '2026-04-01'],
    ['daily', '2026-12-31', '2027-01-01'],
    ['weekly', '2026-03-28', '2026-04-04'],
    ['monthly', '2026-03-31', '2026-04-30'],
    ['quarterly', '2026-03-31', '2026-06-30'],
    ['semi-annual', '2026-08-31', '2027-02-28'],
    ['annual', '2028-02-29', '2029-02-28'],
  ] as const)('%s: evidence ending %s is valid until %s', (frequency, periodTo, expected) => {
    expect(validUntil(periodTo, [frequency])).toBe(expected);
  });

  it('follows the control that needs evidence most often', () => {
    expect(validUntil('2026-03-31', ['annual', 'quarterly', 'per-event'])).toBe('2026-06-30');
  });

  it('never expires without a linked control, or with per-event controls only', () => {
    expect(validUntil('2026-03-31', [])).toBeNull();
    expect(validUntil('2026-03-31', ['per-event', 'per-event'])).toBeNull();
  });
});

describe('freshness', () => {
  it('is fresh before the due-soon window, expiring in it through the last valid day, expired after', () => {
    expect(freshness('2026-06-30', '2026-06-22T12:00:00.000Z', 7)).toBe('fresh');
    expect(freshness('2026-06-30', '2026-06-23T00:00:00.000Z', 7)).toBe('expiring');
    expect(freshness('2026-06-30', '2026-06-30T23:59:59.000Z', 7)).toBe('expiring');
    expect(freshness('2026-06-30', new Date('2026-07-01T00:00:00.000Z'), 7)).toBe('expired');
  });

  it('is no-expiry for evidence that never expires', () => {
    expect(freshness(null, '2040-01-01T00:00:00.000Z', 7)).toBe('no-expiry');
  });
});
