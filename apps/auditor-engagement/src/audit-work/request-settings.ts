import { ConfigError } from '@attest/platform-config';

export const REQUEST_DUE_DAYS_ENV = 'ATTEST_REQUEST_DUE_DAYS';
export const DEFAULT_REQUEST_DUE_DAYS = 14;

/** Injection token of the request settings. */
export const REQUEST_SETTINGS = Symbol('attest:request-settings');

export interface RequestSettings {
  /** Days from a request's creation to its due date, unless the auditor sets one. */
  dueDays: number;
}

/** From the environment: `ATTEST_REQUEST_DUE_DAYS` (1 to 366, default 14); a bad value is a ConfigError. */
export function requestSettings(env: Readonly<Record<string, string | undefined>>): RequestSettings {
  const raw = env[REQUEST_DUE_DAYS_ENV]?.trim();
  if (!raw) return { dueDays: DEFAULT_REQUEST_DUE_DAYS };
  const days = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(days) || days < 1 || days > 366)
    throw new ConfigError([
      `${REQUEST_DUE_DAYS_ENV} must be a whole number of days from 1 to 366, got '${raw}'`,
    ]);
  return { dueDays: days };
}
