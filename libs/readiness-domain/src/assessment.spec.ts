import { deciderSpec } from '@attest/decider';
import { assessmentDecider, type RecordAnswer } from './assessment';
import type {
  AnswerRecorded,
  AnswerRecordedData,
  AssessmentEvent,
  AssessmentStarted,
  Category,
  CriterionConclusion,
  CriterionResult,
  PointTally,
} from './events';
import { gapIdFor, taskIdFor } from './remediation-plan';
import {
  ASSESSMENT_ID,
  dana,
  expectContractValid,
  marcus,
  priya,
  RISK_ID,
  systemDescription,
  tinyCatalog,
} from './test-fixtures';

const catalog = tinyCatalog();
const decider = assessmentDecider(catalog);
const spec = () => deciderSpec(decider);
const STARTED_AT = '2026-03-02T09:00:00.000Z';
const ANSWERED_AT = '2026-03-04T14:02:11.000Z';
const COMPLETED_AT = '2026-05-01T10:00:00.000Z';

const started = (categories: Category[] = ['security', 'availability']): AssessmentStarted => ({
  type: 'AssessmentStarted',
  data: {
    assessmentId: ASSESSMENT_ID,
    name: 'FY26 readiness',
    startedAt: STARTED_AT,
    actor: priya,
    scope: { categories, criteriaEdition: 'tsc-2017-rev2022' },
    catalogVersion: '1.0.0',
    systemDescription,
  },
});

const answered = (
  ref: string,
  answer: AnswerRecordedData['answer'],
  extra: Partial<AnswerRecordedData> = {},
): AnswerRecorded => {
  const criterionId = ref.split('.').slice(0, 2).join('.');
  return {
    type: 'AnswerRecorded',
    data: {
      assessmentId: ASSESSMENT_ID,
      pointOfFocusRef: ref,
      criterionId,
      category: ref.startsWith('A1') ? 'availability' : ref.startsWith('C1') ? 'confidentiality' : 'security',
      answer,
      ...extra,
      revision: extra.revision ?? 1,
      answeredAt: ANSWERED_AT,
      actor: priya,
    },
  };
};

const record = (
  ref: string,
  answer: RecordAnswer['answer'],
  extra: Partial<RecordAnswer> = {},
): RecordAnswer => ({
  type: 'RecordAnswer',
  assessmentId: ASSESSMENT_ID,
  pointOfFocusRef: ref,
  answer,
  answeredAt: ANSWERED_AT,
  actor: priya,
  ...extra,
});

/** The worked example: 9 points of focus in scope (security + availability of the tiny catalog). */
const workedAnswers: AnswerRecorded[] = [
  answered('CC1.1.1', 'implemented'),
  answered('CC1.1.2', 'implemented'),
  answered('CC1.1.3', 'partially-implemented'),
  answered('CC6.1.1', 'implemented'),
  answered('CC6.1.2', 'not-implemented', { notes: 'No MFA on admin consoles.', owner: marcus }),
  answered('CC9.1.1', 'implemented'),
  answered('CC9.1.2', 'not-applicable', { justification: 'No insurance-relevant exposure.' }),
  answered('A1.3.1', 'not-implemented', { owner: dana }),
  answered('A1.3.2', 'partially-implemented', { owner: marcus }),
];

/** A criterion of the tiny catalog as AssessmentCompleted carries it; the points not given are 0. */
function criterion(
  criterionId: string,
  conclusion: CriterionConclusion,
  score: number | null,
  points: Partial<PointTally>,
): CriterionResult {
  const series = criterionId.split('.')[0];
  const tally = {
    implemented: 0,
    partiallyImplemented: 0,
    notImplemented: 0,
    notAssessed: 0,
    notApplicable: 0,
    ...points,
  };
  return {
    criterionId,
    category: series === 'A1' ? 'availability' : 'security',
    series,
    weight: series === 'CC1' || series === 'CC6' ? 3 : 2,
    conclusion,
    score,
    points: {
      applicable: tally.implemented + tally.partiallyImplemented + tally.notImplemented + tally.notAssessed,
      ...tally,
    },
  };
}

describe('assessment decider', () => {
  describe('StartAssessment', () => {
    it('starts with security always in scope and the categories in catalog order', () => {
      const events = spec()
        .given([])
        .when({
          type: 'StartAssessment',
          assessmentId: ASSESSMENT_ID,
          name: 'FY26 readiness',
          categories: ['availability'],
          catalogVersion: '1.0.0',
          systemDescription,
          startedAt: STARTED_AT,
          actor: priya,
        })
        .then([started()]);
      expectContractValid(events);
    });

    it('keeps the target report type and completion date', () => {
      const events = spec()
        .given([])
        .when({
          type: 'StartAssessment',
          assessmentId: ASSESSMENT_ID,
          name: 'FY26 readiness',
          categories: ['security'],
          catalogVersion: '1.0.0',
          systemDescription,
          targetReportType: 'type-2',
          targetCompletionDate: '2026-06-30',
          startedAt: STARTED_AT,
          actor: priya,
        })
        .then([
          {
            type: 'AssessmentStarted',
            data: {
              assessmentId: ASSESSMENT_ID,
              name: 'FY26 readiness',
              startedAt: STARTED_AT,
              actor: priya,
              targetReportType: 'type-2',
              targetCompletionDate: '2026-06-30',
              scope: { categories: ['security'], criteriaEdition: 'tsc-2017-rev2022' },
              catalogVersion: '1.0.0',
              systemDescription,
            },
          },
        ]);
      expectContractValid(events);
    });

    it('refuses to start an assessment twice', () => {
      spec()
        .given([started()])
        .when({
          type: 'StartAssessment',
          assessmentId: ASSESSMENT_ID,
          name: 'again',
          categories: [],
          catalogVersion: '1.0.0',
          systemDescription,
          startedAt: STARTED_AT,
          actor: priya,
        })
        .thenRefuses('assessment-already-started');
    });

    it('refuses a catalog version the service does not have', () => {
      const err = spec()
        .given([])
        .when({
          type: 'StartAssessment',
          assessmentId: ASSESSMENT_ID,
          name: 'FY26 readiness',
          categories: [],
          catalogVersion: '0.9.0',
          systemDescription,
          startedAt: STARTED_AT,
          actor: priya,
        })
        .thenRefuses('unsupported-catalog-version');
      expect(err.details).toEqual({ requested: '0.9.0', available: ['1.0.0'] });
    });
  });

  describe('RecordAnswer', () => {
    it('records a first answer as revision 1 with the criterion and category of the point of focus', () => {
      const evidence = [
        {
          kind: 'ticket' as const,
          uri: 'https://jira.example/browse/SEC-412',
          title: 'SEC-412 Move consoles behind SSO',
        },
      ];
      const events = spec()
        .given([started()])
        .when(
          record('CC6.1.2', 'partially-implemented', {
            notes: 'Two consoles left.',
            owner: marcus,
            evidenceReferences: evidence,
          }),
        )
        .then([
          {
            type: 'AnswerRecorded',
            data: {
              assessmentId: ASSESSMENT_ID,
              pointOfFocusRef: 'CC6.1.2',
              criterionId: 'CC6.1',
              category: 'security',
              answer: 'partially-implemented',
              notes: 'Two consoles left.',
              owner: marcus,
              evidenceReferences: evidence,
              revision: 1,
              answeredAt: ANSWERED_AT,
              actor: priya,
            },
          },
        ]);
      expectContractValid(events);
    });

    it('records a changed answer as the next revision', () => {
      spec()
        .given([
          started(),
          answered('A1.3.1', 'not-implemented'),
          answered('A1.3.1', 'partially-implemented', { revision: 2 }),
        ])
        .when(record('A1.3.1', 'implemented'))
        .then([answered('A1.3.1', 'implemented', { revision: 3 })]);
    });

    it('records not applicable with its justification', () => {
      const events = spec()
        .given([started()])
        .when(record('CC9.1.2', 'not-applicable', { justification: 'We hold no insurable exposure.' }))
        .then([answered('CC9.1.2', 'not-applicable', { justification: 'We hold no insurable exposure.' })]);
      expectContractValid(events);
    });

    it('records nothing when the same answer is given again (an idempotent retry)', () => {
      spec()
        .given([started(), answered('CC6.1.2', 'not-implemented', { owner: marcus })])
        .when(
          record('CC6.1.2', 'not-implemented', {
            owner: { email: marcus.email, displayName: marcus.displayName, personId: marcus.personId },
          }),
        )
        .then([]);
    });

    it('refuses an answer to an assessment that was never started', () => {
      spec().given([]).when(record('CC6.1.2', 'implemented')).thenRefuses('assessment-not-found');
    });

    it('refuses an answer to a completed assessment', () => {
      spec()
        .given([
          started(['security']),
          ...workedAnswers.filter((e) => e.data.category === 'security'),
          {
            type: 'AssessmentCompleted',
            data: {
              assessmentId: ASSESSMENT_ID,
              completedAt: COMPLETED_AT,
              actor: priya,
              catalogVersion: '1.0.0',
              categories: ['security'],
              scores: { overall: 0, byCategory: [], bySeries: [] },
              counts: {
                pointsOfFocusInScope: 0,
                answered: 0,
                implemented: 0,
                partiallyImplemented: 0,
                notImplemented: 0,
                notApplicable: 0,
                gaps: 0,
                gapsBySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
              },
            },
          },
        ])
        .when(record('CC6.1.2', 'implemented'))
        .thenRefuses('assessment-completed');
    });

    it('refuses a point of focus the catalog does not have', () => {
      spec().given([started()]).when(record('CC6.1.9', 'implemented')).thenRefuses('unknown-point-of-focus');
    });

    it('refuses a point of focus outside the scope', () => {
      const err = spec()
        .given([started()])
        .when(record('C1.1.1', 'implemented'))
        .thenRefuses('point-of-focus-out-of-scope');
      expect(err.details).toMatchObject({ category: 'confidentiality', scope: ['security', 'availability'] });
    });

    it('refuses not applicable without a justification', () => {
      spec()
        .given([started()])
        .when(record('CC9.1.2', 'not-applicable'))
        .thenRefuses('justification-required');
      spec()
        .given([started()])
        .when(record('CC9.1.2', 'not-applicable', { justification: '   ' }))
        .thenRefuses('justification-required');
    });
  });

  describe('CompleteAssessment', () => {
    const complete = {
      type: 'CompleteAssessment' as const,
      assessmentId: ASSESSMENT_ID,
      completedAt: COMPLETED_AT,
      actor: priya,
      defaultTaskOwner: dana,
      risks: [
        { riskId: RISK_ID, residualScore: 12, criteria: ['A1.3'] },
        { riskId: 'b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e', residualScore: 4, criteria: ['CC1.1'] },
      ],
    };
    const gap = (ref: string) => gapIdFor(ASSESSMENT_ID, ref);

    it('freezes the answers, emits the gaps, the scores and one remediation task per criterion with gaps', () => {
      const events = spec()
        .given([started(), ...workedAnswers])
        .when(complete)
        .then([
          {
            type: 'GapIdentified',
            data: {
              assessmentId: ASSESSMENT_ID,
              gapId: gap('CC1.1.3'),
              criterionId: 'CC1.1',
              pointOfFocusRef: 'CC1.1.3',
              category: 'security',
              // CC1.1 scores (1 + 1 + 0.5) / 3 = 83.3: missing share 0.17 of a key criterion
              severity: 'medium',
              answer: 'partially-implemented',
              title: 'CC1.1.3 Heading CC1.1.3: partially implemented',
              description:
                'CC1.1 (CC1.1 title): Heading CC1.1.3 is partially implemented. What CC1.1.3 means.',
              proposedCatalogControlIds: [],
              identifiedAt: COMPLETED_AT,
              actor: priya,
            },
          },
          {
            type: 'GapIdentified',
            data: {
              assessmentId: ASSESSMENT_ID,
              gapId: gap('CC6.1.2'),
              criterionId: 'CC6.1',
              pointOfFocusRef: 'CC6.1.2',
              category: 'security',
              // CC6.1 scores (1 + 0) / 2 = 50: missing share 0.5 of a key criterion
              severity: 'critical',
              answer: 'not-implemented',
              title: 'CC6.1.2 Heading CC6.1.2: not implemented',
              description:
                'CC6.1 (CC6.1 title): Heading CC6.1.2 is not implemented. What CC6.1.2 means. Notes from the assessment: No MFA on admin consoles.',
              proposedCatalogControlIds: ['AC-07'],
              identifiedAt: COMPLETED_AT,
              actor: priya,
            },
          },
          {
            type: 'GapIdentified',
            data: {
              assessmentId: ASSESSMENT_ID,
              gapId: gap('A1.3.1'),
              criterionId: 'A1.3',
              pointOfFocusRef: 'A1.3.1',
              category: 'availability',
              // A1.3 scores (0 + 0.5) / 2 = 25: missing share 0.75 of a criterion of weight 2; every gap of A1.3
              // has its criterion's severity
              severity: 'high',
              answer: 'not-implemented',
              title: 'A1.3.1 Heading A1.3.1: not implemented',
              description: 'A1.3 (A1.3 title): Heading A1.3.1 is not implemented. What A1.3.1 means.',
              proposedCatalogControlIds: ['AVL-10', 'BCK-06'],
              identifiedAt: COMPLETED_AT,
              actor: priya,
            },
          },
          {
            type: 'GapIdentified',
            data: {
              assessmentId: ASSESSMENT_ID,
              gapId: gap('A1.3.2'),
              criterionId: 'A1.3',
              pointOfFocusRef: 'A1.3.2',
              category: 'availability',
              severity: 'high',
              answer: 'partially-implemented',
              title: 'A1.3.2 Heading A1.3.2: partially implemented',
              description: 'A1.3 (A1.3 title): Heading A1.3.2 is partially implemented. What A1.3.2 means.',
              proposedCatalogControlIds: ['BCK-06'],
              identifiedAt: COMPLETED_AT,
              actor: priya,
            },
          },
          {
            type: 'AssessmentCompleted',
            data: {
              assessmentId: ASSESSMENT_ID,
              completedAt: COMPLETED_AT,
              actor: priya,
              catalogVersion: '1.0.0',
              categories: ['security', 'availability'],
              // Conclusions: CC1.1 and CC6.1 partially met (0.5), CC9.1 met (1), A1.3 not met (0).
              scores: {
                // (62.5 + 0) / 2 = 31.25 → 31.3
                overall: 31.3,
                byCategory: [
                  // (3 × 50 + 3 × 50 + 2 × 100) / (3 + 3 + 2) = 500 / 8
                  { category: 'security', score: 62.5 },
                  { category: 'availability', score: 0 },
                ],
                bySeries: [
                  { series: 'CC1', score: 50 },
                  { series: 'CC6', score: 50 },
                  { series: 'CC9', score: 100 },
                  { series: 'A1', score: 0 },
                ],
              },
              counts: {
                pointsOfFocusInScope: 9,
                answered: 9,
                implemented: 4,
                partiallyImplemented: 2,
                notImplemented: 2,
                notApplicable: 1,
                notAssessed: 0,
                gaps: 4,
                gapsBySeverity: { critical: 1, high: 2, medium: 1, low: 0 },
              },
              scoringMethod: 'criterion-conclusions-v2',
              criteria: [
                criterion('CC1.1', 'partially-met', 83.3, { implemented: 2, partiallyImplemented: 1 }),
                criterion('CC6.1', 'partially-met', 50, { implemented: 1, notImplemented: 1 }),
                // CC9.1.2 not applicable: one applicable point, implemented
                criterion('CC9.1', 'met', 100, { implemented: 1, notApplicable: 1 }),
                criterion('A1.3', 'not-met', 25, { partiallyImplemented: 1, notImplemented: 1 }),
              ],
            },
          },
          {
            type: 'RemediationTaskCreated',
            data: {
              taskId: taskIdFor(ASSESSMENT_ID, 'CC1.1'),
              assessmentId: ASSESSMENT_ID,
              gapIds: [gap('CC1.1.3')],
              title: 'Close 1 gap in CC1.1 CC1.1 title',
              description:
                'Put in place what CC1.1 (CC1.1 title) still lacks:\n- CC1.1.3 Heading CC1.1.3 (partially implemented, medium)\nLinked risks: b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e (residual 4).',
              // the linked risk on CC1.1 has a low residual score (4): no raise
              priority: 'medium',
              // no answer names an owner: the default owner
              owner: dana,
              // 2026-05-01 + 90 days
              dueDate: '2026-07-30',
              pointsOfFocus: ['CC1.1.3'],
              proposedCatalogControlIds: [],
              createdAt: COMPLETED_AT,
              actor: priya,
            },
          },
          {
            type: 'RemediationTaskCreated',
            data: {
              taskId: taskIdFor(ASSESSMENT_ID, 'CC6.1'),
              assessmentId: ASSESSMENT_ID,
              gapIds: [gap('CC6.1.2')],
              title: 'Close 1 gap in CC6.1 CC6.1 title',
              description:
                'Put in place what CC6.1 (CC6.1 title) still lacks:\n- CC6.1.2 Heading CC6.1.2 (not implemented, critical)\nCatalog controls that would close these gaps: AC-07.',
              priority: 'critical',
              owner: marcus,
              dueDate: '2026-05-31',
              pointsOfFocus: ['CC6.1.2'],
              proposedCatalogControlIds: ['AC-07'],
              createdAt: COMPLETED_AT,
              actor: priya,
            },
          },
          {
            type: 'RemediationTaskCreated',
            data: {
              taskId: taskIdFor(ASSESSMENT_ID, 'A1.3'),
              assessmentId: ASSESSMENT_ID,
              gapIds: [gap('A1.3.1'), gap('A1.3.2')],
              title: 'Close 2 gaps in A1.3 A1.3 title',
              description: [
                'Put in place what A1.3 (A1.3 title) still lacks:',
                '- A1.3.1 Heading A1.3.1 (not implemented, high)',
                '- A1.3.2 Heading A1.3.2 (partially implemented, high)',
                'Catalog controls that would close these gaps: AVL-10, BCK-06.',
                `Linked risks: ${RISK_ID} (residual 12).`,
              ].join('\n'),
              // worst gap high, raised one level by the linked risk's high residual score (12)
              priority: 'critical',
              // the owner of the most severe gap (A1.3.1)
              owner: dana,
              dueDate: '2026-05-31',
              pointsOfFocus: ['A1.3.1', 'A1.3.2'],
              proposedCatalogControlIds: ['AVL-10', 'BCK-06'],
              createdAt: COMPLETED_AT,
              actor: priya,
            },
          },
        ]);
      expectContractValid(events);
    });

    it('completes with no gaps and no tasks when everything is in place', () => {
      const all = ['CC1.1.1', 'CC1.1.2', 'CC1.1.3', 'CC6.1.1', 'CC6.1.2', 'CC9.1.1', 'CC9.1.2'];
      const events = decider.decide(
        { ...complete, defaultTaskOwner: undefined },
        [started(['security']), ...all.map((r) => answered(r, 'implemented'))].reduce(
          decider.evolve,
          decider.initialState(),
        ),
      );
      expect(events.map((e) => e.type)).toEqual(['AssessmentCompleted']);
      expect(events[0].type === 'AssessmentCompleted' && events[0].data.scores.overall).toBe(100);
      expectContractValid(events);
    });

    it('refuses to complete an assessment that was never started', () => {
      spec().given([]).when(complete).thenRefuses('assessment-not-found');
    });

    it('refuses to complete twice', () => {
      const history = [started(), ...workedAnswers];
      const first = decider.decide(complete, history.reduce(decider.evolve, decider.initialState()));
      spec()
        .given([
          ...history,
          ...first.filter((e): e is AssessmentEvent => e.type !== 'RemediationTaskCreated'),
        ])
        .when(complete)
        .thenRefuses('assessment-completed');
    });

    it('completes with unanswered points of focus: each is not assessed, earns nothing and is a gap', () => {
      const events = decider.decide(
        complete,
        [
          started(),
          ...workedAnswers.filter(
            (e) => e.data.pointOfFocusRef !== 'CC9.1.1' && e.data.pointOfFocusRef !== 'A1.3.2',
          ),
        ].reduce(decider.evolve, decider.initialState()),
      );
      expectContractValid(events);
      const gaps = events.flatMap((e) => (e.type === 'GapIdentified' ? [e.data] : []));
      // CC9.1: its one applicable point (CC9.1.1) not assessed → 0, not met; a criterion of weight 2 missing
      // everything: high
      expect(gaps.find((g) => g.pointOfFocusRef === 'CC9.1.1')).toMatchObject({
        answer: 'not-implemented',
        notAssessed: true,
        severity: 'high',
        title: 'CC9.1.1 Heading CC9.1.1: not assessed',
      });
      expect(gaps.find((g) => g.pointOfFocusRef === 'A1.3.2')).toMatchObject({ notAssessed: true });
      expect(gaps.find((g) => g.pointOfFocusRef === 'A1.3.1')).not.toHaveProperty('notAssessed');
      const completed = events.find((e) => e.type === 'AssessmentCompleted');
      expect(completed?.type === 'AssessmentCompleted' && completed.data).toMatchObject({
        counts: { answered: 7, notAssessed: 2, gaps: 5 },
        // security: (3 × 50 + 3 × 50 + 2 × 0) / 8 = 37.5; availability 0; overall 18.75 → 18.8
        scores: { overall: 18.8 },
        criteria: expect.arrayContaining([
          criterion('CC9.1', 'not-met', 0, { notAssessed: 1, notApplicable: 1 }),
          criterion('A1.3', 'not-met', 0, { notImplemented: 1, notAssessed: 1 }),
        ]),
      });
    });

    it('refuses a criterion whose points are all not applicable until it is declared not relevant', () => {
      const allNotApplicable = [
        ...workedAnswers.filter((e) => !e.data.pointOfFocusRef.startsWith('CC9.1.')),
        answered('CC9.1.1', 'not-applicable', { justification: 'No vendors.' }),
        answered('CC9.1.2', 'not-applicable', { justification: 'No insurance.' }),
      ];
      const err = spec()
        .given([started(), ...allNotApplicable])
        .when(complete)
        .thenRefuses('criterion-justification-required');
      expect(err.details).toEqual({ criteria: ['CC9.1'] });

      const reason = 'The platform has no business partners or vendors whose risks it would mitigate.';
      const declared = started();
      declared.data.systemDescription = {
        ...systemDescription,
        criteriaNotRelevant: [{ criterionId: 'CC9.1', reason }],
      };
      const events = decider.decide(
        complete,
        [declared, ...allNotApplicable].reduce(decider.evolve, decider.initialState()),
      );
      expectContractValid(events);
      const completed = events.find((e) => e.type === 'AssessmentCompleted');
      expect(completed?.type === 'AssessmentCompleted' && completed.data.criteria).toContainEqual({
        ...criterion('CC9.1', 'not-applicable', null, { notApplicable: 2 }),
        reason,
      });
      // left out everywhere: the CC9 series has no score and is not listed; security (3 × 50 + 3 × 50) / 6 = 50
      expect(completed?.type === 'AssessmentCompleted' && completed.data.scores).toEqual({
        overall: 25,
        byCategory: [
          { category: 'security', score: 50 },
          { category: 'availability', score: 0 },
        ],
        bySeries: [
          { series: 'CC1', score: 50 },
          { series: 'CC6', score: 50 },
          { series: 'A1', score: 0 },
        ],
      });
    });

    it('refuses to conclude when every criterion in scope is declared not relevant', () => {
      const declared = started(['security']);
      declared.data.systemDescription = {
        ...systemDescription,
        criteriaNotRelevant: ['CC1.1', 'CC6.1', 'CC9.1'].map((criterionId) => ({
          criterionId,
          reason: 'None.',
        })),
      };
      spec().given([declared]).when(complete).thenRefuses('nothing-applicable');
    });

    it('refuses when a remediation task would have no owner', () => {
      const err = spec()
        .given([started(), ...workedAnswers])
        .when({ ...complete, defaultTaskOwner: undefined })
        .thenRefuses('task-owner-required');
      expect(err.details).toEqual({ criteria: ['CC1.1'] });
    });
  });
});
