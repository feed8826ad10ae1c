import type { Catalog } from './catalog';
import type { Control, OwnerRole } from './controls';
import type { Criterion } from './criteria';

/**
 * Builders of hand-sized catalogs for worked examples in the tests of the libraries and services that read a
 * catalog; the library's index exports them as `catalogTestFixtures`. Not for production code.
 */

/** A criterion with `pointsOfFocus` generated points of focus (`<id>.1`, `<id>.2`, …). */
export function fixtureCriterion(
  id: string,
  category: Criterion['category'],
  series: string,
  cosoPrinciple: number | null,
  pointsOfFocus: number,
  privacyRoles?: ('controller' | 'processor')[],
): Criterion {
  return {
    id,
    category,
    series,
    seriesName: `${series} series`,
    shortTitle: `${id} title`,
    description: `What ${id} asks for.`,
    cosoPrinciple,
    pointsOfFocus: Array.from({ length: pointsOfFocus }, (_, i) => ({
      ref: `${id}.${i + 1}`,
      heading: `${id} heading ${i + 1}`,
      source: 'tsc' as const,
      explanation: `What ${id}.${i + 1} means in practice.`,
      ...(privacyRoles ? { privacyRoles } : {}),
    })),
  };
}

/** A control with one annual report as evidence. */
export function fixtureControl(
  id: string,
  domain: Control['domain'],
  criteria: string[],
  pointsOfFocus: string[],
  ownerRole: OwnerRole = 'security-lead',
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

/**
 * CC1.1 (3 points of focus, CC1.1.3 left to the organization), CC1.2 (2), A1.1 (2), P1.1 (2);
 * controls GOV-01, GOV-02, AVL-01, PRV-01; ISO targets A.5.1, A.5.2, A.8.1; CSF targets GV.PO-01, PR.AA-01.
 */
export function smallCatalog(): Catalog {
  return {
    release: { version: '1.0.0', released: '2026-11-26' },
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
      fixtureCriterion('CC1.1', 'security', 'CC1', 1, 3),
      fixtureCriterion('CC1.2', 'security', 'CC1', 2, 2),
      fixtureCriterion('A1.1', 'availability', 'A1', null, 2),
      fixtureCriterion('P1.1', 'privacy', 'P1', null, 2, ['controller']),
    ],
    controls: [
      fixtureControl('GOV-01', 'governance', ['CC1.1'], ['CC1.1.1', 'CC1.1.2']),
      fixtureControl('GOV-02', 'governance', ['CC1.1', 'CC1.2'], ['CC1.1.2', 'CC1.2.1']),
      fixtureControl('AVL-01', 'availability', ['A1.1'], ['A1.1.1', 'A1.1.2']),
      fixtureControl('PRV-01', 'privacy', ['P1.1'], ['P1.1.1']),
    ],
    leftToOrganization: [{ ref: 'CC1.1.3', reason: 'Only the organization itself can do this.' }],
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

export const catalogTestFixtures = { fixtureCriterion, fixtureControl, smallCatalog };
