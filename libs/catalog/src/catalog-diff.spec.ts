import { attestCatalog, type Catalog } from './catalog';
import {
  adoptionsAffectedBy,
  diffCatalogs,
  requiredVersionBump,
  versionBumpBetween,
  versioningProblems,
} from './catalog-diff';
import { smallCatalog } from './testing';

/** A next version built in memory from a copy of a catalog. */
function nextVersion(from: Catalog, version: string, change: (next: Catalog) => void): Catalog {
  const next = structuredClone(from);
  next.release = { version, released: '2027-02-01' };
  change(next);
  return next;
}

const control = (catalog: Catalog, id: string) => {
  const found = catalog.controls.find((c) => c.id === id);
  if (!found) throw new Error(id);
  return found;
};

describe('diffCatalogs (worked example on the small catalog)', () => {
  const v1 = smallCatalog();
  const v2 = nextVersion(v1, '2.0.0', (next) => {
    next.controls.push({
      ...structuredClone(control(v1, 'GOV-01')),
      id: 'CHG-01',
      domain: 'change-management',
    });
    control(next, 'GOV-01').description = 'Reworded.';
    control(next, 'GOV-01').frequency = 'quarterly';
    const gov02 = control(next, 'GOV-02');
    gov02.criteria = ['CC1.1'];
    gov02.pointsOfFocus = ['CC1.1.2', 'CC1.1.1'];
    next.controls = next.controls.filter((c) => c.id !== 'PRV-01');
    next.frameworks['iso27001-2022'].mappings.push({ control: 'AVL-01', targets: ['A.8.1'] });
    next.frameworks['iso27001-2022'].notCovered = [];
    next.leftToOrganization.push({ ref: 'CC1.2.2', reason: 'Only the organization can do this either.' });
  });

  it('lists added, removed and changed controls with the fields that changed, and the changed mappings', () => {
    expect(diffCatalogs(v1, v2)).toEqual({
      from: '1.0.0',
      to: '2.0.0',
      addedControls: ['CHG-01'],
      removedControls: ['PRV-01'],
      changedControls: [
        { id: 'GOV-01', fields: ['description', 'frequency'] },
        { id: 'GOV-02', fields: ['criteria', 'pointsOfFocus'] },
      ],
      changedMappings: [
        {
          control: 'AVL-01',
          criteria: { added: [], removed: [] },
          pointsOfFocus: { added: [], removed: [] },
          frameworks: { 'iso27001-2022': { added: ['A.8.1'], removed: [] } },
        },
        {
          control: 'GOV-02',
          criteria: { added: [], removed: ['CC1.2'] },
          pointsOfFocus: { added: ['CC1.1.1'], removed: ['CC1.2.1'] },
          frameworks: {},
        },
      ],
      leftToOrganization: { added: ['CC1.2.2'], removed: [], reasonChanged: [] },
    });
  });

  it('an unchanged copy differs in nothing', () => {
    const same = diffCatalogs(v1, smallCatalog());
    expect(same).toMatchObject({
      addedControls: [],
      removedControls: [],
      changedControls: [],
      changedMappings: [],
    });
    expect(requiredVersionBump(same)).toBe('none');
  });

  it('ignores the order of criteria, points of focus and automated tests, and of object keys', () => {
    const reordered = nextVersion(v1, '1.0.1', (next) => {
      control(next, 'GOV-02').pointsOfFocus.reverse();
      const evidence = control(next, 'GOV-02').evidence[0];
      control(next, 'GOV-02').evidence[0] = {
        frequency: evidence.frequency,
        description: evidence.description,
        type: evidence.type,
        id: evidence.id,
      };
    });
    expect(diffCatalogs(v1, reordered).changedControls).toEqual([]);
  });

  it('follows the control through a newer version for organizations that adopted it', () => {
    const adopted = [
      { controlId: 'GOV-01', catalogVersion: '1.0.0', adoptedAt: '2026-12-01T00:00:00.000Z' },
      { controlId: 'PRV-01', catalogVersion: '1.0.0', adoptedAt: '2026-12-01T00:00:00.000Z' },
      { controlId: 'AVL-01', catalogVersion: '0.9.0', adoptedAt: '2026-10-01T00:00:00.000Z' },
      { controlId: 'GOV-02', catalogVersion: '2.0.0', adoptedAt: '2027-02-02T00:00:00.000Z' },
    ];
    expect(adoptionsAffectedBy(diffCatalogs(v1, v2), adopted)).toEqual([
      { controlId: 'GOV-01', change: 'changed', fields: ['description', 'frequency'] },
      { controlId: 'PRV-01', change: 'removed', fields: [] },
      { controlId: 'AVL-01', change: 'changed', fields: ['mappings'] },
    ]);
  });
});

describe('version increments', () => {
  const v1 = smallCatalog();

  it('removing a control or a mapping needs a major version', () => {
    const removed = nextVersion(
      v1,
      '1.1.0',
      (n) => (n.controls = n.controls.filter((c) => c.id !== 'AVL-01')),
    );
    expect(requiredVersionBump(diffCatalogs(v1, removed))).toBe('major');
    expect(versioningProblems(diffCatalogs(v1, removed))).toEqual([
      '1.0.0 → 1.1.0 is a minor increment, but the changes need a major one',
    ]);
    const unmapped = nextVersion(v1, '2.0.0', (n) => (n.frameworks['nist-csf-2.0'].mappings = []));
    expect(requiredVersionBump(diffCatalogs(v1, unmapped))).toBe('major');
    expect(versioningProblems(diffCatalogs(v1, unmapped))).toEqual([]);
  });

  it('adding a control or mapping, or changing how a control operates, needs a minor version', () => {
    const added = nextVersion(v1, '1.1.0', (n) => {
      n.controls.push({ ...structuredClone(n.controls[0]), id: 'GOV-03' });
    });
    expect(requiredVersionBump(diffCatalogs(v1, added))).toBe('minor');
    expect(versioningProblems(diffCatalogs(v1, added))).toEqual([]);
    const evidence = nextVersion(
      v1,
      '1.0.1',
      (n) => (control(n, 'GOV-01').evidence[0].frequency = 'quarterly'),
    );
    expect(diffCatalogs(v1, evidence).changedControls).toEqual([{ id: 'GOV-01', fields: ['evidence'] }]);
    expect(requiredVersionBump(diffCatalogs(v1, evidence))).toBe('minor');
    expect(versioningProblems(diffCatalogs(v1, evidence))).toHaveLength(1);
  });

  it('rewording needs a patch version', () => {
    const reworded = nextVersion(v1, '1.0.1', (n) => {
      control(n, 'AVL-01').name = 'Better name';
      n.leftToOrganization[0].reason = 'A clearer reason for the organization.';
    });
    const diff = diffCatalogs(v1, reworded);
    expect(diff.changedControls).toEqual([{ id: 'AVL-01', fields: ['name'] }]);
    expect(diff.leftToOrganization.reasonChanged).toEqual(['CC1.1.3']);
    expect(requiredVersionBump(diff)).toBe('patch');
    expect(versioningProblems(diff)).toEqual([]);
    expect(versioningProblems({ ...diff, to: '1.0.0' })).toEqual([
      '1.0.0 → 1.0.0 is a none increment, but the changes need a patch one',
    ]);
  });

  it('reads the increment between two versions', () => {
    expect(versionBumpBetween('1.4.2', '2.0.0')).toBe('major');
    expect(versionBumpBetween('1.4.2', '1.5.0')).toBe('minor');
    expect(versionBumpBetween('1.4.2', '1.4.3')).toBe('patch');
    expect(versionBumpBetween('1.4.2', '1.4.2')).toBe('none');
    expect(versionBumpBetween('1.4.2', '1.3.9')).toBe('none');
  });
});

describe('diffCatalogs on a copy of the shipped catalog', () => {
  it('finds a control changed in a second version built in memory', () => {
    const [first, second] = attestCatalog.controls;
    const next = nextVersion(attestCatalog, '1.1.0', (n) => {
      control(n, first.id).ownerRole = first.ownerRole === 'cto' ? 'ceo' : 'cto';
      control(n, second.id).automatedTests = [...second.automatedTests, 'new-monitoring-test'];
      const mapping = n.frameworks['nist-csf-2.0'].mappings.find((m) => m.control === first.id);
      if (mapping) mapping.targets.push('GV.RM-07');
      else n.frameworks['nist-csf-2.0'].mappings.push({ control: first.id, targets: ['GV.RM-07'] });
    });
    const diff = diffCatalogs(attestCatalog, next);
    expect(diff.changedControls).toEqual(
      [
        { id: first.id, fields: ['ownerRole'] },
        { id: second.id, fields: ['automatedTests'] },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(diff.changedMappings).toEqual([
      {
        control: first.id,
        criteria: { added: [], removed: [] },
        pointsOfFocus: { added: [], removed: [] },
        frameworks: { 'nist-csf-2.0': { added: ['GV.RM-07'], removed: [] } },
      },
    ]);
    expect(diff.addedControls).toEqual([]);
    expect(diff.removedControls).toEqual([]);
    expect(requiredVersionBump(diff)).toBe('minor');
    expect(versioningProblems(diff)).toEqual([]);
  });
});
