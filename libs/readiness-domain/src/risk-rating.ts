import type { RiskRating, Severity } from './events';
import { DEFAULT_RISK_MATRIX, maxScore, type RiskMatrix } from './risk-matrix';

/**
 * A rating on the organization's matrix: likelihood (1 rare … top of its scale) and impact (1 negligible … top),
 * score = likelihood × impact.
 */
export function riskRating(
  likelihood: number,
  impact: number,
  matrix: RiskMatrix = DEFAULT_RISK_MATRIX,
): RiskRating {
  for (const [name, v, top] of [
    ['likelihood', likelihood, matrix.likelihoodLevels.length],
    ['impact', impact, matrix.impactLevels.length],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > top)
      throw new RangeError(`${name} must be an integer from 1 to ${top}`);
  }
  return { likelihood, impact, score: likelihood * impact };
}

/**
 * The band of a score, by its share of the matrix's highest score: from 68% critical, from 40% high, from 20%
 * medium, else low. On the usual 5 × 5 matrix: 1-4 low, 5-9 medium, 10-16 high, 17-25 critical.
 */
export function riskLevel(score: number, matrix: RiskMatrix = DEFAULT_RISK_MATRIX): Severity {
  // Integer arithmetic: 17/25 is exactly the critical threshold and must not be lost to rounding.
  const percent = score * 100;
  const top = maxScore(matrix);
  if (percent >= 68 * top) return 'critical';
  if (percent >= 40 * top) return 'high';
  if (percent >= 20 * top) return 'medium';
  return 'low';
}
