/** Calendar days (YYYY-MM-DD, UTC), as review dates, acceptance expiries and assessment due dates are kept. */

/** The calendar day (UTC) of an instant (ISO 8601). */
export function dayOf(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}
