import { dateOf } from './actor';
import type { ReviewFrequency } from './policy-events';

const MONTHS: Record<ReviewFrequency, number> = {
  monthly: 1,
  quarterly: 3,
  'semi-annual': 6,
  annual: 12,
};

/**
 * The same calendar day (YYYY-MM-DD) `months` later; a day the target month does not have falls back to its last
 * day (31 August + 3 months is 30 November), so a periodic deadline never slips into the month after.
 */
export function addCalendarMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * The date (YYYY-MM-DD, UTC) a policy is next due for review: its review frequency after the last publication or
 * review.
 */
export function nextReviewDue(lastReviewedOrPublishedAt: string, frequency: ReviewFrequency): string {
  return addCalendarMonths(dateOf(lastReviewedOrPublishedAt), MONTHS[frequency]);
}
