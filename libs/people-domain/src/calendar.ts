/** Calendar dates (YYYY-MM-DD, UTC), as HR records and acceptance deadlines use them. */

/** Whether `value` is a date YYYY-MM-DD that exists (no 31 April). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** The calendar date (UTC) of an instant. */
export function dateOf(instant: string | Date): string {
  return new Date(instant).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return dateOf(d);
}

/**
 * The same day `months` later; a day the target month does not have falls back to its last day (accepted on
 * 29 February 2028, twelve months later is 28 February 2029), so a yearly deadline never slips into the next month.
 */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return dateOf(target);
}
