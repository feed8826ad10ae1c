import type { Frequency } from '@attest/catalog';
import { addCalendarMonths, deadlineStanding } from '@attest/deadlines';

const DAY_MS = 86_400_000;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * How long evidence stays valid after the end of the period it covers, per control frequency: until the control has
 * operated again and should have produced the next evidence. Per-event controls have none: their evidence is about
 * an event, which does not recur on a calendar.
 */
const VALIDITY: Readonly<Record<Exclude<Frequency, 'per-event'>, (periodTo: string) => string>> = {
  continuous: (to) => addDays(to, 1),
  daily: (to) => addDays(to, 1),
  weekly: (to) => addDays(to, 7),
  monthly: (to) => addCalendarMonths(to, 1),
  quarterly: (to) => addCalendarMonths(to, 3),
  'semi-annual': (to) => addCalendarMonths(to, 6),
  annual: (to) => addCalendarMonths(to, 12),
};

/**
 * The last day (YYYY-MM-DD) evidence whose period ends on `periodTo` is valid for the controls it supports: the
 * shortest validity of their frequencies (the control that operates most often needs fresh evidence first), in
 * calendar months for monthly and longer (31 March + 1 month is 30 April). Null when it never expires: no linked
 * control, or only per-event ones.
 */
export function validUntil(periodTo: string, frequencies: readonly Frequency[]): string | null {
  let earliest: string | null = null;
  for (const frequency of frequencies) {
    if (frequency === 'per-event') continue;
    const until = VALIDITY[frequency](periodTo);
    if (earliest === null || until < earliest) earliest = until;
  }
  return earliest;
}

export type Freshness = 'fresh' | 'expiring' | 'expired' | 'no-expiry';

/**
 * Where evidence valid until `validUntil` stands on `today`: expired from the day after, expiring from `dueSoonDays`
 * days before through the last valid day (`ATTEST_DEADLINE_DUE_SOON_DAYS`, as the sweep raises `EvidenceExpiring`),
 * fresh before; `no-expiry` when it never expires.
 */
export function freshness(validUntil: string | null, today: Date | string, dueSoonDays: number): Freshness {
  if (validUntil === null) return 'no-expiry';
  const { stage } = deadlineStanding(validUntil, today, dueSoonDays);
  return stage === 'overdue' ? 'expired' : stage === 'due-soon' ? 'expiring' : 'fresh';
}
