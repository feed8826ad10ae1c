import { coverageMatrix, exampleCatalogV1, type MatrixControl } from '@attest/control-mapping-domain';
import { coverageWithHealth, worstHealth } from './coverage-health';

/**
 * Scope security + availability of the example catalog (CC1.1, CC1.2, A1.1):
 *   GOV-01  CC1.1 / CC1.1.1, CC1.1.2            failing
 *   GOV-02  CC1.1, CC1.2 / CC1.1.2, CC1.2.1     healthy
 *   LUM-01  A1.1 / A1.1.2                       never assessed → unknown
 * CC1.1 has a failing control → failing; CC1.2 has only GOV-02 → healthy; A1.1 only LUM-01 → unknown.
 */
const control = (code: string, criteria: string[], pointsOfFocus: string[]): MatrixControl => ({
  controlId: `id-${code}`,
  code,
  name: `${code} name`,
  criteria,
  pointsOfFocus,
  implementation: 'implemented',
  notApplicable: false,
});
const matrix = coverageMatrix(
  { categories: ['availability'], criteria: ['CC1.1', 'CC1.2', 'A1.1'], pointsOfFocusNotApplicable: {} },
  [
    control('GOV-01', ['CC1.1'], ['CC1.1.1', 'CC1.1.2']),
    control('GOV-02', ['CC1.1', 'CC1.2'], ['CC1.1.2', 'CC1.2.1']),
    control('LUM-01', ['A1.1'], ['A1.1.2']),
  ],
  exampleCatalogV1(),
);

describe('coverage matrix with the controls’ health', () => {
  const withHealth = coverageWithHealth(
    matrix,
    new Map([
      ['id-GOV-01', 'failing'],
      ['id-GOV-02', 'healthy'],
    ] as const),
  );
  const criterion = (id: string) => withHealth.criteria.find((c) => c.criterion === id)!;

  it('gives each criterion the worst health of its controls, unknown where nothing was assessed', () => {
    expect(withHealth.criteria.map((c) => [c.criterion, c.health])).toEqual([
      ['CC1.1', 'failing'],
      ['CC1.2', 'healthy'],
      ['A1.1', 'unknown'],
    ]);
    expect(withHealth.summary.health).toEqual({ healthy: 1, 'at-risk': 0, failing: 1, unknown: 1 });
  });

  it('shows each control’s health on the criterion and on the points of focus it covers', () => {
    expect(criterion('CC1.1').controls.map((c) => [c.code, c.health])).toEqual([
      ['GOV-01', 'failing'],
      ['GOV-02', 'healthy'],
    ]);
    const cc112 = criterion('CC1.1').pointsOfFocus.find((p) => p.ref === 'CC1.1.2')!;
    expect(cc112.controls.map((c) => [c.code, c.health])).toEqual([
      ['GOV-01', 'failing'],
      ['GOV-02', 'healthy'],
    ]);
    expect(criterion('A1.1').controls).toEqual([
      expect.objectContaining({ code: 'LUM-01', health: 'unknown' }),
    ]);
  });

  it('leaves the coverage itself as it was', () => {
    expect(withHealth.summary.criteria).toEqual(matrix.summary.criteria);
    expect(withHealth.criteria.map((c) => c.status)).toEqual(matrix.criteria.map((c) => c.status));
  });

  it('ranks failing over at-risk over unknown over healthy', () => {
    expect(worstHealth(['healthy', 'at-risk', 'failing'])).toBe('failing');
    expect(worstHealth(['healthy', 'unknown', 'at-risk'])).toBe('at-risk');
    expect(worstHealth(['healthy', 'unknown'])).toBe('unknown');
    expect(worstHealth(['healthy'])).toBe('healthy');
    expect(worstHealth([])).toBe('unknown');
  });
});
