import { compareSeverity, criterionWeight, gapSeverity, seriesWeight, worstSeverity } from './gap-severity';

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
    expect(seriesWeight('CC8')).toBe(3);
    expect(seriesWeight('PI1')).toBe(2);
  });

  it("rates a gap by its criterion's weight and missing share", () => {
    // key criterion: m ≥ 0.5 critical, m ≥ 0.25 high, else medium
    expect(gapSeverity('CC8.1', 1)).toBe('critical');
    expect(gapSeverity('CC6.2', 0.5)).toBe('critical');
    expect(gapSeverity('CC6.3', 0.25)).toBe('high');
    expect(gapSeverity('CC1.1', 1 / 6)).toBe('medium');
    // other criterion: m ≥ 0.5 high, m ≥ 0.25 medium, else low
    expect(gapSeverity('A1.3', 1)).toBe('high');
    expect(gapSeverity('CC3.1', 0.5)).toBe('high');
    expect(gapSeverity('C1.1', 1 / 3)).toBe('medium');
    expect(gapSeverity('A1.2', 0.5 / 11)).toBe('low');
  });

  it('orders severities from most urgent', () => {
    expect(compareSeverity('critical', 'low')).toBeLessThan(0);
    expect(compareSeverity('medium', 'high')).toBeGreaterThan(0);
    expect(worstSeverity(['low', 'high', 'medium'])).toBe('high');
    expect(worstSeverity([])).toBeUndefined();
  });
});
