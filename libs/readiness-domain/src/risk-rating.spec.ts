import { riskLevel, riskRating } from './risk-rating';
import type { RiskMatrix } from './risk-matrix';

const threeByThree: RiskMatrix = {
  likelihoodLevels: ['Low', 'Medium', 'High'].map((label, i) => ({ level: i + 1, label })),
  impactLevels: ['Low', 'Medium', 'High'].map((label, i) => ({ level: i + 1, label })),
  appetiteScore: 3,
};

describe('risk rating', () => {
  it('scores likelihood × impact', () => {
    expect(riskRating(3, 5)).toEqual({ likelihood: 3, impact: 5, score: 15 });
    expect(riskRating(1, 1)).toEqual({ likelihood: 1, impact: 1, score: 1 });
    expect(riskRating(5, 5).score).toBe(25);
  });

  it('refuses values outside the matrix’s scales (1-5 by default)', () => {
    expect(() => riskRating(0, 3)).toThrow(RangeError);
    expect(() => riskRating(3, 6)).toThrow(RangeError);
    expect(() => riskRating(2.5, 3)).toThrow(RangeError);
    expect(() => riskRating(4, 1, threeByThree)).toThrow('likelihood must be an integer from 1 to 3');
    expect(riskRating(3, 3, threeByThree).score).toBe(9);
  });

  it('bands scores on the 5 × 5 matrix: 1-4 low, 5-9 medium, 10-16 high, 17-25 critical', () => {
    expect([1, 4, 5, 9, 10, 16, 17, 20, 25].map((score) => riskLevel(score))).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
      'critical',
    ]);
  });

  it('bands scores by their share of the matrix’s highest score on a smaller matrix', () => {
    // 3 × 3: highest 9; 68% = 6.12, 40% = 3.6, 20% = 1.8
    expect([1, 2, 3, 4, 6, 9].map((score) => riskLevel(score, threeByThree))).toEqual([
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
    ]);
  });
});
