import { dueDate, linkedRisks, taskPriority } from './task-priority';

describe('task priority', () => {
  it('is the worst gap severity when no linked risk is high', () => {
    expect(taskPriority(['low', 'medium'], [])).toBe('medium');
    expect(taskPriority(['high'], [9, 4])).toBe('high');
  });

  it('rises one level for a high residual risk and two for a critical one, capped at critical', () => {
    expect(taskPriority(['low'], [10])).toBe('medium');
    expect(taskPriority(['medium', 'low'], [16])).toBe('high');
    expect(taskPriority(['low'], [20])).toBe('high');
    expect(taskPriority(['high'], [25])).toBe('critical');
    expect(taskPriority(['critical'], [12])).toBe('critical');
  });

  it('needs a gap', () => {
    expect(() => taskPriority([], [])).toThrow(RangeError);
  });

  it('links the risks that name the criterion', () => {
    const risks = [
      { riskId: 'a', residualScore: 12, criteria: ['CC6.2', 'CC6.3'] },
      { riskId: 'b', residualScore: 4, criteria: ['A1.3'] },
    ];
    expect(linkedRisks('CC6.3', risks).map((r) => r.riskId)).toEqual(['a']);
    expect(linkedRisks('CC7.1', risks)).toEqual([]);
  });

  it('sets the due date 30/60/90/180 days after creation by priority (UTC dates)', () => {
    expect(dueDate('2026-05-01T10:00:00.000Z', 'critical')).toBe('2026-05-31');
    expect(dueDate('2026-05-01T23:59:59.000Z', 'high')).toBe('2026-06-30');
    expect(dueDate('2026-05-01T00:00:00.000Z', 'medium')).toBe('2026-07-30');
    expect(dueDate('2026-12-15T08:00:00.000Z', 'low')).toBe('2027-06-13');
    expect(() => dueDate('yesterday', 'low')).toThrow(RangeError);
  });
});
