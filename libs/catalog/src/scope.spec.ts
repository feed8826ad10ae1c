import { scopeFor } from './scope';
import { smallCatalog } from './testing';

describe('scopeFor', () => {
  it('always includes security: with no category picked it is the 33 common criteria', () => {
    const scope = scopeFor([]);
    expect(scope.categories).toEqual(['security']);
    expect(scope.criteria).toHaveLength(33);
    expect(scope.criteria[0]).toBe('CC1.1');
    expect(scope.criteria[32]).toBe('CC9.2');
  });

  it('adds the criteria of the picked categories, in catalog order, whatever order they were picked in', () => {
    const scope = scopeFor(['privacy', 'availability', 'security']);
    expect(scope.categories).toEqual(['security', 'availability', 'privacy']);
    expect(scope.criteria).toHaveLength(33 + 3 + 18);
    expect(scope.criteria.slice(33, 36)).toEqual(['A1.1', 'A1.2', 'A1.3']);
    expect(scopeFor(['confidentiality']).criteria.slice(33)).toEqual(['C1.1', 'C1.2']);
  });

  it('covers all 61 criteria with every category', () => {
    expect(
      scopeFor(['availability', 'processing-integrity', 'confidentiality', 'privacy']).criteria,
    ).toHaveLength(61);
  });

  it('works on any catalog', () => {
    expect(scopeFor(['privacy'], smallCatalog())).toEqual({
      categories: ['security', 'privacy'],
      criteria: ['CC1.1', 'CC1.2', 'P1.1'],
    });
  });

  it('rejects unknown categories', () => {
    expect(() => scopeFor(['integrity'])).toThrow('unknown category: integrity');
  });
});
