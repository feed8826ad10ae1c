import { deciderSpec } from '@attest/decider';
import type { RiskAssessmentCompleted } from './events';
import {
  riskAssessmentDecider,
  summarizeRiskAssessment,
  type CompleteRiskAssessment,
  type RegisterEntry,
} from './risk-assessment';
import { DEFAULT_RISK_MATRIX } from './risk-matrix';
import { expectContractValid, priya, RISK_ASSESSMENT_ID } from './test-fixtures';

const spec = () => deciderSpec(riskAssessmentDecider);
const R1 = '11111111-1111-4111-8111-111111111111';
const R2 = '22222222-2222-4222-8222-222222222222';
const R3 = '33333333-3333-4333-8333-333333333333';
const R4 = '44444444-4444-4444-8444-444444444444';

/** The period is 2026; the assessment is completed on 15 December 2026. */
const register: RegisterEntry[] = [
  // registered during the period, reviewed, residual 12
  {
    riskId: R1,
    status: 'open',
    residualScore: 12,
    treatment: 'mitigate',
    registeredAt: '2026-02-01T09:00:00.000Z',
    lastReviewedAt: '2026-11-30T09:00:00.000Z',
  },
  // older, accepted in the period (a change), reviewed, residual 4
  {
    riskId: R2,
    status: 'open',
    residualScore: 4,
    treatment: 'accept',
    registeredAt: '2025-03-01T09:00:00.000Z',
    lastReviewedAt: '2026-01-01T00:00:00.000Z',
    lastChangedAt: '2026-06-01T10:00:00.000Z',
  },
  // older, reviewed, changed only last year, residual 20
  {
    riskId: R3,
    status: 'open',
    residualScore: 20,
    treatment: 'transfer',
    registeredAt: '2025-03-01T09:00:00.000Z',
    lastReviewedAt: '2026-12-15T08:00:00.000Z',
    lastChangedAt: '2025-09-01T10:00:00.000Z',
  },
  // closed in the period by its review, residual 25 (no longer counts above the appetite)
  {
    riskId: R4,
    status: 'closed',
    residualScore: 25,
    treatment: 'avoid',
    registeredAt: '2025-03-01T09:00:00.000Z',
    lastReviewedAt: '2026-05-05T10:00:00.000Z',
    closedAt: '2026-05-05T10:00:00.000Z',
  },
];

const command: CompleteRiskAssessment = {
  type: 'CompleteRiskAssessment',
  riskAssessmentId: RISK_ASSESSMENT_ID,
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
  methodology: 'Risk management policy v3',
  fraudRiskConsidered: true,
  fraudRiskNotes: 'Fraud workshop with finance: payment approval and refund abuse scenarios.',
  significantChangesConsidered: true,
  significantChangesNotes: 'Move to the new EU region and the acquisition of a subprocessor.',
  nextAssessmentDue: '2027-12-15',
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
    counts: { risksReviewed: 4, risksAdded: 1, risksChanged: 1, risksClosed: 1, aboveAppetite },
    byTreatment: { mitigate: 1, accept: 1, transfer: 1, avoid: 0 },
    reviewedRiskIds: [R1, R2, R3, R4],
    fraudRiskConsidered: true,
    fraudRiskNotes: command.fraudRiskNotes,
    significantChangesConsidered: true,
    significantChangesNotes: command.significantChangesNotes,
    approver: priya,
    nextAssessmentDue: '2027-12-15',
    completedAt: '2026-12-15T10:00:00.000Z',
    actor: priya,
  },
});

describe('summarizeRiskAssessment', () => {
  it('counts what happened to the register since the period began, from the risks’ own events', () => {
    expect(summarizeRiskAssessment(register, '2026-01-01', 12)).toEqual({
      counts: { risksReviewed: 4, risksAdded: 1, risksChanged: 1, risksClosed: 1, aboveAppetite: 1 },
      byTreatment: { mitigate: 1, accept: 1, transfer: 1, avoid: 0 },
      reviewedRiskIds: [R1, R2, R3, R4],
    });
  });
});

describe('risk assessment decider', () => {
  it('completes the annual risk assessment with the appetite of the organization’s matrix; the caller approves', () => {
    // above 12: only R3 (20); the closed R4 no longer counts
    expectContractValid(
      spec()
        .given([])
        .when({ ...command, matrix: { ...DEFAULT_RISK_MATRIX, appetiteScore: 12 } })
        .then([completed(12, 1)]),
    );
  });

  it('uses the default matrix’s appetite (9) when none was configured', () => {
    // above 9: R1 (12) and R3 (20)
    spec()
      .given([])
      .when(command)
      .then([completed(9, 2)]);
  });

  it('is refused until each open risk has a documented review in the period', () => {
    const stale = register.map((r) =>
      r.riskId === R2 ? { ...r, lastReviewedAt: '2025-12-31T23:00:00.000Z' } : r,
    );
    const { lastReviewedAt: _never, ...neverReviewed } = register[0];
    const err = spec()
      .given([])
      .when({ ...command, register: [neverReviewed, ...stale.slice(1)] })
      .thenRefuses('risks-not-reviewed');
    expect(err.details).toEqual({ riskIds: [R1, R2] });
  });

  it('does not ask for a review of a risk closed before the period', () => {
    const closedEarlier: RegisterEntry = {
      riskId: R4,
      status: 'closed',
      residualScore: 25,
      treatment: 'avoid',
      registeredAt: '2024-01-01T00:00:00.000Z',
      closedAt: '2025-06-01T00:00:00.000Z',
    };
    const [event] = riskAssessmentDecider.decide(
      { ...command, register: [...register.slice(0, 3), closedEarlier] },
      riskAssessmentDecider.initialState(),
    );
    expect(event.data.counts).toMatchObject({ risksReviewed: 3, risksClosed: 0 });
  });

  it('requires fraud risk and significant changes to be considered, with notes', () => {
    const err = spec()
      .given([])
      .when({ ...command, fraudRiskConsidered: false, significantChangesNotes: ' ' })
      .thenRefuses('considerations-required');
    expect(err.details).toEqual({ missing: ['fraudRisk', 'significantChanges'] });
  });

  it('requires the next one after the period and within 12 months of completion', () => {
    spec()
      .given([])
      .when({ ...command, nextAssessmentDue: '2026-06-30' })
      .thenRefuses('next-assessment-before-period-end');
    const err = spec()
      .given([])
      .when({ ...command, nextAssessmentDue: '2027-12-16' })
      .thenRefuses('next-assessment-too-late');
    expect(err.details).toEqual({ nextAssessmentDue: '2027-12-16', latest: '2027-12-15' });
  });

  it('refuses to complete it twice', () => {
    spec()
      .given([completed(9, 2)])
      .when(command)
      .thenRefuses('risk-assessment-already-completed');
  });

  it('refuses a period that ends before it starts or has not begun', () => {
    spec()
      .given([])
      .when({ ...command, periodStart: '2027-01-01' })
      .thenRefuses('invalid-period');
    spec()
      .given([])
      .when({ ...command, periodStart: '2026-12-16', periodEnd: '2026-12-31' })
      .thenRefuses('invalid-period');
  });
});
