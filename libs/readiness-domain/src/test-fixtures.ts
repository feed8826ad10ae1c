// Shared by the specs of this library (not exported from it): a hand-sized catalog and sample values.
import type { Catalog } from '@attest/catalog';
import type { Criterion } from '@attest/catalog';
import { contractForStoreType, validateEventData, withPlaceholderTokens } from '@attest/event-contracts';
import type { Actor, PersonRef, ReadinessEvent, SystemDescription } from './events';
import { INTERNAL_EVENT_TYPES } from './events';

/**
 * Security: CC1.1 (3 points of focus), CC6.1 (2), CC9.1 (2); availability: A1.3 (2); confidentiality: C1.1 (1).
 * Controls: GOV-01 (CC1.1.1, CC1.1.2), AC-07 (CC6.1.2), AVL-10 (A1.3.1), BCK-06 (A1.3.1, A1.3.2).
 */
export function tinyCatalog(): Catalog {
  const criterion = (
    id: string,
    category: Criterion['category'],
    series: string,
    count: number,
  ): Criterion => ({
    id,
    category,
    series,
    seriesName: `${series} series`,
    shortTitle: `${id} title`,
    description: `What ${id} asks for.`,
    cosoPrinciple: id === 'CC1.1' ? 1 : null,
    pointsOfFocus: Array.from({ length: count }, (_, i) => ({
      ref: `${id}.${i + 1}`,
      heading: `Heading ${id}.${i + 1}`,
      source: 'tsc' as const,
      explanation: `What ${id}.${i + 1} means.`,
    })),
  });
  const control = (id: string, pointsOfFocus: string[]) => ({
    id,
    name: `${id} name`,
    domain: 'governance' as const,
    description: `${id} description.`,
    type: 'preventive' as const,
    nature: 'manual' as const,
    frequency: 'annual' as const,
    ownerRole: 'security-lead' as const,
    evidence: [],
    criteria: [...new Set(pointsOfFocus.map((p) => p.split('.').slice(0, 2).join('.')))],
    pointsOfFocus,
    automatedTests: [],
  });
  return {
    release: { version: '1.0.0', released: '2026-01-01' },
    categories: [
      { id: 'security', name: 'Security', description: '.' },
      { id: 'availability', name: 'Availability', description: '.' },
      { id: 'processing-integrity', name: 'Processing Integrity', description: '.' },
      { id: 'confidentiality', name: 'Confidentiality', description: '.' },
      { id: 'privacy', name: 'Privacy', description: '.' },
    ],
    series: [
      { id: 'CC1', name: 'Control Environment', category: 'security', description: '.' },
      { id: 'CC6', name: 'Logical and Physical Access', category: 'security', description: '.' },
      { id: 'CC9', name: 'Risk Mitigation', category: 'security', description: '.' },
      { id: 'A1', name: 'Availability', category: 'availability', description: '.' },
      { id: 'C1', name: 'Confidentiality', category: 'confidentiality', description: '.' },
    ],
    criteria: [
      criterion('CC1.1', 'security', 'CC1', 3),
      criterion('CC6.1', 'security', 'CC6', 2),
      criterion('CC9.1', 'security', 'CC9', 2),
      criterion('A1.3', 'availability', 'A1', 2),
      criterion('C1.1', 'confidentiality', 'C1', 1),
    ],
    controls: [
      control('GOV-01', ['CC1.1.1', 'CC1.1.2']),
      control('AC-07', ['CC6.1.2']),
      control('AVL-10', ['A1.3.1']),
      control('BCK-06', ['A1.3.1', 'A1.3.2']),
    ],
    leftToOrganization: [],
    frameworks: {
      'iso27001-2022': {
        framework: { id: 'iso27001-2022', name: 'ISO', version: '2022' },
        targets: [],
        mappings: [],
        notCovered: [],
      },
      'nist-csf-2.0': {
        framework: { id: 'nist-csf-2.0', name: 'CSF', version: '2.0' },
        targets: [],
        mappings: [],
        notCovered: [],
      },
    },
  } as Catalog;
}

export const ASSESSMENT_ID = '3f1c9a52-8d4e-4b7a-9c21-5e6f7a8b9c0d';
export const TASK_ID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const RISK_ID = 'c5d6e7f8-0a1b-4c2d-9e3f-4a5b6c7d8e9f';
export const RISK_ASSESSMENT_ID = 'd1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a';
export const GAP_ID = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

export const priya: Actor = {
  type: 'user',
  id: '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  displayName: 'Priya Raman',
};
export const marcus: PersonRef = {
  personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c',
  displayName: 'Marcus Chen',
  email: 'marcus.chen@lumen-analytics.example',
};
export const dana: PersonRef = {
  personId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
  displayName: 'Dana Ortiz',
};

export const systemDescription: SystemDescription = {
  systemName: 'Lumen Analytics Platform',
  services: [{ name: 'Product analytics', description: 'Collects and reports product usage events.' }],
  principalServiceCommitments: [{ commitment: '99.9% monthly uptime', categories: ['availability'] }],
  infrastructure: [
    { name: 'Production AWS account', kind: 'cloud-platform', provider: 'Amazon Web Services' },
  ],
  software: [{ name: 'Ingest API', purpose: 'Receives events from customer SDKs.' }],
  people: { headcount: 42, teams: [{ name: 'Platform', responsibilities: 'Runs production.' }] },
  data: [
    { category: 'Customer analytics events', classification: 'confidential', containsPersonalData: true },
  ],
  subserviceOrganizations: [
    {
      name: 'Amazon Web Services',
      services: 'Hosting',
      method: 'carve-out',
      complementaryControls: ['Physical security of data centers'],
    },
  ],
};

/**
 * Fails with the problems when an event's data, once published, is not exactly its contract's payload. The
 * decider's data is plaintext (the specs compare names and e-mail addresses); the contract describes the sealed
 * form, so the personal fields are checked as placeholder tokens.
 */
export function expectContractValid(events: readonly ReadinessEvent[]): void {
  for (const event of events) {
    if (INTERNAL_EVENT_TYPES.includes(event.type)) continue;
    const contract = contractForStoreType('readiness', event.type);
    if (!contract) throw new Error(`no contract for ${event.type}`);
    const problems = validateEventData(contract.ceType, withPlaceholderTokens(contract.ceType, event.data));
    if (problems.length) throw new Error(`${event.type} does not match its contract: ${problems.join('; ')}`);
  }
}
