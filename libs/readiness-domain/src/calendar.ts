/** Calendar days (YYYY-MM-DD, UTC), as review dates, acceptance expiries and assessment due dates are kept. */

/** The calendar day (UTC) of an instant (ISO 8601). */
export function dayOf(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/**
 * The same day `months` later; a day the target month does not have falls back to its last day (29 February 2028
 * plus twelve months is 28 February 2029), so "within 12 months" never reaches into the thirteenth.
 */
export function monthsLater(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return target.toISOString().slice(0, 10);
}
