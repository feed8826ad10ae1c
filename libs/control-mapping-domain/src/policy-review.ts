import { addCalendarMonths } from '@attest/deadlines';
import { dateOf } from './actor';
import type { ReviewFrequency } from './policy-events';

const MONTHS: Record<ReviewFrequency, number> = {
  monthly: 1,
  quarterly: 3,
  'semi-annual': 6,
  annual: 12,
};

/**
 * The date (YYYY-MM-DD, UTC) a policy is next due for review: its review frequency after the last publication or
 * review.
 */
export function nextReviewDue(lastReviewedOrPublishedAt: string, frequency: ReviewFrequency): string {
  return addCalendarMonths(dateOf(lastReviewedOrPublishedAt), MONTHS[frequency]);
}
