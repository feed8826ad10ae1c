import { addCalendarMonths } from '@attest/deadlines';
import { nextReviewDue } from './policy-review';

describe('next policy review', () => {
  it('is the review frequency after the last publication or review', () => {
    expect(nextReviewDue('2026-03-07T10:00:00.000Z', 'annual')).toBe('2027-03-07');
    expect(nextReviewDue('2026-03-07T10:00:00.000Z', 'semi-annual')).toBe('2026-09-07');
    expect(nextReviewDue('2026-11-15T23:59:59.000Z', 'quarterly')).toBe('2027-02-15');
    expect(nextReviewDue('2026-12-15T00:00:00.000Z', 'monthly')).toBe('2027-01-15');
  });

  it('falls back to the last day of a shorter month rather than spilling into the next', () => {
    expect(nextReviewDue('2026-08-31T09:00:00.000Z', 'quarterly')).toBe('2026-11-30');
    expect(nextReviewDue('2026-01-31T09:00:00.000Z', 'monthly')).toBe('2026-02-28');
    expect(nextReviewDue('2028-02-29T09:00:00.000Z', 'annual')).toBe('2029-02-28');
  });

  it('adds calendar months to a date the same way (the yearly re-acceptance)', () => {
    expect(addCalendarMonths('2026-03-08', 12)).toBe('2027-03-08');
    expect(addCalendarMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addCalendarMonths('2026-10-31', 4)).toBe('2027-02-28');
  });

  it('counts from the UTC date of the time', () => {
    expect(nextReviewDue('2026-03-07T23:30:00-05:00', 'annual')).toBe('2027-03-08');
  });
});
