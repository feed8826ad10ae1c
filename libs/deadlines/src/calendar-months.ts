/**
 * The same calendar day (YYYY-MM-DD, UTC) `months` later. A day the target month does not have falls back to its
 * last day (31 August + 3 months is 30 November; 29 February 2028 + 12 months is 28 February 2029), so a periodic
 * deadline never slips into the month after and "within 12 months" never reaches into the thirteenth.
 */
export function addCalendarMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}
