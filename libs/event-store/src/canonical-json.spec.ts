import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members, as jsonb would not keep them', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 'x', e: null }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"e":null,"f":"x"}]},"b":1}',
    );
  });

  it('gives the same text for equal values built in different key orders', () => {
    expect(canonicalJson({ x: 1, y: 'é' })).toBe(canonicalJson({ y: 'é', x: 1 }));
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
  });
});
