import { deciderSpec, foldEvents } from '@attest/decider';
import type { Actor, RiskEvent, RiskRegistered } from './events';
import {
  acceptanceStanding,
  riskDecider,
  type AcceptRisk,
  type RegisterRisk,
  type ReviewRisk,
  type RiskState,
} from './risk';
import type { RiskMatrix } from './risk-matrix';
import { expectContractValid, marcus, priya, RISK_ASSESSMENT_ID, RISK_ID, TASK_ID } from './test-fixtures';

const spec = () => deciderSpec(riskDecider);
const CONTROL = '6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f';
const OTHER_TASK = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
const system: Actor = { type: 'system', id: 'system:risk-acceptance-expiry' };

const register: RegisterRisk = {
  type: 'RegisterRisk',
  riskId: RISK_ID,
  title: 'Former staff keep access through unmanaged admin accounts',
  description: 'Local accounts on legacy consoles survive offboarding.',
  category: 'security',
  inherent: { likelihood: 3, impact: 5 },
  residual: { likelihood: 2, impact: 4 },
  treatment: 'mitigate',
  linkedControlIds: [CONTROL],
  criteria: ['CC6.2', 'CC6.3'],
  owner: marcus,
  reviewDate: '2026-09-30',
  registeredAt: '2026-03-12T11:05:00.000Z',
  actor: priya,
};

const registered: RiskRegistered = {
  type: 'RiskRegistered',
  data: {
    riskId: RISK_ID,
    title: 'Former staff keep access through unmanaged admin accounts',
    description: 'Local accounts on legacy consoles survive offboarding.',
    category: 'security',
    inherent: { likelihood: 3, impact: 5, score: 15 },
    residual: { likelihood: 2, impact: 4, score: 8 },
    treatment: 'mitigate',
    linkedControlIds: [CONTROL],
    criteria: ['CC6.2', 'CC6.3'],
    owner: marcus,
    reviewDate: '2026-09-30',
    registeredAt: '2026-03-12T11:05:00.000Z',
    actor: priya,
  },
};

const ACCEPTED_AT = '2026-04-14T09:00:00.000Z';
const accept: AcceptRisk = {
  type: 'AcceptRisk',
  riskId: RISK_ID,
  reason: 'Consoles are retired in Q3; access is reviewed monthly until then.',
  expiresOn: '2026-10-01',
  acceptedAt: ACCEPTED_AT,
  actor: priya,
};
const accepted: RiskEvent = {
  type: 'RiskAccepted',
  data: {
    riskId: RISK_ID,
    approver: priya,
    reason: accept.reason,
    expiresOn: '2026-10-01',
    acceptedAt: ACCEPTED_AT,
    actor: priya,
  },
};

const REVIEWED_AT = '2026-04-20T15:30:00.000Z';
const review: ReviewRisk = {
  type: 'ReviewRisk',
  riskId: RISK_ID,
  outcome: 'unchanged',
  notes: 'Q1 leavers sampled; no console account left active.',
  nextReviewDate: '2026-10-20',
  reviewedAt: REVIEWED_AT,
  actor: priya,
};

const stateAfter = (events: RiskEvent[]) =>
  foldEvents(riskDecider, events) as Exclude<RiskState, { status: 'none' }>;

describe('risk decider', () => {
  describe('RegisterRisk', () => {
    it('registers a risk with its scores computed from likelihood × impact', () => {
      expectContractValid(spec().given([]).when(register).then([registered]));
    });

    it('rates on the organization’s matrix: a 3 × 3 matrix refuses a likelihood of 4', () => {
      const matrix: RiskMatrix = {
        likelihoodLevels: ['Low', 'Medium', 'High'].map((label, i) => ({ level: i + 1, label })),
        impactLevels: ['Low', 'Medium', 'High'].map((label, i) => ({ level: i + 1, label })),
        appetiteScore: 4,
      };
      const err = spec()
        .given([])
        .when({ ...register, matrix })
        .thenRefuses('invalid-rating');
      expect(err.message).toContain('from 1 to 3');
      const [event] = riskDecider.decide(
        {
          ...register,
          matrix,
          inherent: { likelihood: 3, impact: 3 },
          residual: { likelihood: 2, impact: 3 },
        },
        riskDecider.initialState(),
      );
      expect(event.type === 'RiskRegistered' && event.data.residual).toEqual({
        likelihood: 2,
        impact: 3,
        score: 6,
      });
    });

    it('registers a transferred risk with who bears it and how', () => {
      const events = riskDecider.decide(
        {
          ...register,
          treatment: 'transfer',
          linkedControlIds: [],
          transferredTo: 'Northwind Mutual (cyber insurer)',
          treatmentRationale: 'Policy CY-2026-118 covers breach costs up to 2 M EUR.',
          riskAssessmentId: RISK_ASSESSMENT_ID,
        },
        riskDecider.initialState(),
      );
      expectContractValid(events);
      expect(events).toEqual([
        {
          type: 'RiskRegistered',
          data: {
            ...registered.data,
            treatment: 'transfer',
            treatmentRationale: 'Policy CY-2026-118 covers breach costs up to 2 M EUR.',
            linkedControlIds: [],
            transferredTo: 'Northwind Mutual (cyber insurer)',
            riskAssessmentId: RISK_ASSESSMENT_ID,
          },
        },
      ]);
    });

    it('refuses to accept a risk at registration: acceptance is an approver’s act', () => {
      spec()
        .given([])
        .when({ ...register, treatment: 'accept' } as unknown as RegisterRisk)
        .thenRefuses('acceptance-needs-approval');
    });

    it.each([
      [
        'mitigate without controls or tasks',
        { linkedControlIds: [] },
        ['linkedControlIds or remediationTaskIds'],
      ],
      [
        'transfer without a party or a plan',
        { treatment: 'transfer' },
        ['transferredTo', 'treatmentRationale'],
      ],
      ['avoid without saying how', { treatment: 'avoid', treatmentRationale: '  ' }, ['treatmentRationale']],
    ])('refuses to %s', (_name, change, missing) => {
      const err = spec()
        .given([])
        .when({ ...register, ...change } as RegisterRisk)
        .thenRefuses('treatment-details-required');
      expect(err.details).toMatchObject({ missing });
    });

    it('mitigates with remediation tasks of the organization only', () => {
      const err = spec()
        .given([])
        .when({
          ...register,
          linkedControlIds: [],
          remediationTaskIds: [TASK_ID, OTHER_TASK],
          existingRemediationTaskIds: [TASK_ID],
        })
        .thenRefuses('unknown-remediation-tasks');
      expect(err.details).toEqual({ taskIds: [OTHER_TASK] });
      const [event] = riskDecider.decide(
        {
          ...register,
          linkedControlIds: [],
          remediationTaskIds: [TASK_ID],
          existingRemediationTaskIds: [TASK_ID],
        },
        riskDecider.initialState(),
      );
      expectContractValid([event]);
      expect(event.type === 'RiskRegistered' && event.data.remediationTaskIds).toEqual([TASK_ID]);
    });

    it('refuses to register a risk twice', () => {
      spec().given([registered]).when(register).thenRefuses('risk-already-registered');
    });

    it('refuses a residual score above the inherent one', () => {
      const err = spec()
        .given([])
        .when({ ...register, residual: { likelihood: 4, impact: 4 } })
        .thenRefuses('residual-above-inherent');
      expect(err.details).toEqual({ inherent: 15, residual: 16 });
    });

    it.each([
      ['without a residual rating', { residual: undefined }, 'residual'],
      ['with a rating that is not an object', { residual: [] }, 'residual'],
      ['with a likelihood of 6', { inherent: { likelihood: 6, impact: 1 } }, 'inherent'],
      ['with an impact that is not an integer', { residual: { likelihood: 1, impact: 1.5 } }, 'residual'],
    ])('refuses a command %s instead of failing', (_name, change, rating) => {
      const err = spec()
        .given([])
        .when({ ...register, ...change } as unknown as RegisterRisk)
        .thenRefuses('invalid-rating');
      expect(err.details).toEqual({ rating });
    });
  });

  describe('AcceptRisk', () => {
    it('records the approver (the actor), the reason and the expiry; the risk stands accepted until then', () => {
      expectContractValid(spec().given([registered]).when(accept).then([accepted]));
      const state = stateAfter([registered, accepted]);
      expect(state.position.treatment).toBe('accept');
      expect(acceptanceStanding(state, '2026-09-30')).toBe('accepted');
      expect(acceptanceStanding(state, '2026-10-01')).toBe('expired');
    });

    it('refuses an expiry that is not after the acceptance day or more than 12 months later', () => {
      for (const expiresOn of ['2026-04-14', '2027-04-15', 'soon'])
        spec()
          .given([registered])
          .when({ ...accept, expiresOn })
          .thenRefuses('invalid-acceptance-expiry');
      spec()
        .given([registered])
        .when({ ...accept, expiresOn: '2027-04-14' })
        .then([{ ...accepted, data: { ...accepted.data, expiresOn: '2027-04-14' } } as RiskEvent]);
    });

    it('refuses an acceptance without a reason', () => {
      spec()
        .given([registered])
        .when({ ...accept, reason: ' ' })
        .thenRefuses('reason-required');
    });

    it('records the same acceptance once, and a renewal again', () => {
      spec().given([registered, accepted]).when(accept).then([]);
      spec()
        .given([registered, accepted])
        .when({ ...accept, expiresOn: '2026-12-01' })
        .then([{ ...accepted, data: { ...accepted.data, expiresOn: '2026-12-01' } } as RiskEvent]);
    });

    it('does not count an acceptance an earlier release registered without approval', () => {
      const legacy: RiskRegistered = {
        type: 'RiskRegistered',
        data: { ...registered.data, treatment: 'accept', treatmentRationale: 'Retired soon' },
      };
      expect(acceptanceStanding(stateAfter([legacy]), '2026-04-15')).toBe('not-accepted');
    });
  });

  describe('ExpireRiskAcceptance', () => {
    const expire = (at: string) => ({
      type: 'ExpireRiskAcceptance' as const,
      riskId: RISK_ID,
      at,
      actor: system,
    });
    const expired: RiskEvent = {
      type: 'RiskAcceptanceExpired',
      data: {
        riskId: RISK_ID,
        expiredOn: '2026-10-01',
        expiredAt: '2026-10-01T02:00:00.000Z',
        actor: system,
      },
    };

    it('records the expiry once its day has come, once', () => {
      spec().given([registered, accepted]).when(expire('2026-09-30T23:59:59.000Z')).then([]);
      expectContractValid(
        spec().given([registered, accepted]).when(expire('2026-10-01T02:00:00.000Z')).then([expired]),
      );
      spec().given([registered, accepted, expired]).when(expire('2026-10-02T02:00:00.000Z')).then([]);
      expect(acceptanceStanding(stateAfter([registered, accepted, expired]), '2026-09-01')).toBe('expired');
    });

    it('records nothing for a risk renewed or closed meanwhile, or never accepted', () => {
      const renewed = { ...accepted, data: { ...accepted.data, expiresOn: '2027-01-01' } } as RiskEvent;
      spec().given([registered, accepted, renewed]).when(expire('2026-10-01T02:00:00.000Z')).then([]);
      const closed: RiskEvent = {
        type: 'RiskClosed',
        data: {
          riskId: RISK_ID,
          reason: 'Consoles retired',
          closedAt: '2026-09-01T00:00:00.000Z',
          actor: priya,
        },
      };
      spec().given([registered, accepted, closed]).when(expire('2026-10-01T02:00:00.000Z')).then([]);
      spec().given([registered]).when(expire('2026-10-01T02:00:00.000Z')).then([]);
    });
  });

  describe('ChangeRiskTreatment', () => {
    const change = {
      type: 'ChangeRiskTreatment' as const,
      riskId: RISK_ID,
      treatment: 'mitigate' as const,
      remediationTaskIds: [TASK_ID],
      existingRemediationTaskIds: [TASK_ID],
      changedAt: '2026-05-04T10:15:00.000Z',
      actor: priya,
    };

    it('ends an acceptance: the risk is mitigated by a remediation task instead', () => {
      const events = spec()
        .given([registered, accepted])
        .when(change)
        .then([
          {
            type: 'RiskTreatmentChanged',
            data: {
              riskId: RISK_ID,
              previousTreatment: 'accept',
              treatment: 'mitigate',
              linkedControlIds: [],
              remediationTaskIds: [TASK_ID],
              changedAt: '2026-05-04T10:15:00.000Z',
              actor: priya,
            },
          },
        ]);
      expectContractValid(events);
      const state = stateAfter([registered, accepted, ...events]);
      expect(state.acceptance).toBeUndefined();
      expect(acceptanceStanding(state, '2026-05-05')).toBe('not-accepted');
    });

    it('records nothing when the treatment is already so', () => {
      spec()
        .given([registered])
        .when({ ...change, remediationTaskIds: [], linkedControlIds: [CONTROL] })
        .then([]);
    });

    it('refuses to accept through a treatment change', () => {
      spec()
        .given([registered])
        .when({ ...change, treatment: 'accept' } as never)
        .thenRefuses('acceptance-needs-approval');
    });
  });

  describe('ReviewRisk', () => {
    it('documents a review that confirms the ratings, and sets the next review', () => {
      const events = spec()
        .given([registered])
        .when({ ...review, riskAssessmentId: RISK_ASSESSMENT_ID })
        .then([
          {
            type: 'RiskReviewed',
            data: {
              riskId: RISK_ID,
              reviewer: priya,
              outcome: 'unchanged',
              notes: review.notes,
              reviewedAt: REVIEWED_AT,
              nextReviewDate: '2026-10-20',
              riskAssessmentId: RISK_ASSESSMENT_ID,
              actor: priya,
            },
          },
        ]);
      expectContractValid(events);
      expect(stateAfter([registered, ...events]).reviewDate).toBe('2026-10-20');
    });

    it('records the new ratings with a review that changed them', () => {
      const events = spec()
        .given([registered])
        .when({ ...review, outcome: 'changed', residual: { likelihood: 1, impact: 4 } })
        .then([
          {
            type: 'RiskReassessed',
            data: {
              riskId: RISK_ID,
              previous: {
                inherent: registered.data.inherent,
                residual: registered.data.residual,
                treatment: 'mitigate',
              },
              current: {
                inherent: registered.data.inherent,
                residual: { likelihood: 1, impact: 4, score: 4 },
                treatment: 'mitigate',
              },
              linkedControlIds: [CONTROL],
              rationale: review.notes,
              nextReviewDate: '2026-10-20',
              reassessedAt: REVIEWED_AT,
              actor: priya,
            },
          },
          {
            type: 'RiskReviewed',
            data: {
              riskId: RISK_ID,
              reviewer: priya,
              outcome: 'changed',
              notes: review.notes,
              reviewedAt: REVIEWED_AT,
              nextReviewDate: '2026-10-20',
              actor: priya,
            },
          },
        ]);
      expectContractValid(events);
    });

    it('refuses an outcome the ratings contradict', () => {
      spec()
        .given([registered])
        .when({ ...review, outcome: 'changed' })
        .thenRefuses('review-outcome-mismatch');
      spec()
        .given([registered])
        .when({ ...review, outcome: 'changed', residual: { likelihood: 2, impact: 4 } })
        .thenRefuses('review-outcome-mismatch');
      spec()
        .given([registered])
        .when({ ...review, inherent: { likelihood: 4, impact: 5 } })
        .thenRefuses('review-outcome-mismatch');
    });

    it('closes the risk with a review that found it no longer applies', () => {
      const { nextReviewDate: _none, ...closing } = review;
      const events = spec()
        .given([registered, accepted])
        .when({ ...closing, outcome: 'closed', notes: 'Consoles decommissioned.' })
        .then([
          {
            type: 'RiskReviewed',
            data: {
              riskId: RISK_ID,
              reviewer: priya,
              outcome: 'closed',
              notes: 'Consoles decommissioned.',
              reviewedAt: REVIEWED_AT,
              actor: priya,
            },
          },
          {
            type: 'RiskClosed',
            data: {
              riskId: RISK_ID,
              reason: 'Consoles decommissioned.',
              closedAt: REVIEWED_AT,
              actor: priya,
            },
          },
        ]);
      expectContractValid(events);
      expect(acceptanceStanding(stateAfter([registered, accepted, ...events]), '2026-04-21')).toBe('closed');
    });

    it('needs the next review after this one and within 12 months, unless it closes the risk', () => {
      spec()
        .given([registered])
        .when({ ...review, nextReviewDate: undefined })
        .thenRefuses('next-review-date-required');
      for (const nextReviewDate of ['2026-04-20', '2027-04-21'])
        spec()
          .given([registered])
          .when({ ...review, nextReviewDate })
          .thenRefuses('invalid-next-review-date');
    });

    it('refuses an unknown risk and a review without notes', () => {
      spec().given([]).when(review).thenRefuses('risk-not-found');
      spec()
        .given([registered])
        .when({ ...review, notes: '' })
        .thenRefuses('reason-required');
    });
  });

  describe('CloseRisk', () => {
    const close = {
      type: 'CloseRisk' as const,
      riskId: RISK_ID,
      reason: 'The legacy consoles were decommissioned.',
      closedAt: '2026-10-02T08:30:00.000Z',
      actor: priya,
    };
    const closed: RiskEvent = {
      type: 'RiskClosed',
      data: { riskId: RISK_ID, reason: close.reason, closedAt: close.closedAt, actor: priya },
    };

    it('closes a risk', () => {
      expectContractValid(spec().given([registered]).when(close).then([closed]));
    });

    it('refuses every change to a closed risk', () => {
      for (const command of [
        close,
        review,
        accept,
        {
          type: 'ChangeRiskTreatment' as const,
          riskId: RISK_ID,
          treatment: 'avoid' as const,
          treatmentRationale: 'Stop the activity',
          changedAt: close.closedAt,
          actor: priya,
        },
      ])
        spec().given([registered, closed]).when(command).thenRefuses('risk-closed');
    });
  });
});
