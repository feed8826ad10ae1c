import { ConfigError } from '@attest/platform-config';
import { deadlineSettings } from './deadline-settings';

describe('deadline settings', () => {
  it('sweep every hour and announce deadlines 7 days ahead by default', () => {
    expect(deadlineSettings({})).toEqual({ sweepIntervalMs: 3_600_000, dueSoonDays: 7 });
  });

  it('read ATTEST_DEADLINE_SWEEP_INTERVAL_MS (0: no in-process schedule) and ATTEST_DEADLINE_DUE_SOON_DAYS', () => {
    expect(
      deadlineSettings({ ATTEST_DEADLINE_SWEEP_INTERVAL_MS: '0', ATTEST_DEADLINE_DUE_SOON_DAYS: '14' }),
    ).toEqual({ sweepIntervalMs: 0, dueSoonDays: 14 });
  });

  it('list every bad value in one ConfigError', () => {
    const attempt = () =>
      deadlineSettings({ ATTEST_DEADLINE_SWEEP_INTERVAL_MS: '1h', ATTEST_DEADLINE_DUE_SOON_DAYS: '-3' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        expect.stringMatching(/^ATTEST_DEADLINE_SWEEP_INTERVAL_MS must be a whole number/),
        expect.stringMatching(/^ATTEST_DEADLINE_DUE_SOON_DAYS must be a whole number/),
      ]);
    }
  });

  it('refuse an interval longer than a timer can hold', () => {
    expect(() => deadlineSettings({ ATTEST_DEADLINE_SWEEP_INTERVAL_MS: String(2 ** 31) })).toThrow(
      ConfigError,
    );
  });
});
