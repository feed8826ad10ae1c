import type { ObservedControl } from '../lifecycle-contract';
import { noProgress, occurrenceTallies, recordDueDay } from './occurrence-counts';
import { dueDays } from './observation-schedule';

const window = { from: '2026-01-01', to: '2026-12-31' };
const controls: ObservedControl[] = [
  { controlId: 'c-access', code: 'AC-04', frequency: 'quarterly' },
  { controlId: 'c-scan', code: 'VM-02', frequency: 'monthly' },
];

describe('occurrence tallies of an observation', () => {
  it('answers every control with what the window expects before anything is checked', () => {
    expect(occurrenceTallies(controls, window, noProgress)).toEqual([
      { controlId: 'c-access', frequency: 'quarterly', expected: 4, checked: 0, missed: 0, missedOn: [] },
      { controlId: 'c-scan', frequency: 'monthly', expected: 12, checked: 0, missed: 0, missedOn: [] },
    ]);
  });

  it('counts checked and missed occurrences per control and moves the cursor', () => {
    const [jan, feb, mar] = dueDays(controls, window);
    let progress = recordDueDay(noProgress, jan, []);
    progress = recordDueDay(progress, feb, ['c-scan']);
    progress = recordDueDay(progress, mar, ['c-access', 'c-scan']);

    expect(progress.checkedThrough).toBe('2026-03-31');
    expect(occurrenceTallies(controls, window, progress)).toEqual([
      {
        controlId: 'c-access',
        frequency: 'quarterly',
        expected: 4,
        checked: 1,
        missed: 1,
        missedOn: ['2026-03-31'],
      },
      {
        controlId: 'c-scan',
        frequency: 'monthly',
        expected: 12,
        checked: 3,
        missed: 2,
        missedOn: ['2026-02-28', '2026-03-31'],
      },
    ]);
  });

  it('leaves the progress it was given unchanged, so a carried state is never edited in place', () => {
    const [jan] = dueDays(controls, window);
    const before = recordDueDay(noProgress, jan, ['c-scan']);
    const snapshot = structuredClone(before);
    recordDueDay(before, jan, ['c-scan']);
    expect(before).toEqual(snapshot);
  });
});
