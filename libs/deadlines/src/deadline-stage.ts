/** The stages a deadline is announced in, in the order they come. */
export const DEADLINE_STAGES = ['due-soon', 'overdue'] as const;
export type DeadlineStage = (typeof DEADLINE_STAGES)[number];

/** Where a deadline stands on a day: before its due-soon window, within it, or past its due date. */
export type DeadlineStanding =
  { stage: 'upcoming' | 'due-soon'; daysLeft: number } | { stage: 'overdue'; daysOverdue: number };

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The calendar day (YYYY-MM-DD, UTC) of a due date given as a date or as a date-time. A deadline falls due at the
 * end of its day, so the sources' due dates (days for tasks and reviews, instants for some acceptance rules) compare
 * alike and the same deadline always gets the same id.
 */
export function dueDayOf(due: string): string {
  const day = DATE.test(due) ? due : new Date(due).toISOString().slice(0, 10);
  if (new Date(`${day}T00:00:00.000Z`).toISOString().slice(0, 10) !== day)
    throw new RangeError(`'${due}' is not a due date`);
  return day;
}

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`) / DAY_MS;
}

/** Whole days from the day of `at` (UTC) to the deadline's due day: 0 on the due day, negative once past it. */
export function daysUntilDue(dueDate: string, at: Date | string): number {
  const instant = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(instant.getTime())) throw new RangeError(`'${String(at)}' is not a time`);
  return dayNumber(dueDayOf(dueDate)) - dayNumber(instant.toISOString().slice(0, 10));
}

/**
 * The stage of a deadline at `at`: overdue from the day after its due day, due soon from `dueSoonDays` days before
 * it through the due day itself (0: on the due day only), upcoming before.
 */
export function deadlineStanding(dueDate: string, at: Date | string, dueSoonDays: number): DeadlineStanding {
  if (!Number.isSafeInteger(dueSoonDays) || dueSoonDays < 0)
    throw new RangeError('the due-soon window is a whole number of days, 0 or more');
  const days = daysUntilDue(dueDate, at);
  if (days < 0) return { stage: 'overdue', daysOverdue: -days };
  return { stage: days <= dueSoonDays ? 'due-soon' : 'upcoming', daysLeft: days };
}

/** The last due day that is due soon (or overdue) at `at`: deadlines due after it are still upcoming. */
export function dueSoonHorizon(at: Date, dueSoonDays: number): string {
  return new Date(Date.parse(at.toISOString().slice(0, 10)) + dueSoonDays * DAY_MS)
    .toISOString()
    .slice(0, 10);
}
