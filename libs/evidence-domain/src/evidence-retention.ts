import { addCalendarMonths } from '@attest/deadlines';

/** `ATTEST_EVIDENCE_RETENTION_MONTHS`' default: seven years, what auditors and most retention schedules ask. */
export const DEFAULT_EVIDENCE_RETENTION_MONTHS = 84;

/**
 * The last day an item's content must be kept: `months` calendar months after the later of the end of its latest
 * period and the day its latest version was submitted (evidence submitted late still serves the audit that asked for
 * it). Disposal is possible from the day after. `lastSubmittedAt` may be a date or an instant (its UTC day counts).
 */
export function retentionEndsOn(lastPeriodTo: string, lastSubmittedAt: string, months: number): string {
  if (!Number.isSafeInteger(months) || months < 0)
    throw new RangeError('the retention period is a whole number of months, 0 or more');
  const submittedOn = new Date(lastSubmittedAt).toISOString().slice(0, 10);
  return addCalendarMonths(lastPeriodTo > submittedOn ? lastPeriodTo : submittedOn, months);
}
