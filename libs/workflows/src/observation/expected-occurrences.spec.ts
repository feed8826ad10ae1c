import { FREQUENCIES } from '@attest/catalog';
import { addDays, checkDueAt, expectedOccurrences } from './expected-occurrences';

const calendarYear2026 = { from: '2026-01-01', to: '2026-12-31' };
/** Twelve months that start mid-quarter and cross a year end. */
const midYearWindow = { from: '2026-02-15', to: '2027-02-14' };

const dueDates = (frequency: Parameters<typeof expectedOccurrences>[0], window = calendarYear2026) =>
  expectedOccurrences(frequency, window).map((o) => o.dueOn);

describe('expected occurrences over an observation window', () => {
  it('expects a quarterly control on each quarter end: four in twelve months, with the quarter as its period', () => {
    expect(expectedOccurrences('quarterly', calendarYear2026)).toEqual([
      { dueOn: '2026-03-31', from: '2026-01-01' },
      { dueOn: '2026-06-30', from: '2026-04-01' },
      { dueOn: '2026-09-30', from: '2026-07-01' },
      { dueOn: '2026-12-31', from: '2026-10-01' },
    ]);
    expect(dueDates('quarterly', midYearWindow)).toEqual([
      '2026-03-31',
      '2026-06-30',
      '2026-09-30',
      '2026-12-31',
    ]);
  });

  it('expects a monthly control on each month end, February included in leap and common years', () => {
    expect(dueDates('monthly')).toHaveLength(12);
    expect(dueDates('monthly')).toContain('2026-02-28');
    expect(dueDates('monthly', { from: '2028-01-01', to: '2028-12-31' })).toContain('2028-02-29');
    expect(dueDates('monthly', midYearWindow)).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
      '2026-10-31',
      '2026-11-30',
      '2026-12-31',
      '2027-01-31',
    ]);
    expect(expectedOccurrences('monthly', calendarYear2026)[1]).toEqual({
      dueOn: '2026-02-28',
      from: '2026-02-01',
    });
  });

  it('expects semi-annual controls on 30 June and 31 December, annual ones on 31 December', () => {
    expect(dueDates('semi-annual')).toEqual(['2026-06-30', '2026-12-31']);
    expect(expectedOccurrences('annual', midYearWindow)).toEqual([
      { dueOn: '2026-12-31', from: '2026-01-01' },
    ]);
  });

  it('expects a weekly control on each Sunday, the week from Monday as its period', () => {
    const weekly = expectedOccurrences('weekly', calendarYear2026);
    // 2026 starts on a Thursday: its first Sunday is 4 January, its last 27 December; 52 Sundays in all.
    expect(weekly).toHaveLength(52);
    expect(weekly[0]).toEqual({ dueOn: '2026-01-04', from: '2025-12-29' });
    expect(weekly[51].dueOn).toBe('2026-12-27');
    expect(weekly.every((o) => new Date(`${o.dueOn}T00:00:00Z`).getUTCDay() === 0)).toBe(true);
  });

  it('expects daily and continuous controls every day of the window, both ends included', () => {
    for (const frequency of ['daily', 'continuous'] as const) {
      const days = dueDates(frequency);
      expect(days).toHaveLength(365);
      expect(days[0]).toBe('2026-01-01');
      expect(days[364]).toBe('2026-12-31');
      expect(expectedOccurrences(frequency, calendarYear2026)[59]).toEqual({
        dueOn: '2026-03-01',
        from: '2026-03-01',
      });
    }
    expect(dueDates('daily', { from: '2028-01-01', to: '2028-12-31' })).toHaveLength(366);
  });

  it('expects nothing of a per-event control: no calendar date is due', () => {
    expect(expectedOccurrences('per-event', calendarYear2026)).toEqual([]);
  });

  it('expects only periods that end inside the window', () => {
    const january = { from: '2026-01-01', to: '2026-01-31' };
    expect(dueDates('monthly', january)).toEqual(['2026-01-31']);
    expect(dueDates('quarterly', january)).toEqual([]);
    expect(dueDates('annual', january)).toEqual([]);
    // A window ending the day before a quarter end does not expect that quarter yet.
    expect(dueDates('quarterly', { from: '2026-01-01', to: '2026-06-29' })).toEqual(['2026-03-31']);
    expect(dueDates('daily', { from: '2026-06-30', to: '2026-06-30' })).toEqual(['2026-06-30']);
  });

  it('lists every frequency of the catalog in due order without duplicates', () => {
    for (const frequency of FREQUENCIES) {
      const days = dueDates(frequency, midYearWindow);
      expect([...days].sort()).toEqual(days);
      expect(new Set(days).size).toBe(days.length);
      expect(days.every((day) => day >= midYearWindow.from && day <= midYearWindow.to)).toBe(true);
    }
  });
});

describe('when a due occurrence is checked', () => {
  it('waits until the grace period after the due day has passed', () => {
    expect(new Date(checkDueAt('2026-06-30', 5)).toISOString()).toBe('2026-07-06T00:00:00.000Z');
    expect(new Date(checkDueAt('2026-12-31', 0)).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('counts days across month and year ends', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
