import { ConfigError } from '@attest/platform-config';

export const DEADLINE_SWEEP_INTERVAL_ENV = 'ATTEST_DEADLINE_SWEEP_INTERVAL_MS';
export const DEADLINE_DUE_SOON_DAYS_ENV = 'ATTEST_DEADLINE_DUE_SOON_DAYS';

export interface DeadlineSettings {
  /** How often a service sweeps its tenants' deadlines in process; 0: never (another scheduler calls the sweep). */
  sweepIntervalMs: number;
  /** How many days before its due day a deadline is announced as due soon (0: on the due day only). */
  dueSoonDays: number;
}

export const DEFAULT_DEADLINE_SETTINGS: Readonly<DeadlineSettings> = {
  sweepIntervalMs: 60 * 60_000,
  dueSoonDays: 7,
};

// Node's timers hold at most 2^31 - 1 ms (about 24.8 days); a longer interval would fire at once.
const MAX_INTERVAL_MS = 2 ** 31 - 1;

/**
 * The deadline settings of a service from its environment (`ATTEST_DEADLINE_SWEEP_INTERVAL_MS`, default one hour;
 * `ATTEST_DEADLINE_DUE_SOON_DAYS`, default 7). A bad value is a ConfigError listing every problem.
 */
export function deadlineSettings(env: Readonly<Record<string, string | undefined>>): DeadlineSettings {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (Number.isSafeInteger(value) && value <= max) return value;
    problems.push(`${name} must be a whole number from 0 to ${max}, got '${raw}'`);
    return fallback;
  };
  const settings = {
    sweepIntervalMs: integer(
      DEADLINE_SWEEP_INTERVAL_ENV,
      DEFAULT_DEADLINE_SETTINGS.sweepIntervalMs,
      MAX_INTERVAL_MS,
    ),
    dueSoonDays: integer(DEADLINE_DUE_SOON_DAYS_ENV, DEFAULT_DEADLINE_SETTINGS.dueSoonDays, 366),
  };
  if (problems.length) throw new ConfigError(problems);
  return settings;
}
