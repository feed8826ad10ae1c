import { uuidV5 } from '@attest/catalog';
import { DomainError, type Decider } from '@attest/decider';
import type { Actor, RiskMatrixConfiguredData, RiskMatrixEvent, RiskMatrixLevel } from './events';
import { sameValue } from './same-value';

/** How risks are rated in an organization (CC3.2: analysed against a stated tolerance, by likelihood and impact). */
export interface RiskMatrix {
  likelihoodLevels: RiskMatrixLevel[];
  impactLevels: RiskMatrixLevel[];
  /** Residual score (likelihood × impact) above which a risk needs more treatment. */
  appetiteScore: number;
}

/**
 * Bounds of a scale. The published risk events (RiskRegistered, RiskReassessed v1) carry ratings of 1 to 5, so a
 * scale has at most 5 levels; a coarser one (3 or 4) is the usual alternative.
 */
export const MIN_MATRIX_LEVELS = 3;
export const MAX_MATRIX_LEVELS = 5;

/** Without an appetite set by management, a risk is above appetite when its residual score is high or critical. */
export const DEFAULT_RISK_APPETITE_SCORE = 9;

/** The matrix of an organization that never configured one: the usual 5 × 5, appetite 9. */
export const DEFAULT_RISK_MATRIX: RiskMatrix = {
  likelihoodLevels: ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'].map((label, i) => ({
    level: i + 1,
    label,
  })),
  impactLevels: ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'].map((label, i) => ({
    level: i + 1,
    label,
  })),
  appetiteScore: DEFAULT_RISK_APPETITE_SCORE,
};

/** The highest score the matrix gives (both scales at their top). */
export function maxScore(matrix: RiskMatrix): number {
  return matrix.likelihoodLevels.length * matrix.impactLevels.length;
}

/** Namespace of the name-based ids readiness derives (a fixed random UUID; never change it). */
export const READINESS_ID_NAMESPACE = '5e0d7c1a-93b4-4f2e-8a61-2c7f4b9d0e38';

/** An organization has one risk matrix, so its stream id is derived from the tenant id. */
export function riskMatrixIdFor(tenantId: string): string {
  return uuidV5(`risk-matrix:${tenantId}`, READINESS_ID_NAMESPACE);
}

export interface ConfigureRiskMatrix extends RiskMatrixConfiguredData {
  type: 'ConfigureRiskMatrix';
  /**
   * The highest likelihood and impact an open risk of the register is rated at (0 without risks): a scale may not
   * shrink below them, or those ratings would mean nothing.
   */
  ratingsInUse: { likelihood: number; impact: number };
}

export type RiskMatrixCommand = ConfigureRiskMatrix;

export type RiskMatrixState =
  { status: 'default' } | { status: 'configured'; matrix: RiskMatrix; configuredAt: string; actor: Actor };

export const RISK_MATRIX_REFUSALS = {
  'risk-matrix-not-found': 404,
  'invalid-risk-matrix': 422,
  'matrix-excludes-ratings': 409,
} as const;

export function riskMatrixNotFound(matrixId: string): DomainError {
  return new DomainError('risk-matrix-not-found', `no risk matrix ${matrixId}`, { matrixId });
}

/** The matrix the organization rates with: the configured one, else the default. */
export function matrixOf(state: RiskMatrixState): RiskMatrix {
  return state.status === 'configured' ? state.matrix : DEFAULT_RISK_MATRIX;
}

/** The organization's risk matrix, one stream per tenant; configuring it again replaces it. */
export const riskMatrixDecider: Decider<RiskMatrixCommand, RiskMatrixEvent, RiskMatrixState> = {
  initialState: () => ({ status: 'default' }),
  evolve: (_state, event) => ({
    status: 'configured',
    matrix: {
      likelihoodLevels: event.data.likelihoodLevels,
      impactLevels: event.data.impactLevels,
      appetiteScore: event.data.appetiteScore,
    },
    configuredAt: event.data.configuredAt,
    actor: event.data.actor,
  }),
  decide: (command, state) => {
    const matrix: RiskMatrix = {
      likelihoodLevels: scale('likelihoodLevels', command.likelihoodLevels),
      impactLevels: scale('impactLevels', command.impactLevels),
      appetiteScore: command.appetiteScore,
    };
    const top = maxScore(matrix);
    if (!Number.isInteger(matrix.appetiteScore) || matrix.appetiteScore < 1 || matrix.appetiteScore > top)
      throw new DomainError('invalid-risk-matrix', `the appetite must be a score from 1 to ${top}`, {
        field: 'appetiteScore',
      });
    const excluded = {
      likelihood: command.ratingsInUse.likelihood > matrix.likelihoodLevels.length,
      impact: command.ratingsInUse.impact > matrix.impactLevels.length,
    };
    if (excluded.likelihood || excluded.impact)
      throw new DomainError(
        'matrix-excludes-ratings',
        'open risks are rated above the new scale; re-rate or close them first',
        { ratingsInUse: command.ratingsInUse },
      );
    if (sameValue(matrix, matrixOf(state))) return [];
    return [
      {
        type: 'RiskMatrixConfigured',
        data: {
          matrixId: command.matrixId,
          likelihoodLevels: matrix.likelihoodLevels,
          impactLevels: matrix.impactLevels,
          appetiteScore: matrix.appetiteScore,
          configuredAt: command.configuredAt,
          actor: command.actor,
        },
      },
    ];
  },
};

/** A scale as given, checked: 3 to 5 levels numbered 1, 2, … in order, each with its own non-blank label. */
function scale(field: 'likelihoodLevels' | 'impactLevels', levels: RiskMatrixLevel[]): RiskMatrixLevel[] {
  const refuse = (message: string) =>
    new DomainError('invalid-risk-matrix', `${field}: ${message}`, { field });
  if (!Array.isArray(levels) || levels.length < MIN_MATRIX_LEVELS || levels.length > MAX_MATRIX_LEVELS)
    throw refuse(`a scale has ${MIN_MATRIX_LEVELS} to ${MAX_MATRIX_LEVELS} levels`);
  if (levels.some((l, i) => l?.level !== i + 1)) throw refuse('levels are numbered 1, 2, … in order');
  const labels = levels.map((l) => (typeof l.label === 'string' ? l.label.trim() : ''));
  if (labels.some((l) => !l)) throw refuse('every level needs a label');
  if (new Set(labels.map((l) => l.toLowerCase())).size !== labels.length) throw refuse('labels must differ');
  return levels.map((l, i) => ({ level: l.level, label: labels[i] }));
}
