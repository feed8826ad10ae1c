import type { CriterionEvaluation } from './criterion-conclusion';
import type { Answer, CriterionConclusion } from './events';
import { questionnaireFor } from './questionnaire';
import { evaluateReadiness, publishedScores, rollUp } from './readiness-score';

/** A criterion with only what the roll-up reads. */
function concluded(criterionId: string, conclusion: CriterionConclusion): CriterionEvaluation {
  const series = criterionId.split('.')[0];
  const key = ['CC1', 'CC6', 'CC7', 'CC8'].includes(series);
  return {
    criterionId,
    category: series.startsWith('CC') ? 'security' : 'availability',
    series,
    weight: key ? 3 : 2,
    conclusion,
    score: null,
    points: {
      applicable: 0,
      implemented: 0,
      partiallyImplemented: 0,
      notImplemented: 0,
      notAssessed: 0,
      notApplicable: 0,
    },
  };
}

const seriesOf = (scores: ReturnType<typeof rollUp>) =>
  Object.fromEntries(scores.bySeries.map((s) => [s.series, s.score]));
const categoriesOf = (scores: ReturnType<typeof rollUp>) =>
  Object.fromEntries(scores.byCategory.map((c) => [c.category, c.score]));

describe('rollUp', () => {
  it('scores a series from its conclusions, not from how many points of focus each criterion has', () => {
    const scores = rollUp([
      concluded('CC6.1', 'met'),
      concluded('CC6.2', 'partially-met'),
      concluded('CC6.3', 'not-met'),
      concluded('CC6.5', 'not-applicable'),
      concluded('CC9.1', 'met'),
      concluded('A1.2', 'met'),
      concluded('A1.3', 'not-met'),
    ]);
    // CC6: 100 × 3 × (1 + 0.5 + 0) / (3 × 3) = 50, CC6.5 left out; CC9: 100; A1: 100 × 2 × (1 + 0) / (2 × 2) = 50
    expect(scores.bySeries).toEqual([
      { series: 'CC6', category: 'security', weight: 3, score: 50 },
      { series: 'CC9', category: 'security', weight: 2, score: 100 },
      { series: 'A1', category: 'availability', weight: 2, score: 50 },
    ]);
    // security: (3 × 50 + 2 × 100) / 5 = 70; availability 50; overall (70 + 50) / 2 = 60
    expect(categoriesOf(scores)).toEqual({ security: 70, availability: 50 });
    expect(scores.overall).toBe(60);
  });

  it('gives a group with nothing applicable no score and leaves it out of its category', () => {
    const scores = rollUp([
      concluded('CC6.1', 'partially-met'),
      concluded('CC9.1', 'not-applicable'),
      concluded('CC9.2', 'not-applicable'),
      concluded('A1.1', 'not-applicable'),
    ]);
    expect(seriesOf(scores)).toEqual({ CC6: 50, CC9: null, A1: null });
    expect(categoriesOf(scores)).toEqual({ security: 50, availability: null });
    // the mean of the categories that have a score
    expect(scores.overall).toBe(50);
    expect(publishedScores(scores)).toEqual({
      overall: 50,
      byCategory: [{ category: 'security', score: 50 }],
      bySeries: [{ series: 'CC6', score: 50 }],
    });
    expect(publishedScores(rollUp([concluded('CC9.1', 'not-applicable')]))).toBeNull();
  });

  it('rounds each figure from the unrounded ones below it', () => {
    // CC6: 100 × (1 + 1 + 0.5) / 3 = 83.33…; security: (3 × 83.33… + 2 × 100) / 5 = 90; shown 83.3 and 90
    const scores = rollUp([
      concluded('CC6.1', 'met'),
      concluded('CC6.2', 'met'),
      concluded('CC6.3', 'partially-met'),
      concluded('CC9.1', 'met'),
    ]);
    expect(seriesOf(scores)).toEqual({ CC6: 83.3, CC9: 100 });
    expect(scores.overall).toBe(90);
  });
});

/**
 * Worked example 1 (the READMEs): a company that fails change management entirely. Security only (232 points of
 * focus, 33 criteria); the 18 points of CC8.1 not implemented, everything else implemented.
 */
describe('a company failing change management entirely', () => {
  const items = questionnaireFor([]);
  const evaluation = evaluateReadiness(items, (ref): Answer =>
    ref.startsWith('CC8.1.') ? 'not-implemented' : 'implemented',
  );

  it('concludes CC8.1 not met and scores the CC8 series 0', () => {
    const cc81 = evaluation.criteria.find((c) => c.criterionId === 'CC8.1');
    expect(cc81).toMatchObject({
      conclusion: 'not-met',
      score: 0,
      weight: 3,
      points: { notImplemented: 18 },
    });
    expect(evaluation.criteria.filter((c) => c.conclusion === 'met')).toHaveLength(32);
    expect(seriesOf(evaluation.scores)).toEqual({
      CC1: 100,
      CC2: 100,
      CC3: 100,
      CC4: 100,
      CC5: 100,
      CC6: 100,
      CC7: 100,
      CC8: 0,
      CC9: 100,
    });
  });

  it('costs the overall score the weight of a key series: about 86, not the 92 a per-point average gives', () => {
    // series weights: CC1, CC6, CC7, CC8 = 3, CC2-CC5, CC9 = 2 → Σ = 22.
    // security = (3 × 100 × 3 + 2 × 100 × 5 + 3 × 0) / 22 = 1900 / 22 = 86.36… → 86.4; overall = security.
    // (A per-point average would say (232 − 18) / 232 = 92.2.)
    expect(evaluation.scores.byCategory).toEqual([{ category: 'security', score: 86.4 }]);
    expect(evaluation.scores.overall).toBe(86.4);
  });
});

/**
 * Worked example 2: a criterion whose points are all answered not applicable (A1.3, both points), everything else
 * implemented, security + availability.
 */
describe('a criterion with every point not applicable', () => {
  const items = questionnaireFor(['availability']);
  const answerOf = (ref: string): Answer => (ref.startsWith('A1.3.') ? 'not-applicable' : 'implemented');

  it('needs a justification and does not score 100 until it has one', () => {
    const evaluation = evaluateReadiness(items, answerOf);
    const a13 = evaluation.criteria.find((c) => c.criterionId === 'A1.3');
    expect(a13).toMatchObject({ conclusion: 'not-met', score: null, justificationRequired: true });
    // A1: 100 × 2 × (1 + 1 + 0) / (2 × 3) = 66.7; overall (100 + 66.67) / 2 = 83.3
    expect(categoriesOf(evaluation.scores)).toEqual({ security: 100, availability: 66.7 });
    expect(evaluation.scores.overall).toBe(83.3);
  });

  it('reads not applicable, with its reason, once the system description declares it not relevant', () => {
    const reason = 'Recovery is the customers’ own: the platform holds no data it would restore.';
    const evaluation = evaluateReadiness(items, answerOf, [{ criterionId: 'A1.3', reason }]);
    const a13 = evaluation.criteria.find((c) => c.criterionId === 'A1.3');
    expect(a13).toEqual({
      criterionId: 'A1.3',
      category: 'availability',
      series: 'A1',
      weight: 2,
      conclusion: 'not-applicable',
      score: null,
      points: {
        applicable: 0,
        implemented: 0,
        partiallyImplemented: 0,
        notImplemented: 0,
        notAssessed: 0,
        notApplicable: 2,
      },
      reason,
    });
    expect(evaluation.scores.overall).toBe(100);
  });
});

/**
 * Worked example 3: the demo's company (the answers of tools/smoke/src/readiness-walkthrough.ts), security +
 * availability: access requests approved in chat (CC6.2.1 partially), no access reviews (CC6.2.2, CC6.3.4 not
 * implemented), recovery and restores never tested (A1.3.1, A1.3.2 not implemented), insurance not applicable
 * (CC9.1.2); everything else implemented. A per-point average called this company 98.2.
 */
describe("the demo's company", () => {
  const DEMO: Record<string, Answer> = {
    'CC6.2.1': 'partially-implemented',
    'CC6.2.2': 'not-implemented',
    'CC6.3.4': 'not-implemented',
    'A1.3.1': 'not-implemented',
    'A1.3.2': 'not-implemented',
    'CC9.1.2': 'not-applicable',
  };
  const evaluation = evaluateReadiness(
    questionnaireFor(['availability']),
    (ref) => DEMO[ref] ?? 'implemented',
  );

  it('shows its missing recovery testing and access reviews in a score nobody would call 98', () => {
    const byId = Object.fromEntries(evaluation.criteria.map((c) => [c.criterionId, c]));
    // CC6.2: (0.5 + 0 + 1) / 3 = 50 → partially met; CC6.3: 3 / 4 = 75 → partially met; A1.3: 0 → not met
    expect([byId['CC6.2'], byId['CC6.3'], byId['A1.3']].map((c) => [c.conclusion, c.score])).toEqual([
      ['partially-met', 50],
      ['partially-met', 75],
      ['not-met', 0],
    ]);
    // CC6: 100 × (6 × 1 + 2 × 0.5) / 8 = 87.5; security: (22 − 3 × 0.125) / 22 = 98.295… → 98.3
    // A1: 100 × (1 + 1 + 0) / 3 = 66.7; overall: (98.295… + 66.666…) / 2 = 82.48… → 82.5
    expect(seriesOf(evaluation.scores)).toMatchObject({ CC6: 87.5, CC9: 100, A1: 66.7 });
    expect(categoriesOf(evaluation.scores)).toEqual({ security: 98.3, availability: 66.7 });
    expect(evaluation.scores.overall).toBe(82.5);
    expect(evaluation.scores.overall).toBeLessThan(95);
  });

  it('counts the points behind the conclusions', () => {
    expect(evaluation.counts).toEqual({
      pointsOfFocusInScope: 248,
      answered: 248,
      implemented: 242,
      partiallyImplemented: 1,
      notImplemented: 4,
      notApplicable: 1,
      notAssessed: 0,
    });
  });
});

describe('evaluateReadiness while answers are missing', () => {
  it('counts unanswered points as not assessed, lowering their criteria', () => {
    const evaluation = evaluateReadiness(questionnaireFor([]), (ref) =>
      ref.startsWith('CC9.') ? undefined : 'implemented',
    );
    expect(evaluation.counts).toMatchObject({ answered: 217, notAssessed: 15 });
    expect(
      evaluation.criteria.filter((c) => c.series === 'CC9').map((c) => [c.criterionId, c.conclusion]),
    ).toEqual([
      ['CC9.1', 'not-met'],
      ['CC9.2', 'not-met'],
    ]);
    // security: (22 − 2) / 22 = 90.9
    expect(evaluation.scores.overall).toBe(90.9);
  });
});
