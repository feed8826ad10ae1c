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
