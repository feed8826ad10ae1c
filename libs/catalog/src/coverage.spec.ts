import { attestCatalog } from './catalog';
import { coverage, gaps } from './coverage';
import { scopeFor } from './scope';
import { smallCatalog } from './testing';

describe('coverage (worked examples on the small catalog)', () => {
  const catalog = smallCatalog();
  const securityAndAvailability = scopeFor(['availability'], catalog);

  it('GOV-01 alone: CC1.1 covered (CC1.1.3 is left to the organization), CC1.2 and A1.1 not', () => {
    const report = coverage(securityAndAvailability, ['GOV-01'], catalog);
    expect(report.criteria).toEqual([
      {
        criterion: 'CC1.1',
        category: 'security',
        status: 'covered',
        controls: ['GOV-01'],
        pointsOfFocus: [
          { ref: 'CC1.1.1', status: 'covered', controls: ['GOV-01'] },
          { ref: 'CC1.1.2', status: 'covered', controls: ['GOV-01'] },
          {
            ref: 'CC1.1.3',
            status: 'not',
            controls: [],
            leftToOrganization: 'Only the organization itself can do this.',
          },
        ],
      },
      {
        criterion: 'CC1.2',
        category: 'security',
        status: 'not',
        controls: [],
        pointsOfFocus: [
          { ref: 'CC1.2.1', status: 'not', controls: [] },
          { ref: 'CC1.2.2', status: 'not', controls: [] },
        ],
      },
      {
        criterion: 'A1.1',
        category: 'availability',
        status: 'not',
        controls: [],
        pointsOfFocus: [
          { ref: 'A1.1.1', status: 'not', controls: [] },
          { ref: 'A1.1.2', status: 'not', controls: [] },
        ],
      },
    ]);
    expect(report.summary).toEqual({ covered: 1, partly: 0, not: 2 });
  });

  it('GOV-02 and AVL-01: CC1.1 and CC1.2 partly, A1.1 covered', () => {
    const report = coverage(securityAndAvailability, ['AVL-01', 'GOV-02'], catalog);
    const byId = Object.fromEntries(report.criteria.map((c) => [c.criterion, c]));
    expect(byId['CC1.1'].status).toBe('partly');
    expect(byId['CC1.1'].pointsOfFocus.map((p) => [p.ref, p.status, p.controls])).toEqual([
      ['CC1.1.1', 'not', []],
      ['CC1.1.2', 'covered', ['GOV-02']],
      ['CC1.1.3', 'not', []],
    ]);
    expect(byId['CC1.2']).toMatchObject({ status: 'partly', controls: ['GOV-02'] });
    expect(byId['A1.1']).toMatchObject({ status: 'covered', controls: ['AVL-01'] });
    expect(report.summary).toEqual({ covered: 1, partly: 2, not: 0 });
  });

  it('lists every control that addresses a point of focus', () => {
    const report = coverage(scopeFor([], catalog), ['GOV-01', 'GOV-02'], catalog);
    expect(report.criteria[0].pointsOfFocus[1]).toEqual({
      ref: 'CC1.1.2',
      status: 'covered',
      controls: ['GOV-01', 'GOV-02'],
    });
    expect(report.criteria[0].controls).toEqual(['GOV-01', 'GOV-02']);
    expect(report.summary).toEqual({ covered: 1, partly: 1, not: 0 });
  });

  it('counts points of focus left to the organization as satisfied, but never covers a criterion without a control', () => {
    const copy = smallCatalog();
    copy.leftToOrganization.push({ ref: 'CC1.2.2', reason: 'Also only the organization can do this.' });
    const scope = scopeFor([], copy);
    expect(coverage(scope, ['GOV-02'], copy).criteria[1].status).toBe('covered');
    expect(coverage(scope, [], copy).criteria[1].status).toBe('not');
  });

  it('covers only what is in scope', () => {
    expect(coverage(scopeFor([], catalog), ['AVL-01'], catalog).criteria.map((c) => c.criterion)).toEqual([
      'CC1.1',
      'CC1.2',
    ]);
  });

  it('rejects control ids the catalog does not know', () => {
    expect(() => coverage(scopeFor([], catalog), ['GOV-99'], catalog)).toThrow('unknown control: GOV-99');
  });
});

describe('gaps (worked examples on the small catalog)', () => {
  const catalog = smallCatalog();

  it('with nothing implemented: every point of focus not left to the organization, with the controls that close it', () => {
    expect(gaps(scopeFor([], catalog), [], catalog)).toEqual([
      {
        criterion: 'CC1.1',
        category: 'security',
        status: 'not',
        missingPointsOfFocus: [
          { ref: 'CC1.1.1', heading: 'CC1.1 heading 1', candidateControls: ['GOV-01'] },
          { ref: 'CC1.1.2', heading: 'CC1.1 heading 2', candidateControls: ['GOV-01', 'GOV-02'] },
        ],
      },
      {
        criterion: 'CC1.2',
        category: 'security',
        status: 'not',
        missingPointsOfFocus: [
          { ref: 'CC1.2.1', heading: 'CC1.2 heading 1', candidateControls: ['GOV-02'] },
          { ref: 'CC1.2.2', heading: 'CC1.2 heading 2', candidateControls: [] },
        ],
      },
    ]);
  });

  it('with GOV-02 and AVL-01 in security + availability: two partly covered criteria remain', () => {
    expect(gaps(scopeFor(['availability'], catalog), ['GOV-02', 'AVL-01'], catalog)).toEqual([
      {
        criterion: 'CC1.1',
        category: 'security',
        status: 'partly',
        missingPointsOfFocus: [{ ref: 'CC1.1.1', heading: 'CC1.1 heading 1', candidateControls: ['GOV-01'] }],
      },
      {
        criterion: 'CC1.2',
        category: 'security',
        status: 'partly',
        missingPointsOfFocus: [{ ref: 'CC1.2.2', heading: 'CC1.2 heading 2', candidateControls: [] }],
      },
    ]);
  });

  it('leaves out the criteria that are covered', () => {
    expect(gaps(scopeFor(['privacy'], catalog), ['GOV-01'], catalog).map((g) => g.criterion)).toEqual([
      'CC1.2',
      'P1.1',
    ]);
    expect(gaps(scopeFor(['availability'], catalog), ['GOV-01', 'GOV-02', 'AVL-01'], catalog)).toEqual([
      expect.objectContaining({ criterion: 'CC1.2', status: 'partly' }),
    ]);
  });

  it('is empty when everything in scope is covered or left to the organization', () => {
    const copy = smallCatalog();
    copy.leftToOrganization.push({ ref: 'CC1.2.2', reason: 'Also only the organization can do this.' });
    expect(gaps(scopeFor(['availability'], copy), ['GOV-01', 'GOV-02', 'AVL-01'], copy)).toEqual([]);
  });
});

describe('coverage of the shipped catalog', () => {
  const allCategories = scopeFor(['availability', 'processing-integrity', 'confidentiality', 'privacy']);
  const everyControl = attestCatalog.controls.map((c) => c.id);

  it('implementing every library control covers all 61 criteria and leaves no gap', () => {
    const report = coverage(allCategories, everyControl);
    expect(report.summary).toEqual({ covered: 61, partly: 0, not: 0 });
    expect(gaps(allCategories, everyControl)).toEqual([]);
  });

  it('implementing nothing leaves every criterion of a security-only scope open', () => {
    const report = coverage(scopeFor([]), []);
    expect(report.summary).toEqual({ covered: 0, partly: 0, not: 33 });
    const missing = gaps(scopeFor([]), []).flatMap((g) => g.missingPointsOfFocus);
    expect(missing.every((m) => m.candidateControls.length > 0)).toBe(true);
  });
});
