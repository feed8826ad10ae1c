import { daysUntilDue, deadlineStanding, dueDayOf, dueSoonHorizon } from './deadline-stage';

describe('the stage of a deadline', () => {
  const due = '2026-04-15';

  it('is upcoming before the due-soon window, due soon within it, overdue from the day after the due day', () => {
    expect(deadlineStanding(due, '2026-04-07T23:59:59.999Z', 7)).toEqual({ stage: 'upcoming', daysLeft: 8 });
    expect(deadlineStanding(due, '2026-04-08T00:00:00.000Z', 7)).toEqual({ stage: 'due-soon', daysLeft: 7 });
    expect(deadlineStanding(due, '2026-04-15T23:59:59.999Z', 7)).toEqual({ stage: 'due-soon', daysLeft: 0 });
    expect(deadlineStanding(due, '2026-04-16T00:00:00.000Z', 7)).toEqual({
      stage: 'overdue',
      daysOverdue: 1,
    });
    expect(deadlineStanding(due, '2026-05-15T08:00:00.000Z', 7)).toEqual({
      stage: 'overdue',
      daysOverdue: 30,
    });
  });

  it('follows the configured window; 0 announces a deadline on its due day only', () => {
    expect(deadlineStanding(due, '2026-04-01T12:00:00.000Z', 14).stage).toBe('due-soon');
    expect(deadlineStanding(due, '2026-04-14T12:00:00.000Z', 0).stage).toBe('upcoming');
    expect(deadlineStanding(due, '2026-04-15T12:00:00.000Z', 0).stage).toBe('due-soon');
    expect(() => deadlineStanding(due, '2026-04-15T12:00:00.000Z', -1)).toThrow(RangeError);
    expect(() => deadlineStanding(due, '2026-04-15T12:00:00.000Z', 1.5)).toThrow(RangeError);
  });

  it('counts calendar days in UTC across month and year ends and leap days', () => {
    expect(daysUntilDue('2027-01-02', new Date('2026-12-31T22:00:00.000Z'))).toBe(2);
    expect(daysUntilDue('2028-03-01', '2028-02-28T10:00:00.000Z')).toBe(2);
    expect(daysUntilDue('2026-03-01', '2026-03-03T10:00:00.000Z')).toBe(-2);
  });

  it('reads a due date-time as its UTC day, so both forms name the same day', () => {
    expect(dueDayOf('2026-04-15')).toBe('2026-04-15');
    expect(dueDayOf('2026-04-15T23:30:00.000Z')).toBe('2026-04-15');
    expect(dueDayOf('2026-04-16T01:30:00+02:00')).toBe('2026-04-15');
    expect(deadlineStanding('2026-04-15T08:00:00.000Z', '2026-04-15T20:00:00.000Z', 7)).toEqual({
      stage: 'due-soon',
      daysLeft: 0,
    });
  });

  it('refuses what is not a date', () => {
    expect(() => dueDayOf('2026-02-30')).toThrow(RangeError);
    expect(() => dueDayOf('soon')).toThrow(RangeError);
    expect(() => daysUntilDue(due, 'later')).toThrow(RangeError);
  });

  it('names the last due day that is due soon at a time, for the services to query no further', () => {
    const at = new Date('2026-04-08T23:00:00.000Z');
    expect(dueSoonHorizon(at, 7)).toBe('2026-04-15');
    expect(deadlineStanding(dueSoonHorizon(at, 7), at, 7).stage).toBe('due-soon');
    expect(deadlineStanding('2026-04-16', at, 7).stage).toBe('upcoming');
    expect(dueSoonHorizon(at, 0)).toBe('2026-04-08');
  });
});
