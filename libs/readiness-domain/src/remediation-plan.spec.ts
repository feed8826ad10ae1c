import type { Answer } from './events';
import { gapIdFor, identifyGaps, planRemediation, taskIdFor, type GivenAnswer } from './remediation-plan';
import { questionnaireFor } from './questionnaire';
import { evaluateReadiness } from './readiness-score';
import { ASSESSMENT_ID, dana, marcus, RISK_ID, tinyCatalog } from './test-fixtures';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('gap and task ids', () => {
  it('are stable version-5 UUIDs, one per point of focus and one per criterion of an assessment', () => {
    expect(gapIdFor(ASSESSMENT_ID, 'CC6.2.2')).toMatch(UUID_V5);
    expect(gapIdFor(ASSESSMENT_ID, 'CC6.2.2')).toBe(gapIdFor(ASSESSMENT_ID, 'CC6.2.2'));
    expect(gapIdFor(ASSESSMENT_ID, 'CC6.2.2')).not.toBe(gapIdFor(ASSESSMENT_ID, 'CC6.2.3'));
    expect(taskIdFor(ASSESSMENT_ID, 'CC6.2')).toMatch(UUID_V5);
    expect(taskIdFor(ASSESSMENT_ID, 'CC6.2')).not.toBe(
      taskIdFor('1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', 'CC6.2'),
    );
  });
});

describe('planRemediation', () => {
  const items = questionnaireFor(['availability'], tinyCatalog());
  /** Every point implemented except those given. */
  const gapsOf = (given: Record<string, GivenAnswer>, omitted: string[] = []) => {
    const answerOf = (ref: string): GivenAnswer | undefined =>
      omitted.includes(ref) ? undefined : (given[ref] ?? { answer: 'implemented' });
    const { criteria } = evaluateReadiness(items, (ref) => answerOf(ref)?.answer);
    return identifyGaps(ASSESSMENT_ID, items, answerOf, criteria);
  };

  it('takes the owner of the most severe gap, then any owner named, then the default', () => {
    // CC1.1: (0 + 0.5 + 0.5) / 3 → missing share 2/3 of a key criterion: every gap critical. CC1.1.1 names no
    // owner; the first owner named in the group is dana (CC1.1.2).
    const gaps = gapsOf({
      'CC1.1.3': { answer: 'partially-implemented', owner: marcus },
      'CC1.1.1': { answer: 'not-implemented' },
      'CC1.1.2': { answer: 'partially-implemented', owner: dana },
    });
    const [task] = planRemediation(ASSESSMENT_ID, gaps, [], '2026-05-01T00:00:00.000Z', marcus);
    expect(task.priority).toBe('critical');
    expect(task.owner).toEqual(dana);
    expect(task.pointsOfFocus).toEqual(['CC1.1.1', 'CC1.1.2', 'CC1.1.3']);
    expect(task.proposedCatalogControlIds).toEqual(['GOV-01']);
    const none = planRemediation(
      ASSESSMENT_ID,
      gapsOf({ 'CC1.1.1': { answer: 'not-implemented' } }),
      [],
      '2026-05-01T00:00:00.000Z',
    );
    expect(none[0].owner).toBeUndefined();
  });

  it('makes an unanswered point a gap, not assessed, and says so in the task', () => {
    const gaps = gapsOf({}, ['A1.3.2']);
    expect(gaps).toHaveLength(1);
    // A1.3: (1 + 0) / 2 → missing share 0.5 of a criterion of weight 2: high
    expect(gaps[0]).toMatchObject({
      item: { ref: 'A1.3.2' },
      answer: 'not-implemented',
      notAssessed: true,
      severity: 'high',
      title: 'A1.3.2 Heading A1.3.2: not assessed',
    });
    expect(gaps[0].description).toContain('Nobody answered it before the assessment was completed.');
    const [task] = planRemediation(ASSESSMENT_ID, gaps, [], '2026-05-01T00:00:00.000Z', dana);
    expect(task.description).toContain('- A1.3.2 Heading A1.3.2 (not assessed, high)');
  });

  it('finds no gap in a criterion declared not relevant', () => {
    const items2 = questionnaireFor(['availability'], tinyCatalog());
    const answerOf = (ref: string): GivenAnswer | undefined =>
      ref.startsWith('A1.3.') ? undefined : { answer: 'implemented' };
    const { criteria } = evaluateReadiness(items2, (ref) => answerOf(ref)?.answer, [
      { criterionId: 'A1.3', reason: 'No recovery duties.' },
    ]);
    expect(identifyGaps(ASSESSMENT_ID, items2, answerOf, criteria)).toEqual([]);
  });
});

/**
 * The realistic example the integration test repeats over HTTP: security + availability of the shipped catalog
 * (232 + 16 = 248 points of focus); everything implemented except the access reviews (CC6.2.2, CC6.3.4) and the
 * DR/backup restore tests (A1.3.1, A1.3.2), alternate processing (A1.2.10) partly, insurance (CC9.1.2) not applicable.
 */
describe('a realistic security + availability assessment', () => {
  const items = questionnaireFor(['availability']);
  const special: Record<string, Answer> = {
    'CC6.2.2': 'not-implemented',
    'CC6.3.4': 'not-implemented',
    'A1.3.1': 'not-implemented',
    'A1.3.2': 'not-implemented',
    'A1.2.10': 'partially-implemented',
    'CC9.1.2': 'not-applicable',
  };
  const answerOf = (ref: string): Answer => special[ref] ?? 'implemented';
  const evaluation = evaluateReadiness(items, answerOf);

  it('concludes and scores by hand-computed expectations', () => {
    const concluded = Object.fromEntries(
      evaluation.criteria
        .filter((c) => c.conclusion !== 'met')
        .map((c) => [c.criterionId, [c.conclusion, c.score]]),
    );
    // CC6.2: 2 / 3; CC6.3: 3 / 4; A1.2: 10.5 / 11 = 95.45…; A1.3: 0. CC9.1 has one applicable point, implemented.
    expect(concluded).toEqual({
      'CC6.2': ['partially-met', 66.7],
      'CC6.3': ['partially-met', 75],
      'A1.2': ['partially-met', 95.5],
      'A1.3': ['not-met', 0],
    });
    // CC6: 100 × (6 + 2 × 0.5) / 8 = 87.5; A1: 100 × (1 + 0.5 + 0) / 3 = 50
    // security: (22 − 3 × 0.125) / 22 = 98.295… → 98.3; overall: (98.295… + 50) / 2 = 74.147… → 74.1
    expect(evaluation.scores).toMatchObject({
      overall: 74.1,
      byCategory: [
        { category: 'security', score: 98.3 },
        { category: 'availability', score: 50 },
      ],
    });
  });

  it('finds the gaps and plans one task per criterion, raised by a high residual risk', () => {
    const gaps = identifyGaps(
      ASSESSMENT_ID,
      items,
      (ref) => ({ answer: answerOf(ref) }),
      evaluation.criteria,
    );
    // missing share: CC6.2 1/3 and CC6.3 1/4 of key criteria → high; A1.2 0.045 → low; A1.3 1 → high
    expect(gaps.map((g) => [g.item.ref, g.severity])).toEqual([
      ['CC6.2.2', 'high'],
      ['CC6.3.4', 'high'],
      ['A1.2.10', 'low'],
      ['A1.3.1', 'high'],
      ['A1.3.2', 'high'],
    ]);
    expect(gaps[0].proposedCatalogControlIds).toEqual(expect.arrayContaining(['AC-07', 'AC-08']));
    const tasks = planRemediation(
      ASSESSMENT_ID,
      gaps,
      [{ riskId: RISK_ID, residualScore: 12, criteria: ['A1.2', 'A1.3'] }],
      '2026-05-01T10:00:00.000Z',
      dana,
    );
    expect(tasks.map((t) => [t.criterionId, t.priority, t.dueDate])).toEqual([
      ['CC6.2', 'high', '2026-06-30'],
      ['CC6.3', 'high', '2026-06-30'],
      ['A1.2', 'medium', '2026-07-30'],
      ['A1.3', 'critical', '2026-05-31'],
    ]);
    expect(tasks[3].proposedCatalogControlIds).toEqual(expect.arrayContaining(['AVL-10', 'BCK-06']));
  });
});
