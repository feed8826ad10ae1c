import type { Answer } from './events';
import { groupScore, scoreReadiness, type ScoredItem } from './readiness-score';

describe('groupScore', () => {
  it('counts implemented fully, partially half, not implemented nothing and leaves not applicable out', () => {
    // (1 + 0.5 + 0) / 3 applicable = 0.5 → 50
    expect(groupScore(['implemented', 'partially-implemented', 'not-implemented', 'not-applicable'])).toBe(
      50,
    );
    // (1 + 1 + 0.5) / 3 = 0.8333… → 83.3
    expect(groupScore(['implemented', 'implemented', 'partially-implemented'])).toBe(83.3);
    // 2 / 3 = 0.6666… → 66.7
    expect(groupScore(['implemented', 'implemented', 'not-implemented'])).toBe(66.7);
    expect(groupScore(['implemented'])).toBe(100);
    expect(groupScore(['not-implemented'])).toBe(0);
  });

  it('rounds half up to one decimal', () => {
    // 0.5 / 40 = 1.25 % → 1.3
    const answers: Answer[] = [...Array(39).fill('not-implemented'), 'partially-implemented'];
    expect(groupScore(answers)).toBe(1.3);
    // 0.5 / 8 = 6.25 % → 6.3
    expect(groupScore([...Array(7).fill('not-implemented'), 'partially-implemented'])).toBe(6.3);
  });

  it('scores a group with nothing applicable 100 and counts unanswered points as not implemented', () => {
    expect(groupScore(['not-applicable', 'not-applicable'])).toBe(100);
    expect(groupScore([])).toBe(100);
    // (1 + 0) / 2 → 50
    expect(groupScore(['implemented', undefined])).toBe(50);
  });
});

describe('scoreReadiness', () => {
  const items: ScoredItem[] = [
    { ref: 'CC1.1.1', category: 'security', series: 'CC1' },
    { ref: 'CC1.1.2', category: 'security', series: 'CC1' },
    { ref: 'CC6.1.1', category: 'security', series: 'CC6' },
    { ref: 'CC6.1.2', category: 'security', series: 'CC6' },
    { ref: 'A1.3.1', category: 'availability', series: 'A1' },
    { ref: 'A1.3.2', category: 'availability', series: 'A1' },
  ];
  const answers: Record<string, Answer> = {
    'CC1.1.1': 'implemented',
    'CC1.1.2': 'partially-implemented',
    'CC6.1.1': 'not-applicable',
    'CC6.1.2': 'not-implemented',
    'A1.3.1': 'implemented',
  };

  it('scores overall, per category and per series, with the counts', () => {
    expect(scoreReadiness(items, (ref) => answers[ref])).toEqual({
      scores: {
        // applicable 5 (A1.3.2 unanswered counts as 0): 1 + 0.5 + 0 + 1 + 0 = 2.5 → 50
        overall: 50,
        byCategory: [
          // 1 + 0.5 + 0 over 3 → 50
          { category: 'security', score: 50 },
          // 1 + 0 over 2 → 50
          { category: 'availability', score: 50 },
        ],
        bySeries: [
          { series: 'CC1', score: 75 },
          { series: 'CC6', score: 0 },
          { series: 'A1', score: 50 },
        ],
      },
      counts: {
        pointsOfFocusInScope: 6,
        answered: 5,
        implemented: 2,
        partiallyImplemented: 1,
        notImplemented: 1,
        notApplicable: 1,
      },
    });
  });
});
