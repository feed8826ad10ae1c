import type {
  ControlHealth,
  CoverageMatrix,
  CoveringControl,
  CriterionCoverage,
  PointOfFocusCoverage,
} from '@attest/control-mapping-domain';

/**
 * Worst first: a failing control outweighs one at risk; one nobody assesses (`unknown`) keeps its criterion from
 * counting as healthy, since the criterion's health is only as good as what is known about all of its controls.
 */
const WORST_FIRST: readonly ControlHealth[] = ['failing', 'at-risk', 'unknown', 'healthy'];

type WithHealth<T> = T & { health: ControlHealth };

export type CoverageMatrixWithHealth = Omit<CoverageMatrix, 'criteria' | 'summary'> & {
  criteria: WithHealth<
    Omit<CriterionCoverage, 'controls' | 'pointsOfFocus'> & {
      controls: WithHealth<CoveringControl>[];
      pointsOfFocus: (Omit<PointOfFocusCoverage, 'controls'> & { controls: WithHealth<CoveringControl>[] })[];
    }
  >[];
  summary: CoverageMatrix['summary'] & { health: Record<ControlHealth, number> };
};

/** The worst of these healths; `unknown` for none (no control tells anything). */
export function worstHealth(healths: readonly ControlHealth[]): ControlHealth {
  return WORST_FIRST.find((h) => healths.includes(h)) ?? 'unknown';
}

/**
 * The coverage matrix with each control's health (from monitoring; `unknown` when it never assessed the control)
 * and each criterion's worst health over its controls, counted in the summary per health.
 */
export function coverageWithHealth(
  matrix: CoverageMatrix,
  health: ReadonlyMap<string, ControlHealth>,
): CoverageMatrixWithHealth {
  const withHealth = (c: CoveringControl) => ({ ...c, health: health.get(c.controlId) ?? 'unknown' });
  const counts: Record<ControlHealth, number> = { healthy: 0, 'at-risk': 0, failing: 0, unknown: 0 };
  const criteria = matrix.criteria.map((criterion) => {
    const controls = criterion.controls.map(withHealth);
    const worst = worstHealth(controls.map((c) => c.health));
    counts[worst] += 1;
    return {
      ...criterion,
      health: worst,
      controls,
      pointsOfFocus: criterion.pointsOfFocus.map((p) => ({ ...p, controls: p.controls.map(withHealth) })),
    };
  });
  return { ...matrix, criteria, summary: { ...matrix.summary, health: counts } };
}
