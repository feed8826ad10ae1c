import type { ObservedControl } from '../lifecycle-contract';
import { dueDays } from './observation-schedule';

const q1 = { from: '2026-01-01', to: '2026-03-31' };
const controls: ObservedControl[] = [
  { controlId: 'c-access', code: 'AC-04', frequency: 'quarterly' },
  { controlId: 'c-scan', code: 'VM-02', frequency: 'monthly' },
  { controlId: 'c-backup', code: 'BC-01', frequency: 'daily' },
  { controlId: 'c-incident', code: 'IR-03', frequency: 'per-event' },
];

describe('due days of an observation', () => {
  it('groups all controls due on a day into that day, earliest day first', () => {
    const days = dueDays(controls, q1);
    expect(days).toHaveLength(90);
    expect(days.map((d) => d.dueOn)).toEqual([...days.map((d) => d.dueOn)].sort());
    expect(days.find((d) => d.dueOn === '2026-01-15')?.occurrences.map((o) => o.controlId)).toEqual([
      'c-backup',
    ]);
    expect(days.find((d) => d.dueOn === '2026-03-31')?.occurrences).toEqual([
      { controlId: 'c-access', frequency: 'quarterly', dueOn: '2026-03-31', from: '2026-01-01' },
      { controlId: 'c-scan', frequency: 'monthly', dueOn: '2026-03-31', from: '2026-03-01' },
      { controlId: 'c-backup', frequency: 'daily', dueOn: '2026-03-31', from: '2026-03-31' },
    ]);
  });

  it('resumes after the last day a previous run checked', () => {
    const rest = dueDays(controls, q1, '2026-03-29');
    expect(rest.map((d) => d.dueOn)).toEqual(['2026-03-30', '2026-03-31']);
  });

  it('has no due day for controls that expect nothing by date', () => {
    expect(dueDays([controls[3]], q1)).toEqual([]);
  });
});
