import { coverageMatrixCsv, coverageMatrixJson } from './coverage-export';
import { coverageMatrix, frameworkCoverageMatrix, type MatrixControl } from './coverage-matrix';
import { exampleCatalogV1 } from './example-catalogs';

/**
 * The worked example (catalog 1.0.0 of example-catalogs.ts), scope security + availability = CC1.1, CC1.2, A1.1:
 *
 *   GOV-01  adopted, implemented      CC1.1 / CC1.1.1, CC1.1.2
 *   GOV-02  adopted, in-progress      CC1.1, CC1.2 / CC1.1.2, CC1.2.1
 *   AVL-01  adopted, NOT APPLICABLE   A1.1 / A1.1.1, A1.1.2           (covers nothing)
 *   LUM-01  custom, not-started       A1.1 / A1.1.2
 *
 * Computed by hand:
 *   CC1.1   GOV-01 (implemented), GOV-02           → covered-implemented
 *     CC1.1.1  GOV-01                              → covered-implemented
 *     CC1.1.2  GOV-01, GOV-02                      → covered-implemented
 *     CC1.1.3  nobody (left to the organization)   → gap
 *   CC1.2   GOV-02 (in progress)                   → covered-not-implemented
 *     CC1.2.1  GOV-02                              → covered-not-implemented
 *     CC1.2.2  nobody                              → gap
 *   A1.1    LUM-01 (not started)                   → covered-not-implemented
 *     A1.1.1   nobody (AVL-01 is not applicable)   → gap
 *     A1.1.2   LUM-01                              → covered-not-implemented
 *   criteria: 1 covered-implemented, 2 covered-not-implemented, 0 gaps
 *   points of focus: 2 covered-implemented, 2 covered-not-implemented, 3 gaps
 */
const catalog = exampleCatalogV1();
const workedExampleControls: MatrixControl[] = [
  {
    controlId: 'id-gov-01',
    code: 'GOV-01',
    name: 'GOV-01 name',
    catalogControlId: 'GOV-01',
    criteria: ['CC1.1'],
    pointsOfFocus: ['CC1.1.1', 'CC1.1.2'],
    implementation: 'implemented',
    notApplicable: false,
  },
  {
    controlId: 'id-gov-02',
    code: 'GOV-02',
    name: 'GOV-02 name',
    catalogControlId: 'GOV-02',
    criteria: ['CC1.1', 'CC1.2'],
    pointsOfFocus: ['CC1.1.2', 'CC1.2.1'],
    implementation: 'in-progress',
    notApplicable: false,
  },
  {
    controlId: 'id-avl-01',
    code: 'AVL-01',
    name: 'AVL-01 name',
    catalogControlId: 'AVL-01',
    criteria: ['A1.1'],
    pointsOfFocus: ['A1.1.1', 'A1.1.2'],
    implementation: 'not-started',
    notApplicable: true,
  },
  {
    controlId: 'id-lum-01',
    code: 'LUM-01',
    name: 'Uptime reviews',
    criteria: ['A1.1'],
    pointsOfFocus: ['A1.1.2'],
    implementation: 'not-started',
    notApplicable: false,
  },
];
const scope = {
  categories: ['security' as const, 'availability' as const],
  criteria: ['CC1.1', 'CC1.2', 'A1.1'],
};

const gov01 = { controlId: 'id-gov-01', code: 'GOV-01', name: 'GOV-01 name', implementation: 'implemented' };
const gov02 = { controlId: 'id-gov-02', code: 'GOV-02', name: 'GOV-02 name', implementation: 'in-progress' };
const lum01 = {
  controlId: 'id-lum-01',
  code: 'LUM-01',
  name: 'Uptime reviews',
  implementation: 'not-started',
};

describe('coverage matrix (worked example)', () => {
  const matrix = coverageMatrix(scope, workedExampleControls, catalog);

  it('matches the hand-computed matrix', () => {
    expect(matrix).toEqual({
      catalogVersion: '1.0.0',
      categories: ['security', 'availability'],
      criteria: [
        {
          criterion: 'CC1.1',
          category: 'security',
          series: 'CC1',
          shortTitle: 'CC1.1 title',
          status: 'covered-implemented',
          controls: [gov01, gov02],
          pointsOfFocus: [
            { ref: 'CC1.1.1', heading: 'CC1.1 heading 1', status: 'covered-implemented', controls: [gov01] },
            {
              ref: 'CC1.1.2',
              heading: 'CC1.1 heading 2',
              status: 'covered-implemented',
              controls: [gov01, gov02],
            },
            {
              ref: 'CC1.1.3',
              heading: 'CC1.1 heading 3',
              status: 'gap',
              controls: [],
              leftToOrganization: 'Only the organization itself can set this.',
            },
          ],
          pointsOfFocusSummary: { 'covered-implemented': 2, 'covered-not-implemented': 0, gap: 1 },
        },
        {
          criterion: 'CC1.2',
          category: 'security',
          series: 'CC1',
          shortTitle: 'CC1.2 title',
          status: 'covered-not-implemented',
          controls: [gov02],
          pointsOfFocus: [
            {
              ref: 'CC1.2.1',
              heading: 'CC1.2 heading 1',
              status: 'covered-not-implemented',
              controls: [gov02],
            },
            { ref: 'CC1.2.2', heading: 'CC1.2 heading 2', status: 'gap', controls: [] },
          ],
          pointsOfFocusSummary: { 'covered-implemented': 0, 'covered-not-implemented': 1, gap: 1 },
        },
        {
          criterion: 'A1.1',
          category: 'availability',
          series: 'A1',
          shortTitle: 'A1.1 title',
          status: 'covered-not-implemented',
          controls: [lum01],
          pointsOfFocus: [
            { ref: 'A1.1.1', heading: 'A1.1 heading 1', status: 'gap', controls: [] },
            {
              ref: 'A1.1.2',
              heading: 'A1.1 heading 2',
              status: 'covered-not-implemented',
              controls: [lum01],
            },
          ],
          pointsOfFocusSummary: { 'covered-implemented': 0, 'covered-not-implemented': 1, gap: 1 },
        },
      ],
      summary: {
        criteria: { 'covered-implemented': 1, 'covered-not-implemented': 2, gap: 0 },
        pointsOfFocus: { 'covered-implemented': 2, 'covered-not-implemented': 2, gap: 3 },
      },
      notApplicableControls: ['AVL-01'],
    });
  });

  it('exports CSV with a row per criterion and per point of focus', () => {
    expect(coverageMatrixCsv(matrix)).toBe(
      [
        'category,criterion,point_of_focus,title,status,implemented_controls,not_implemented_controls,left_to_organization',
        'security,CC1.1,,CC1.1 title,covered-implemented,GOV-01,GOV-02,',
        'security,CC1.1,CC1.1.1,CC1.1 heading 1,covered-implemented,GOV-01,,',
        'security,CC1.1,CC1.1.2,CC1.1 heading 2,covered-implemented,GOV-01,GOV-02,',
        'security,CC1.1,CC1.1.3,CC1.1 heading 3,gap,,,Only the organization itself can set this.',
        'security,CC1.2,,CC1.2 title,covered-not-implemented,,GOV-02,',
        'security,CC1.2,CC1.2.1,CC1.2 heading 1,covered-not-implemented,,GOV-02,',
        'security,CC1.2,CC1.2.2,CC1.2 heading 2,gap,,,',
        'availability,A1.1,,A1.1 title,covered-not-implemented,,LUM-01,',
        'availability,A1.1,A1.1.1,A1.1 heading 1,gap,,,',
        'availability,A1.1,A1.1.2,A1.1 heading 2,covered-not-implemented,,LUM-01,',
        '',
      ].join('\r\n'),
    );
  });

  it('quotes CSV cells with commas, quotes or line breaks', () => {
    const odd = coverageMatrix(scope, [{ ...workedExampleControls[0], code: 'GOV-01,"x"' }], catalog);
    expect(coverageMatrixCsv(odd).split('\r\n')[1]).toBe(
      'security,CC1.1,,CC1.1 title,covered-implemented,"GOV-01,""x""",,',
    );
  });

  it('exports JSON that reads back as the matrix', () => {
    expect(JSON.parse(coverageMatrixJson(matrix))).toEqual(matrix);
  });

  it('with no controls every criterion and point of focus is a gap', () => {
    const empty = coverageMatrix(scope, [], catalog);
    expect(empty.summary).toEqual({
      criteria: { 'covered-implemented': 0, 'covered-not-implemented': 0, gap: 3 },
      pointsOfFocus: { 'covered-implemented': 0, 'covered-not-implemented': 0, gap: 7 },
    });
  });
});

describe('cross-framework coverage (worked example)', () => {
  it('ISO 27001:2022 Annex A: A.5.1 implemented by GOV-01, A.5.2 only by GOV-02 in progress, A.8.1 a gap', () => {
    expect(frameworkCoverageMatrix('iso27001-2022', workedExampleControls, catalog)).toEqual({
      framework: { id: 'iso27001-2022', name: 'ISO/IEC 27001:2022 Annex A', version: '2022' },
      catalogVersion: '1.0.0',
      targets: [
        { id: 'A.5.1', label: 'Policies', status: 'covered-implemented', controls: [gov01, gov02] },
        { id: 'A.5.2', label: 'Roles', status: 'covered-not-implemented', controls: [gov02] },
        {
          id: 'A.8.1',
          label: 'Endpoints',
          status: 'gap',
          controls: [],
          notCoveredByLibrary: 'No library control manages endpoints here.',
        },
      ],
      summary: { 'covered-implemented': 1, 'covered-not-implemented': 1, gap: 1, total: 3 },
    });
  });

  it('NIST CSF 2.0: custom and not-applicable controls carry no framework mapping', () => {
    const report = frameworkCoverageMatrix('nist-csf-2.0', workedExampleControls, catalog);
    expect(report.targets.map((t) => [t.id, t.status, t.controls.map((c) => c.code)])).toEqual([
      ['GV.PO-01', 'covered-implemented', ['GOV-01']],
      ['PR.AA-01', 'gap', []],
    ]);
  });
});
