import { catalogTestFixtures, type Catalog, type Control } from '@attest/catalog';

/** The owner role of each control of 1.0.0 (the catalog library's small catalog gives them all security-lead). */
const OWNER_ROLES: Record<string, Control['ownerRole']> = {
  'GOV-01': 'ceo',
  'GOV-02': 'board-of-directors',
  'AVL-01': 'devops-lead',
  'PRV-01': 'privacy-officer',
};

/**
 * Two hand-sized catalog versions for worked examples (unit and integration tests, README): small enough that a
 * coverage matrix or an upgrade diff can be computed by hand.
 *
 * 1.0.0: criteria CC1.1 (points of focus CC1.1.1-3, CC1.1.3 left to the organization), CC1.2 (2), A1.1 (2),
 * P1.1 (2); controls GOV-01 (CC1.1: CC1.1.1, CC1.1.2), GOV-02 (CC1.1, CC1.2: CC1.1.2, CC1.2.1), AVL-01 (A1.1:
 * A1.1.1, A1.1.2), PRV-01 (P1.1: P1.1.1); ISO targets A.5.1 (GOV-01, GOV-02), A.5.2 (GOV-02), A.8.1 (none);
 * CSF targets GV.PO-01 (GOV-01), PR.AA-01 (none).
 *
 * 2.0.0: GOV-01 runs quarterly instead of annually; GOV-02 has a new name; PRV-01 is retired; GOV-03 (CC1.2:
 * CC1.2.2) is new; AVL-01 is unchanged.
 *
 * 1.0.0 is the catalog library's small test catalog, released on another day and with an owner role per control.
 */
export function exampleCatalogV1(): Catalog {
  const small = catalogTestFixtures.smallCatalog();
  return {
    ...small,
    release: { version: '1.0.0', released: '2026-01-15' },
    controls: small.controls.map((c) => ({ ...c, ownerRole: OWNER_ROLES[c.id] ?? c.ownerRole })),
    leftToOrganization: [{ ref: 'CC1.1.3', reason: 'Only the organization itself can set this.' }],
  };
}

export function exampleCatalogV2(): Catalog {
  const v1 = exampleCatalogV1();
  const controls = v1.controls
    .filter((c) => c.id !== 'PRV-01')
    .map((c): Control => {
      if (c.id === 'GOV-01') return { ...c, frequency: 'quarterly' };
      if (c.id === 'GOV-02') return { ...c, name: 'Board oversight charter reviewed' };
      return c;
    });
  controls.push(
    catalogTestFixtures.fixtureControl('GOV-03', 'governance', ['CC1.2'], ['CC1.2.2'], 'compliance-manager'),
  );
  return {
    ...v1,
    release: { version: '2.0.0', released: '2026-06-01' },
    controls,
  };
}
