import { normalizedCategories, placePointOfFocus, questionnaireFor } from './questionnaire';
import { tinyCatalog } from './test-fixtures';

describe('questionnaire', () => {
  it('asks every point of focus of the shipped catalog in scope, security always included', () => {
    const security = questionnaireFor([]);
    expect(security).toHaveLength(232);
    expect(security[0]).toMatchObject({
      ref: 'CC1.1.1',
      criterionId: 'CC1.1',
      category: 'security',
      series: 'CC1',
    });
    expect(questionnaireFor(['availability'])).toHaveLength(248);
    expect(
      questionnaireFor(['availability', 'confidentiality', 'processing-integrity', 'privacy']),
    ).toHaveLength(330);
  });

  it('carries the library controls that address each point of focus', () => {
    const drTest = questionnaireFor(['availability']).find((i) => i.ref === 'A1.3.1');
    expect(drTest?.catalogControlIds).toContain('AVL-10');
    const accessReview = questionnaireFor([]).find((i) => i.ref === 'CC6.2.2');
    expect(accessReview?.catalogControlIds).toEqual(expect.arrayContaining(['AC-07', 'AC-08']));
  });

  it('follows catalog order on a hand-sized catalog', () => {
    const items = questionnaireFor(['availability'], tinyCatalog());
    expect(items.map((i) => i.ref)).toEqual([
      'CC1.1.1',
      'CC1.1.2',
      'CC1.1.3',
      'CC6.1.1',
      'CC6.1.2',
      'CC9.1.1',
      'CC9.1.2',
      'A1.3.1',
      'A1.3.2',
    ]);
    expect(items[7]).toEqual({
      ref: 'A1.3.1',
      criterionId: 'A1.3',
      criterionTitle: 'A1.3 title',
      category: 'availability',
      series: 'A1',
      heading: 'Heading A1.3.1',
      explanation: 'What A1.3.1 means.',
      catalogControlIds: ['AVL-10', 'BCK-06'],
    });
  });

  it('normalizes categories to catalog order with security first', () => {
    expect(normalizedCategories(['privacy', 'availability'])).toEqual([
      'security',
      'availability',
      'privacy',
    ]);
    expect(() => normalizedCategories(['finance'])).toThrow(/unknown category/);
  });

  it('places a point of focus: unknown, out of scope or in scope', () => {
    expect(placePointOfFocus('CC9.9.9', ['security'])).toEqual({ kind: 'unknown' });
    expect(placePointOfFocus('A1.2.1', ['security'])).toEqual({
      kind: 'out-of-scope',
      category: 'availability',
      criterionId: 'A1.2',
    });
    const placed = placePointOfFocus('A1.2.1', ['security', 'availability']);
    expect(placed.kind).toBe('in-scope');
  });
});
