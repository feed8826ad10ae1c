import { deciderSpec } from '@attest/decider';
import type { RiskReassessed, RiskRegistered } from './events';
import { positionChanged, riskDecider, type ReassessRisk, type RegisterRisk } from './risk';
import { expectContractValid, marcus, priya, RISK_ASSESSMENT_ID, RISK_ID } from './test-fixtures';

const spec = () => deciderSpec(riskDecider);
const CONTROL = '6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f';

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

describe('risk decider', () => {
  describe('RegisterRisk', () => {
    it('registers a risk with its scores computed from likelihood × impact', () => {
      expectContractValid(spec().given([]).when(register).then([registered]));
    });

    it('registers an accepted risk with its rationale and the risk assessment it came from', () => {
      const events = spec()
        .given([])
        .when({
          ...register,
          threat: 'Disgruntled former employee',
          treatment: 'accept',
          treatmentRationale: 'Consoles are retired in Q3',
          riskAssessmentId: RISK_ASSESSMENT_ID,
        })
        .then([
          {
            type: 'RiskRegistered',
            data: {
              riskId: RISK_ID,
              title: register.title,
              description: register.description,
              category: 'security',
              threat: 'Disgruntled former employee',
              inherent: { likelihood: 3, impact: 5, score: 15 },
              residual: { likelihood: 2, impact: 4, score: 8 },
              treatment: 'accept',
              treatmentRationale: 'Consoles are retired in Q3',
              linkedControlIds: [CONTROL],
              criteria: ['CC6.2', 'CC6.3'],
              owner: marcus,
              reviewDate: '2026-09-30',
              riskAssessmentId: RISK_ASSESSMENT_ID,
              registeredAt: '2026-03-12T11:05:00.000Z',
              actor: priya,
            },
          },
        ]);
      expectContractValid(events);
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

    it('refuses to accept a risk without a rationale', () => {
      spec()
        .given([])
        .when({ ...register, treatment: 'accept' })
        .thenRefuses('treatment-rationale-required');
    });

    it.each([
      ['without a residual rating', { residual: undefined }, 'residual'],
      ['without an inherent rating', { inherent: undefined }, 'inherent'],
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

  describe('ReassessRisk', () => {
    const reassessedAt = '2026-04-14T09:00:00.000Z';

    it('records the previous and current position; what is not given is confirmed', () => {
      const events = spec()
        .given([registered])
        .when({
          type: 'ReassessRisk',
          riskId: RISK_ID,
          residual: { likelihood: 1, impact: 4 },
          rationale: 'Consoles moved behind SSO',
          nextReviewDate: '2027-03-31',
          riskAssessmentId: RISK_ASSESSMENT_ID,
          reassessedAt,
          actor: priya,
        })
        .then([
          {
            type: 'RiskReassessed',
            data: {
              riskId: RISK_ID,
              previous: {
                inherent: { likelihood: 3, impact: 5, score: 15 },
                residual: { likelihood: 2, impact: 4, score: 8 },
                treatment: 'mitigate',
              },
              current: {
                inherent: { likelihood: 3, impact: 5, score: 15 },
                residual: { likelihood: 1, impact: 4, score: 4 },
                treatment: 'mitigate',
              },
              linkedControlIds: [CONTROL],
              rationale: 'Consoles moved behind SSO',
              nextReviewDate: '2027-03-31',
              riskAssessmentId: RISK_ASSESSMENT_ID,
              reassessedAt,
              actor: priya,
            },
          },
        ]);
      expectContractValid(events);
      const [reassessed] = events as RiskReassessed[];
      expect(positionChanged(reassessed.data.previous, reassessed.data.current)).toBe(true);
    });

    it('builds on the last review', () => {
      const first = riskDecider.decide(
        {
          type: 'ReassessRisk',
          riskId: RISK_ID,
          treatment: 'transfer',
          rationale: 'Insured',
          nextReviewDate: '2026-12-31',
          reassessedAt,
          actor: priya,
        },
        riskDecider.evolve(riskDecider.initialState(), registered),
      );
      const events = spec()
        .given([registered, ...first])
        .when({
          type: 'ReassessRisk',
          riskId: RISK_ID,
          linkedControlIds: [],
          rationale: 'Still holds',
          nextReviewDate: '2027-06-30',
          reassessedAt,
          actor: priya,
        })
        .then([
          {
            type: 'RiskReassessed',
            data: {
              riskId: RISK_ID,
              previous: {
                inherent: { likelihood: 3, impact: 5, score: 15 },
                residual: { likelihood: 2, impact: 4, score: 8 },
                treatment: 'transfer',
              },
              current: {
                inherent: { likelihood: 3, impact: 5, score: 15 },
                residual: { likelihood: 2, impact: 4, score: 8 },
                treatment: 'transfer',
              },
              linkedControlIds: [],
              rationale: 'Still holds',
              nextReviewDate: '2027-06-30',
              reassessedAt,
              actor: priya,
            },
          },
        ]);
      const [reassessed] = events as RiskReassessed[];
      expect(positionChanged(reassessed.data.previous, reassessed.data.current)).toBe(false);
    });

    it('refuses an unknown risk', () => {
      spec()
        .given([])
        .when({
          type: 'ReassessRisk',
          riskId: RISK_ID,
          rationale: 'x',
          nextReviewDate: '2027-01-01',
          reassessedAt,
          actor: priya,
        })
        .thenRefuses('risk-not-found');
    });

    it('refuses a residual score above the inherent one', () => {
      spec()
        .given([registered])
        .when({
          type: 'ReassessRisk',
          riskId: RISK_ID,
          inherent: { likelihood: 1, impact: 5 },
          rationale: 'x',
          nextReviewDate: '2027-01-01',
          reassessedAt,
          actor: priya,
        })
        .thenRefuses('residual-above-inherent');
    });

    it('refuses a rating given as null or out of range', () => {
      const review = {
        type: 'ReassessRisk' as const,
        riskId: RISK_ID,
        rationale: 'x',
        nextReviewDate: '2027-01-01',
        reassessedAt,
        actor: priya,
      };
      spec()
        .given([registered])
        .when({ ...review, residual: null } as unknown as ReassessRisk)
        .thenRefuses('invalid-rating');
      spec()
        .given([registered])
        .when({ ...review, inherent: { likelihood: 0, impact: 5 } })
        .thenRefuses('invalid-rating');
    });
  });
});
