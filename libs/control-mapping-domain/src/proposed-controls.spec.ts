import { exampleCatalogV1 } from './example-catalogs';
import { proposedControls } from './proposed-controls';
import type { GapProposalRecordedData } from './readiness-gap-decider';

const gap = (
  gapId: string,
  pointOfFocusRef: string,
  severity: GapProposalRecordedData['severity'],
  ids: string[],
): GapProposalRecordedData => ({
  gapId,
  assessmentId: 'a1',
  criterionId: pointOfFocusRef.split('.').slice(0, 2).join('.'),
  pointOfFocusRef,
  category: 'security',
  severity,
  answer: 'not-implemented',
  title: `Gap at ${pointOfFocusRef}`,
  proposedCatalogControlIds: ids,
  identifiedAt: '2026-03-01T00:00:00.000Z',
  sourceEventId: `e-${gapId}`,
});

describe('proposedControls', () => {
  const gaps = [
    gap('g1', 'CC1.1.1', 'medium', ['GOV-01']),
    gap('g2', 'CC1.1.2', 'critical', ['GOV-01', 'GOV-02']),
    gap('g3', 'CC1.2.2', 'low', ['GOV-09']),
  ];

  it('lists each proposed control once with its gaps, most severe first, leaving out adopted ones', () => {
    const proposals = proposedControls(gaps, new Set(['GOV-02']), exampleCatalogV1());
    expect(
      proposals.map((p) => [p.catalogControlId, p.status, p.highestSeverity, p.gaps.map((g) => g.gapId)]),
    ).toEqual([
      ['GOV-01', 'proposed', 'critical', ['g2', 'g1']],
      ['GOV-09', 'proposed', 'low', ['g3']],
    ]);
    expect(proposals[0]).toMatchObject({
      name: 'GOV-01 name',
      domain: 'governance',
      frequency: 'annual',
      inCatalog: true,
    });
    expect(proposals[1]).toMatchObject({ inCatalog: false });
    expect(proposals[1].name).toBeUndefined();
  });

  it('is empty when everything proposed is adopted', () => {
    expect(proposedControls(gaps, new Set(['GOV-01', 'GOV-02', 'GOV-09']), exampleCatalogV1())).toEqual([]);
  });

  it('counts a gap delivered twice once', () => {
    expect(proposedControls([gaps[0], gaps[0]], new Set(), exampleCatalogV1())[0].gaps).toHaveLength(1);
  });
});
