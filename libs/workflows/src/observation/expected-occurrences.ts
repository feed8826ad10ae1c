import type { Frequency } from '@attest/catalog';
import type { DateWindow } from '../lifecycle-contract';

/**
 * Which occurrences of a control an auditor expects to see during a Type II observation window, from the control's
 * frequency. Pure calendar arithmetic on UTC days (YYYY-MM-DD), no Temporal import: the observation workflow calls
 * it on every run and replay, and a spec pins each frequency's count.
 *
 * An occurrence is expected for every period of the frequency whose LAST DAY falls inside the window (both window
 * ends included): the period's last day is when the occurrence is due. Periods follow the calendar (weeks end on
 * Sunday as ISO weeks do, quarters on 31 March, 30 June, 30 September and 31 December, half-years on 30 June and 31
 * December, years on 31 December), because that is how control owners schedule them and how auditors sample them.
 * So a 12-month window always holds exactly 4 quarter ends, 12 month ends, 2 half-year ends and 1 year end.
 */

export interface OccurrencePeriod {
  /** The period's last day: the occurrence must have happened by the end of it. */
  dueOn: string;
  /**
   * The period's first day. Evidence dated from here to the due day (plus grace) counts: a quarter's access review
   * done in its first week is that quarter's occurrence, even when the window opened after it.
   */
  from: string;
}

const DAY_MS = 86_400_000;
const SUNDAY = 0;
/** Months per period of the frequencies that end on a month end, counted from January. */
const MONTHS_PER_PERIOD: Partial<Record<Frequency, number>> = {
  monthly: 1,
  quarterly: 3,
  'semi-annual': 6,
  annual: 12,
};

/** The expected occurrences of a control with this frequency inside the window, earliest first. */
export function expectedOccurrences(frequency: Frequency, window: DateWindow): OccurrencePeriod[] {
  switch (frequency) {
    // A continuous control (an automated monitor, a backup job) leaves its trace every day; auditors test it by
    // day, so each day is one occurrence, like a daily control's.
    case 'continuous':
    case 'daily':
      return daysOf(window).map((day) => ({ dueOn: day, from: day }));
    case 'weekly':
      return daysOf(window)
        .filter((day) => new Date(epochMs(day)).getUTCDay() === SUNDAY)
        .map((sunday) => ({ dueOn: sunday, from: addDays(sunday, -6) }));
    case 'monthly':
    case 'quarterly':
    case 'semi-annual':
    case 'annual':
      return monthEndOccurrences(MONTHS_PER_PERIOD[frequency] as number, window);
    // A per-event control runs when its trigger happens (a hire, a change, an incident), which no calendar
    // predicts: nothing is due on a date, so nothing can be missed by date. Fieldwork tests it by sampling the
    // population of its events instead.
    case 'per-event':
      return [];
  }
}

/** The instant a due occurrence is checked: when the last day of its grace period has passed (UTC midnight after). */
export function checkDueAt(dueOn: string, graceDays: number): number {
  return epochMs(addDays(dueOn, graceDays + 1));
}

/** The day `days` after `day`. */
export function addDays(day: string, days: number): string {
  return new Date(epochMs(day) + days * DAY_MS).toISOString().slice(0, 10);
}

function epochMs(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

function daysOf(window: DateWindow): string[] {
  const days: string[] = [];
  for (let day = window.from; day <= window.to; day = addDays(day, 1)) days.push(day);
  return days;
}

function monthEndOccurrences(monthsPerPeriod: number, window: DateWindow): OccurrencePeriod[] {
  const occurrences: OccurrencePeriod[] = [];
  const [fromYear, fromMonth] = window.from.split('-').map(Number);
  // Month indexes since year 0, so a period ends on a month whose index + 1 is a multiple of the period length.
  for (let month = fromYear * 12 + fromMonth - 1; ; month++) {
    const dueOn = lastDayOfMonth(month);
    if (dueOn > window.to) return occurrences;
    if ((month + 1) % monthsPerPeriod === 0 && dueOn >= window.from)
      occurrences.push({ dueOn, from: firstDayOfMonth(month - monthsPerPeriod + 1) });
  }
}

function firstDayOfMonth(monthIndex: number): string {
  return new Date(Date.UTC(Math.floor(monthIndex / 12), monthIndex % 12, 1)).toISOString().slice(0, 10);
}

function lastDayOfMonth(monthIndex: number): string {
  return addDays(firstDayOfMonth(monthIndex + 1), -1);
}
