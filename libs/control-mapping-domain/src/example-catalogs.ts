import type { Catalog, Control, Criterion } from '@attest/catalog';

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
 */
export function exampleCatalogV1(): Catalog {
  const criterion = (
    id: string,
    category: Criterion['category'],
    series: string,
    cosoPrinciple: number | null,
    count: number,
  ): Criterion => ({
    id,
    category,
    series,
    seriesName: `${series} series`,
    shortTitle: `${id} title`,
    description: `What ${id} asks for.`,
    cosoPrinciple,
    pointsOfFocus: Array.from({ length: count }, (_, i) => ({
      ref: `${id}.${i + 1}`,
      heading: `${id} heading ${i + 1}`,
      source: 'tsc' as const,
      explanation: `What ${id}.${i + 1} means in practice.`,
      ...(category === 'privacy' ? { privacyRoles: ['controller' as const] } : {}),
    })),
  });
  return {
    release: { version: '1.0.0', released: '2026-01-15' },
    categories: [
      { id: 'security', name: 'Security', description: 'Security category.' },
      { id: 'availability', name: 'Availability', description: 'Availability category.' },
      { id: 'processing-integrity', name: 'Processing Integrity', description: 'PI category.' },
      { id: 'confidentiality', name: 'Confidentiality', description: 'Confidentiality category.' },
      { id: 'privacy', name: 'Privacy', description: 'Privacy category.' },
    ],
    series: [
      { id: 'CC1', name: 'Control Environment', category: 'security', description: 'CC1 series.' },
      { id: 'A1', name: 'Availability', category: 'availability', description: 'A1 series.' },
      { id: 'P1', name: 'Notice', category: 'privacy', description: 'P1 series.' },
    ],
    criteria: [
      criterion('CC1.1', 'security', 'CC1', 1, 3),
      criterion('CC1.2', 'security', 'CC1', 2, 2),
      criterion('A1.1', 'availability', 'A1', null, 2),
      criterion('P1.1', 'privacy', 'P1', null, 2),
    ],
    controls: [
      exampleControl('GOV-01', 'governance', ['CC1.1'], ['CC1.1.1', 'CC1.1.2'], 'ceo'),
      exampleControl(
        'GOV-02',
        'governance',
        ['CC1.1', 'CC1.2'],
        ['CC1.1.2', 'CC1.2.1'],
        'board-of-directors',
      ),
      exampleControl('AVL-01', 'availability', ['A1.1'], ['A1.1.1', 'A1.1.2'], 'devops-lead'),
      exampleControl('PRV-01', 'privacy', ['P1.1'], ['P1.1.1'], 'privacy-officer'),
    ],
    leftToOrganization: [{ ref: 'CC1.1.3', reason: 'Only the organization itself can set this.' }],
    frameworks: {
      'iso27001-2022': {
        framework: { id: 'iso27001-2022', name: 'ISO/IEC 27001:2022 Annex A', version: '2022' },
        targets: [
          { id: 'A.5.1', label: 'Policies', theme: 'organizational' },
          { id: 'A.5.2', label: 'Roles', theme: 'organizational' },
          { id: 'A.8.1', label: 'Endpoints', theme: 'technological' },
        ],
        mappings: [
          { control: 'GOV-01', targets: ['A.5.1'] },
          { control: 'GOV-02', targets: ['A.5.1', 'A.5.2'] },
        ],
        notCovered: [{ target: 'A.8.1', reason: 'No library control manages endpoints here.' }],
      },
      'nist-csf-2.0': {
        framework: { id: 'nist-csf-2.0', name: 'NIST Cybersecurity Framework 2.0', version: '2.0' },
        targets: [
          { id: 'GV.PO-01', label: 'Policy established', function: 'govern', category: 'GV.PO' },
          { id: 'PR.AA-01', label: 'Identities managed', function: 'protect', category: 'PR.AA' },
        ],
        mappings: [{ control: 'GOV-01', targets: ['GV.PO-01'] }],
        notCovered: [{ target: 'PR.AA-01', reason: 'No library control manages identities here.' }],
      },
    },
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
  controls.push(exampleControl('GOV-03', 'governance', ['CC1.2'], ['CC1.2.2'], 'compliance-manager'));
  return {
    ...v1,
    release: { version: '2.0.0', released: '2026-06-01' },
    controls,
  };
}

function exampleControl(
  id: string,
  domain: Control['domain'],
  criteria: string[],
  pointsOfFocus: string[],
  ownerRole: Control['ownerRole'],
): Control {
  return {
    id,
    name: `${id} name`,
    domain,
    description: `What the company does for ${id}.`,
    type: 'preventive',
    nature: 'manual',
    frequency: 'annual',
    ownerRole,
    evidence: [{ id: `${id}-E1`, type: 'report', description: `Proof of ${id}.`, frequency: 'annual' }],
    criteria,
    pointsOfFocus,
    automatedTests: [],
  };
}
