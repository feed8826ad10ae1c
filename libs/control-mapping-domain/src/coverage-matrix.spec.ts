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
 * A criterion is covered only when each of its points of focus is covered by an implemented control or explained
 * as not applicable. Computed by hand:
 *   CC1.1   GOV-01 (implemented), GOV-02  → covered-not-implemented; missing CC1.1.3 (no control)
 *     CC1.1.1  GOV-01                     → covered-implemented
 *     CC1.1.2  GOV-01, GOV-02             → covered-implemented
 *     CC1.1.3  nobody (left to the org.)  → gap
 *   CC1.2   GOV-02 (in progress)          → covered-not-implemented; missing CC1.2.1 (not implemented), CC1.2.2
 *     CC1.2.1  GOV-02                     → covered-not-implemented                              (no control)
 *     CC1.2.2  nobody                     → gap
 *   A1.1    LUM-01 (not started)          → covered-not-implemented; missing A1.1.1 (no control), A1.1.2
 *     A1.1.1   nobody (AVL-01 is n/a)     → gap                                            (not implemented)
 *     A1.1.2   LUM-01                     → covered-not-implemented
 *   criteria: 0 covered-implemented, 3 covered-not-implemented, 0 gaps
 *   points of focus: 2 covered-implemented, 2 covered-not-implemented, 3 gaps
 *
 * Once the organization explains CC1.1.3 as not applicable, CC1.1 misses nothing: covered-implemented.
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
  pointsOfFocusNotApplicable: {},
};
/** No point of focus of the worked example is explained as not applicable. */
const none = { 'not-applicable': 0 };

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
          status: 'covered-not-implemented',
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
          pointsOfFocusSummary: { 'covered-implemented': 2, 'covered-not-implemented': 0, gap: 1, ...none },
          missing: [{ pointOfFocusRef: 'CC1.1.3', heading: 'CC1.1 heading 3', reason: 'no-control' }],
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
          pointsOfFocusSummary: { 'covered-implemented': 0, 'covered-not-implemented': 1, gap: 1, ...none },
          missing: [
            { pointOfFocusRef: 'CC1.2.1', heading: 'CC1.2 heading 1', reason: 'not-implemented' },
            { pointOfFocusRef: 'CC1.2.2', heading: 'CC1.2 heading 2', reason: 'no-control' },
          ],
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
          pointsOfFocusSummary: { 'covered-implemented': 0, 'covered-not-implemented': 1, gap: 1, ...none },
          missing: [
            { pointOfFocusRef: 'A1.1.1', heading: 'A1.1 heading 1', reason: 'no-control' },
            { pointOfFocusRef: 'A1.1.2', heading: 'A1.1 heading 2', reason: 'not-implemented' },
          ],
        },
      ],
      summary: {
        criteria: { 'covered-implemented': 0, 'covered-not-implemented': 3, gap: 0, ...none },
        pointsOfFocus: { 'covered-implemented': 2, 'covered-not-implemented': 2, gap: 3, ...none },
      },
      notApplicableControls: ['AVL-01'],
    });
  });

  it('exports CSV with a row per criterion (with what it misses) and per point of focus', () => {
    expect(coverageMatrixCsv(matrix)).toBe(
      [
        'category,criterion,point_of_focus,title,status,implemented_controls,not_implemented_controls,left_to_organization,missing,not_applicable_justification',
        'security,CC1.1,,CC1.1 title,covered-not-implemented,GOV-01,GOV-02,,CC1.1.3:no-control,',
        'security,CC1.1,CC1.1.1,CC1.1 heading 1,covered-implemented,GOV-01,,,,',
        'security,CC1.1,CC1.1.2,CC1.1 heading 2,covered-implemented,GOV-01,GOV-02,,,',
        'security,CC1.1,CC1.1.3,CC1.1 heading 3,gap,,,Only the organization itself can set this.,,',
        'security,CC1.2,,CC1.2 title,covered-not-implemented,,GOV-02,,CC1.2.1:not-implemented CC1.2.2:no-control,',
        'security,CC1.2,CC1.2.1,CC1.2 heading 1,covered-not-implemented,,GOV-02,,,',
        'security,CC1.2,CC1.2.2,CC1.2 heading 2,gap,,,,,',
        'availability,A1.1,,A1.1 title,covered-not-implemented,,LUM-01,,A1.1.1:no-control A1.1.2:not-implemented,',
        'availability,A1.1,A1.1.1,A1.1 heading 1,gap,,,,,',
        'availability,A1.1,A1.1.2,A1.1 heading 2,covered-not-implemented,,LUM-01,,,',
        '',
      ].join('\r\n'),
    );
  });

  it('quotes CSV cells with commas, quotes or line breaks', () => {
    const odd = coverageMatrix(scope, [{ ...workedExampleControls[0], code: 'GOV-01,"x"' }], catalog);
    expect(coverageMatrixCsv(odd).split('\r\n')[1]).toBe(
      'security,CC1.1,,CC1.1 title,covered-not-implemented,"GOV-01,""x""",,,CC1.1.3:no-control,',
    );
  });

  it('exports JSON that reads back as the matrix', () => {
    expect(JSON.parse(coverageMatrixJson(matrix))).toEqual(matrix);
  });

  it('with no controls every criterion and point of focus is a gap, each point missing a control', () => {
    const empty = coverageMatrix(scope, [], catalog);
    expect(empty.summary).toEqual({
      criteria: { 'covered-implemented': 0, 'covered-not-implemented': 0, gap: 3, ...none },
      pointsOfFocus: { 'covered-implemented': 0, 'covered-not-implemented': 0, gap: 7, ...none },
    });
    expect(empty.criteria.map((c) => c.missing.map((m) => m.reason))).toEqual([
      ['no-control', 'no-control', 'no-control'],
      ['no-control', 'no-control'],
      ['no-control', 'no-control'],
    ]);
  });
});

describe('coverage matrix: points of focus explained as not applicable', () => {
  const explained = (refs: string[]) => ({
    ...scope,
    pointsOfFocusNotApplicable: Object.fromEntries(
      refs.map((ref) => [
        ref,
        {
          criterionId: ref.split('.').slice(0, 2).join('.'),
          justification: `No ${ref} here.`,
          markedAt: '2026-03-06T10:00:00.000Z',
        },
      ]),
    ),
  });

  it('one implemented control touching some points of focus does not cover the criterion', () => {
    const onlyGov01 = coverageMatrix(scope, [workedExampleControls[0]], catalog);
    expect(onlyGov01.criteria[0]).toMatchObject({
      criterion: 'CC1.1',
      status: 'covered-not-implemented',
      missing: [{ pointOfFocusRef: 'CC1.1.3', reason: 'no-control' }],
    });
  });

  it('CC1.1 is covered once its last uncovered point of focus is explained as not applicable', () => {
    const cc11 = coverageMatrix(explained(['CC1.1.3']), workedExampleControls, catalog).criteria[0];
    expect(cc11).toMatchObject({ criterion: 'CC1.1', status: 'covered-implemented', missing: [] });
    expect(cc11.pointsOfFocus[2]).toEqual({
      ref: 'CC1.1.3',
      heading: 'CC1.1 heading 3',
      status: 'not-applicable',
      controls: [],
      leftToOrganization: 'Only the organization itself can set this.',
      notApplicable: { justification: 'No CC1.1.3 here.', markedAt: '2026-03-06T10:00:00.000Z' },
    });
    expect(cc11.pointsOfFocusSummary).toEqual({
      'covered-implemented': 2,
      'covered-not-implemented': 0,
      gap: 0,
      'not-applicable': 1,
    });
  });

  it('an explanation does not cover a criterion while another of its points is not implemented', () => {
    const cc12 = coverageMatrix(explained(['CC1.2.2']), workedExampleControls, catalog).criteria[1];
    expect(cc12).toMatchObject({
      status: 'covered-not-implemented',
      missing: [{ pointOfFocusRef: 'CC1.2.1', reason: 'not-implemented' }],
    });
  });

  it('a criterion whose every point of focus is explained reads not-applicable; the CSV gives the justification', () => {
    const matrix = coverageMatrix(explained(['A1.1.1', 'A1.1.2']), workedExampleControls, catalog);
    expect(matrix.criteria[2]).toMatchObject({ criterion: 'A1.1', status: 'not-applicable', missing: [] });
    expect(matrix.summary.criteria['not-applicable']).toBe(1);
    expect(coverageMatrixCsv(matrix).split('\r\n')[9]).toBe(
      'availability,A1.1,A1.1.1,A1.1 heading 1,not-applicable,,,,,No A1.1.1 here.',
    );
  });

  it('a criterion whose applicable points of focus no control covers is a gap', () => {
    const matrix = coverageMatrix(explained(['CC1.2.1']), [], catalog);
    expect(matrix.criteria[1]).toMatchObject({
      status: 'gap',
      missing: [{ pointOfFocusRef: 'CC1.2.2', reason: 'no-control' }],
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
