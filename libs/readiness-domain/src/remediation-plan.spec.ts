import type { Answer } from './events';
import { gapIdFor, identifyGaps, planRemediation, taskIdFor, type GivenAnswer } from './remediation-plan';
import { questionnaireFor } from './questionnaire';
import { scoreReadiness } from './readiness-score';
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
  const answers: Record<string, GivenAnswer> = {
    'CC1.1.3': { answer: 'partially-implemented', owner: marcus },
    'CC1.1.1': { answer: 'not-implemented' },
    'CC1.1.2': { answer: 'partially-implemented', owner: dana },
  };
  const gaps = identifyGaps(ASSESSMENT_ID, items, (ref) => answers[ref]);

  it('takes the owner of the most severe gap, then any owner named, then the default', () => {
    // CC1.1.1 (critical) names no owner; the first owner named in the group is dana (CC1.1.2)
    const [task] = planRemediation(ASSESSMENT_ID, gaps, [], '2026-05-01T00:00:00.000Z', marcus);
    expect(task.priority).toBe('critical');
    expect(task.owner).toEqual(dana);
    expect(task.pointsOfFocus).toEqual(['CC1.1.1', 'CC1.1.2', 'CC1.1.3']);
    expect(task.proposedCatalogControlIds).toEqual(['GOV-01']);
    const none = planRemediation(
      ASSESSMENT_ID,
      identifyGaps(ASSESSMENT_ID, items, (ref) =>
        ref === 'CC1.1.1' ? { answer: 'not-implemented' } : undefined,
      ),
      [],
      '2026-05-01T00:00:00.000Z',
    );
    expect(none[0].owner).toBeUndefined();
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

  it('scores by hand-computed expectations', () => {
    const { scores, counts } = scoreReadiness(items, answerOf);
    expect(counts).toEqual({
      pointsOfFocusInScope: 248,
      answered: 248,
      implemented: 242,
      partiallyImplemented: 1,
      notImplemented: 4,
      notApplicable: 1,
    });
    // overall: (242 + 0.5) / 247 applicable = 98.18… → 98.2
    expect(scores.overall).toBe(98.2);
    // security: 229 / 231 = 99.13… → 99.1; availability: 13.5 / 16 = 84.375 → 84.4
    expect(scores.byCategory).toEqual([
      { category: 'security', score: 99.1 },
      { category: 'availability', score: 84.4 },
    ]);
    const series = Object.fromEntries(scores.bySeries.map((s) => [s.series, s.score]));
    // CC6 has 38 points of focus: 36 / 38 = 94.73… → 94.7; CC9: 14 / 14 applicable
    expect(series).toEqual({
      CC1: 100,
      CC2: 100,
      CC3: 100,
      CC4: 100,
      CC5: 100,
      CC6: 94.7,
      CC7: 100,
      CC8: 100,
      CC9: 100,
      A1: 84.4,
    });
  });

  it('finds the gaps and plans one task per criterion, raised by a high residual risk', () => {
    const gaps = identifyGaps(ASSESSMENT_ID, items, (ref) => ({ answer: answerOf(ref) }));
    expect(gaps.map((g) => [g.item.ref, g.severity])).toEqual([
      ['CC6.2.2', 'critical'],
      ['CC6.3.4', 'critical'],
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
      ['CC6.2', 'critical', '2026-05-31'],
      ['CC6.3', 'critical', '2026-05-31'],
      ['A1.2', 'medium', '2026-07-30'],
      ['A1.3', 'critical', '2026-05-31'],
    ]);
    expect(tasks[3].proposedCatalogControlIds).toEqual(expect.arrayContaining(['AVL-10', 'BCK-06']));
  });
});
