import { deciderSpec } from '@attest/decider';
import type { RiskMatrixConfigured } from './events';
import {
  DEFAULT_RISK_MATRIX,
  matrixOf,
  riskMatrixDecider,
  riskMatrixIdFor,
  type ConfigureRiskMatrix,
} from './risk-matrix';
import { expectContractValid, priya } from './test-fixtures';

const spec = () => deciderSpec(riskMatrixDecider);
const MATRIX_ID = riskMatrixIdFor('acme');
const levels = (...labels: string[]) => labels.map((label, i) => ({ level: i + 1, label }));

const configure: ConfigureRiskMatrix = {
  type: 'ConfigureRiskMatrix',
  matrixId: MATRIX_ID,
  likelihoodLevels: levels('Unlikely', 'Possible', 'Likely', 'Almost certain'),
  impactLevels: levels('Minor', 'Moderate', 'Major', 'Severe'),
  appetiteScore: 6,
  configuredAt: '2026-02-02T14:00:00.000Z',
  actor: priya,
  ratingsInUse: { likelihood: 4, impact: 3 },
};

const configured: RiskMatrixConfigured = {
  type: 'RiskMatrixConfigured',
  data: {
    matrixId: MATRIX_ID,
    likelihoodLevels: configure.likelihoodLevels,
    impactLevels: configure.impactLevels,
    appetiteScore: 6,
    configuredAt: '2026-02-02T14:00:00.000Z',
    actor: priya,
  },
};

describe('risk matrix', () => {
  it('is one per organization, derived from the tenant', () => {
    expect(riskMatrixIdFor('acme')).toBe(MATRIX_ID);
    expect(riskMatrixIdFor('globex')).not.toBe(MATRIX_ID);
  });

  it('is the usual 5 × 5 with appetite 9 until configured', () => {
    expect(matrixOf(riskMatrixDecider.initialState())).toEqual(DEFAULT_RISK_MATRIX);
    expect(DEFAULT_RISK_MATRIX.likelihoodLevels.map((l) => l.level)).toEqual([1, 2, 3, 4, 5]);
    expect(DEFAULT_RISK_MATRIX.appetiteScore).toBe(9);
  });

  it('records the scales and appetite management set, and nothing when they are the same again', () => {
    expectContractValid(spec().given([]).when(configure).then([configured]));
    expect(matrixOf(riskMatrixDecider.evolve(riskMatrixDecider.initialState(), configured))).toEqual({
      likelihoodLevels: configure.likelihoodLevels,
      impactLevels: configure.impactLevels,
      appetiteScore: 6,
    });
    spec().given([configured]).when(configure).then([]);
  });

  it.each([
    ['a scale of 2 levels', { impactLevels: levels('Low', 'High') }],
    ['a scale of 6 levels', { likelihoodLevels: levels('1', '2', '3', '4', '5', '6') }],
    ['levels out of order', { impactLevels: [2, 1, 3].map((level) => ({ level, label: `L${level}` })) }],
    ['a blank label', { impactLevels: levels('Minor', ' ', 'Severe') }],
    ['twice the same label', { impactLevels: levels('Minor', 'minor', 'Severe') }],
    ['an appetite above the highest score', { appetiteScore: 17 }],
    ['an appetite of 0', { appetiteScore: 0 }],
  ])('refuses %s', (_name, change) => {
    spec()
      .given([])
      .when({ ...configure, ...change })
      .thenRefuses('invalid-risk-matrix');
  });

  it('refuses a scale below the ratings of open risks', () => {
    const err = spec()
      .given([])
      .when({ ...configure, ratingsInUse: { likelihood: 5, impact: 2 } })
      .thenRefuses('matrix-excludes-ratings');
    expect(err.details).toEqual({ ratingsInUse: { likelihood: 5, impact: 2 } });
  });
});
