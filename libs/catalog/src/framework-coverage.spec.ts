import { attestCatalog } from './catalog';
import { frameworkCoverage } from './framework-coverage';
import { smallCatalog } from './testing';

describe('frameworkCoverage (worked examples on the small catalog)', () => {
  const catalog = smallCatalog();

  it('ISO 27001 with GOV-02: A.5.1 and A.5.2 covered, A.8.1 not (no library control supports it)', () => {
    expect(frameworkCoverage('iso27001-2022', ['GOV-02'], catalog)).toEqual({
      framework: { id: 'iso27001-2022', name: 'ISO/IEC 27001:2022 Annex A', version: '2022' },
      targets: [
        { id: 'A.5.1', label: 'Policies', status: 'covered', controls: ['GOV-02'] },
        { id: 'A.5.2', label: 'Roles', status: 'covered', controls: ['GOV-02'] },
        {
          id: 'A.8.1',
          label: 'Endpoints',
          status: 'not',
          controls: [],
          notCoveredByLibrary: 'No library control manages endpoints here.',
        },
      ],
      summary: { covered: 2, not: 1, total: 3 },
    });
  });

  it('ISO 27001 with GOV-01 and GOV-02: A.5.1 by both, A.5.2 by GOV-02', () => {
    const report = frameworkCoverage('iso27001-2022', ['GOV-02', 'GOV-01'], catalog);
    expect(report.targets.map((t) => [t.id, t.status, t.controls])).toEqual([
      ['A.5.1', 'covered', ['GOV-01', 'GOV-02']],
      ['A.5.2', 'covered', ['GOV-02']],
      ['A.8.1', 'not', []],
    ]);
  });

  it('NIST CSF with AVL-01 only: nothing covered', () => {
    const report = frameworkCoverage('nist-csf-2.0', ['AVL-01'], catalog);
    expect(report.summary).toEqual({ covered: 0, not: 2, total: 2 });
    expect(report.targets[0]).toEqual({
      id: 'GV.PO-01',
      label: 'Policy established',
      status: 'not',
      controls: [],
    });
  });

  it('rejects unknown controls', () => {
    expect(() => frameworkCoverage('nist-csf-2.0', ['NOPE-01'], catalog)).toThrow('unknown control: NOPE-01');
  });
});

describe('frameworkCoverage of the shipped catalog', () => {
  const everyControl = attestCatalog.controls.map((c) => c.id);

  it.each(['iso27001-2022', 'nist-csf-2.0'] as const)(
    '%s: every library control covers exactly the targets not listed as not covered',
    (framework) => {
      const report = frameworkCoverage(framework, everyControl);
      const notCovered = attestCatalog.frameworks[framework].notCovered.map((n) => n.target).sort();
      expect(
        report.targets
          .filter((t) => t.status === 'not')
          .map((t) => t.id)
          .sort(),
      ).toEqual(notCovered);
      expect(report.targets.filter((t) => t.status === 'not').every((t) => t.notCoveredByLibrary)).toBe(true);
      expect(report.summary.total).toBe(framework === 'iso27001-2022' ? 93 : 106);
    },
  );

  it('nothing implemented covers nothing', () => {
    expect(frameworkCoverage('iso27001-2022', []).summary).toEqual({ covered: 0, not: 93, total: 93 });
  });
});
