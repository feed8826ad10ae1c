import { riskLevel, riskRating } from './risk-rating';

describe('risk rating', () => {
  it('scores likelihood × impact', () => {
    expect(riskRating(3, 5)).toEqual({ likelihood: 3, impact: 5, score: 15 });
    expect(riskRating(1, 1)).toEqual({ likelihood: 1, impact: 1, score: 1 });
    expect(riskRating(5, 5).score).toBe(25);
  });

  it('refuses values outside 1-5', () => {
    expect(() => riskRating(0, 3)).toThrow(RangeError);
    expect(() => riskRating(3, 6)).toThrow(RangeError);
    expect(() => riskRating(2.5, 3)).toThrow(RangeError);
  });

  it('bands scores: 1-4 low, 5-9 medium, 10-16 high, 17-25 critical', () => {
    expect([1, 4, 5, 9, 10, 16, 20, 25].map(riskLevel)).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});
