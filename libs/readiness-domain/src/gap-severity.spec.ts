import { compareSeverity, criterionWeight, gapSeverity, worstSeverity } from './gap-severity';

describe('gap severity', () => {
  it('weighs the control environment, access, operations and change management more', () => {
    expect(criterionWeight('CC1.3')).toBe(3);
    expect(criterionWeight('CC6.2')).toBe(3);
    expect(criterionWeight('CC7.4')).toBe(3);
    expect(criterionWeight('CC8.1')).toBe(3);
    expect(criterionWeight('CC3.2')).toBe(2);
    expect(criterionWeight('CC9.2')).toBe(2);
    expect(criterionWeight('A1.3')).toBe(2);
    expect(criterionWeight('P4.2')).toBe(2);
  });

  it('rates gravity × weight: 6 critical, 4 high, 3 medium, 2 low', () => {
    expect(gapSeverity('not-implemented', 'CC6.2')).toBe('critical');
    expect(gapSeverity('not-implemented', 'CC1.1')).toBe('critical');
    expect(gapSeverity('not-implemented', 'A1.3')).toBe('high');
    expect(gapSeverity('not-implemented', 'CC3.1')).toBe('high');
    expect(gapSeverity('partially-implemented', 'CC8.1')).toBe('medium');
    expect(gapSeverity('partially-implemented', 'A1.2')).toBe('low');
    expect(gapSeverity('partially-implemented', 'C1.1')).toBe('low');
  });

  it('orders severities from most urgent', () => {
    expect(compareSeverity('critical', 'low')).toBeLessThan(0);
    expect(compareSeverity('medium', 'high')).toBeGreaterThan(0);
    expect(worstSeverity(['low', 'high', 'medium'])).toBe('high');
    expect(worstSeverity([])).toBeUndefined();
  });
});
