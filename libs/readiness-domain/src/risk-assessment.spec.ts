import { deciderSpec } from '@attest/decider';
import type { RiskAssessmentCompleted } from './events';
import {
  riskAssessmentDecider,
  summarizeRiskAssessment,
  type CompleteRiskAssessment,
  type RegisterEntry,
} from './risk-assessment';
import { dana, expectContractValid, priya, RISK_ASSESSMENT_ID } from './test-fixtures';

const spec = () => deciderSpec(riskAssessmentDecider);
const R1 = '11111111-1111-4111-8111-111111111111';
const R2 = '22222222-2222-4222-8222-222222222222';
const R3 = '33333333-3333-4333-8333-333333333333';
const OTHER = '44444444-4444-4444-8444-444444444444';

const register: RegisterEntry[] = [
  // added during this assessment, residual 12
  {
    riskId: R1,
    residualScore: 12,
    treatment: 'mitigate',
    registeredInRiskAssessmentId: RISK_ASSESSMENT_ID,
    changedInRiskAssessmentIds: [],
  },
  // changed during this assessment, residual 4
  {
    riskId: R2,
    residualScore: 4,
    treatment: 'accept',
    changedInRiskAssessmentIds: [OTHER, RISK_ASSESSMENT_ID],
  },
  // untouched, residual 20
  {
    riskId: R3,
    residualScore: 20,
    treatment: 'transfer',
    registeredInRiskAssessmentId: OTHER,
    changedInRiskAssessmentIds: [OTHER],
  },
];

const command: CompleteRiskAssessment = {
  type: 'CompleteRiskAssessment',
  riskAssessmentId: RISK_ASSESSMENT_ID,
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
  methodology: 'Risk management policy v3',
  reviewedRiskIds: [R1, R2, R3],
  fraudRiskConsidered: true,
  significantChangesConsidered: true,
  approvedBy: dana,
  nextAssessmentDue: '2027-12-31',
  completedAt: '2026-12-15T10:00:00.000Z',
  actor: priya,
  register,
};

const completed = (appetite: number, aboveAppetite: number): RiskAssessmentCompleted => ({
  type: 'RiskAssessmentCompleted',
  data: {
    riskAssessmentId: RISK_ASSESSMENT_ID,
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    methodology: 'Risk management policy v3',
    riskAppetiteScore: appetite,
    counts: { risksReviewed: 3, risksAdded: 1, risksChanged: 1, risksClosed: 0, aboveAppetite },
    byTreatment: { mitigate: 1, accept: 1, transfer: 1, avoid: 0 },
    reviewedRiskIds: [R1, R2, R3],
    fraudRiskConsidered: true,
    significantChangesConsidered: true,
    approvedBy: dana,
    nextAssessmentDue: '2027-12-31',
    completedAt: '2026-12-15T10:00:00.000Z',
    actor: priya,
  },
});

describe('summarizeRiskAssessment', () => {
  it('counts what the assessment did to the register', () => {
    expect(summarizeRiskAssessment(RISK_ASSESSMENT_ID, register, [R1, R2, R3, R1], 12)).toEqual({
      counts: { risksReviewed: 3, risksAdded: 1, risksChanged: 1, risksClosed: 0, aboveAppetite: 1 },
      byTreatment: { mitigate: 1, accept: 1, transfer: 1, avoid: 0 },
    });
  });
});

describe('risk assessment decider', () => {
  it('completes the annual risk assessment with the appetite management set', () => {
    // above 12: only R3 (20)
    expectContractValid(
      spec()
        .given([])
        .when({ ...command, riskAppetiteScore: 12 })
        .then([completed(12, 1)]),
    );
  });

  it('uses the default appetite (9) when none is set', () => {
    // above 9: R1 (12) and R3 (20)
    spec()
      .given([])
      .when(command)
      .then([completed(9, 2)]);
  });

  it('refuses to complete it twice', () => {
    spec()
      .given([completed(9, 2)])
      .when(command)
      .thenRefuses('risk-assessment-already-completed');
  });

  it('refuses a period that ends before it starts', () => {
    spec()
      .given([])
      .when({ ...command, periodStart: '2027-01-01' })
      .thenRefuses('invalid-period');
  });

  it('refuses a next assessment due within the period', () => {
    spec()
      .given([])
      .when({ ...command, nextAssessmentDue: '2026-06-30' })
      .thenRefuses('next-assessment-before-period-end');
  });

  it('refuses reviewed risks that are not in the register', () => {
    const err = spec()
      .given([])
      .when({ ...command, reviewedRiskIds: [R1, R2, R3, OTHER] })
      .thenRefuses('unknown-risks');
    expect(err.details).toEqual({ riskIds: [OTHER] });
  });

  it('refuses when a register entry was not reviewed', () => {
    const err = spec()
      .given([])
      .when({ ...command, reviewedRiskIds: [R1, R3] })
      .thenRefuses('risks-not-reviewed');
    expect(err.details).toEqual({ riskIds: [R2] });
  });
});
