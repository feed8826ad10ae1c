import type { RiskRating, Severity } from './events';

/** A rating from likelihood (1 rare … 5 almost certain) and impact (1 negligible … 5 severe): score = L × I. */
export function riskRating(likelihood: number, impact: number): RiskRating {
  for (const [name, v] of [
    ['likelihood', likelihood],
    ['impact', impact],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 5)
      throw new RangeError(`${name} must be an integer from 1 to 5`);
  }
  return { likelihood, impact, score: likelihood * impact };
}

/**
 * The band of a 1-25 score on the usual 5 × 5 matrix: 1-4 low, 5-9 medium, 10-16 high, 17-25 critical
 * (the products that occur are 1-6, 8-10, 12, 15, 16, 20 and 25).
 */
export function riskLevel(score: number): Severity {
  if (score >= 17) return 'critical';
  if (score >= 10) return 'high';
  if (score >= 5) return 'medium';
  return 'low';
}

/** Without an appetite set by management, a risk is above appetite when its residual score is high or critical. */
export const DEFAULT_RISK_APPETITE_SCORE = 9;
