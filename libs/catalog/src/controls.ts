import { attestCatalog, CatalogLookupError, type Catalog } from './catalog';
import { catalogIndex } from './catalog-index';

export const CONTROL_TYPES = ['preventive', 'detective', 'corrective'] as const;
export type ControlType = (typeof CONTROL_TYPES)[number];

export const CONTROL_NATURES = ['manual', 'automated', 'it-dependent-manual'] as const;
export type ControlNature = (typeof CONTROL_NATURES)[number];

export const FREQUENCIES = [
  'continuous',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'semi-annual',
  'annual',
  'per-event',
] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const EVIDENCE_TYPES = [
  'policy-document',
  'config-snapshot',
  'log-export',
  'ticket-sample',
  'screenshot',
  'attestation',
  'report',
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export const OWNER_ROLES = [
  'ceo',
  'cto',
  'security-lead',
  'compliance-manager',
  'engineering-lead',
  'devops-lead',
  'it-admin',
  'hr-lead',
  'legal-counsel',
  'privacy-officer',
  'finance-lead',
  'customer-support-lead',
  'product-lead',
  'board-of-directors',
] as const;
export type OwnerRole = (typeof OWNER_ROLES)[number];

export const OWNER_ROLE_TITLES: Record<OwnerRole, string> = {
  ceo: 'Chief executive officer',
  cto: 'Chief technology officer',
  'security-lead': 'Security lead',
  'compliance-manager': 'Compliance manager',
  'engineering-lead': 'Engineering lead',
  'devops-lead': 'DevOps lead',
  'it-admin': 'IT administrator',
  'hr-lead': 'HR lead',
  'legal-counsel': 'Legal counsel',
  'privacy-officer': 'Privacy officer',
  'finance-lead': 'Finance lead',
  'customer-support-lead': 'Customer support lead',
  'product-lead': 'Product lead',
  'board-of-directors': 'Board of directors',
};

/** Control domains with the id prefix their controls carry (AC-04 is in access-control). */
export const CONTROL_DOMAINS = {
  governance: 'GOV',
  'human-resources': 'HR',
  'risk-management': 'RSK',
  'vendor-management': 'VND',
  'monitoring-activities': 'MON',
  communication: 'COM',
  'access-control': 'AC',
  'network-security': 'NET',
  'physical-security': 'PHY',
  'asset-management': 'AST',
  operations: 'OPS',
  'vulnerability-management': 'VUL',
  'incident-response': 'INC',
  'change-management': 'CHG',
  'secure-development': 'SDL',
  availability: 'AVL',
  'backup-recovery': 'BCK',
  confidentiality: 'CNF',
  'processing-integrity': 'PI',
  privacy: 'PRV',
} as const;
export type ControlDomain = keyof typeof CONTROL_DOMAINS;

/** One item that proves a control operated, collected at its own frequency. */
export interface Evidence {
  id: string;
  type: EvidenceType;
  description: string;
  frequency: Frequency;
}

/** A control template of the library: what a company does, mapped to the criteria it addresses. */
export interface Control {
  id: string;
  name: string;
  domain: ControlDomain;
  description: string;
  type: ControlType;
  nature: ControlNature;
  frequency: Frequency;
  ownerRole: OwnerRole;
  evidence: Evidence[];
  /** Criteria the control addresses. */
  criteria: string[];
  /** Points of focus the control addresses; each belongs to one of `criteria`. */
  pointsOfFocus: string[];
  /** Ids of automated monitoring tests that can check the control; empty when only manual evidence works. */
  automatedTests: string[];
}

export function controlById(id: string, catalog: Catalog = attestCatalog): Control | undefined {
  return catalogIndex(catalog).controls.get(id);
}

/** The library controls that address a criterion, by id. Throws for an unknown criterion. */
export function controlsFor(criterionId: string, catalog: Catalog = attestCatalog): Control[] {
  const index = catalogIndex(catalog);
  if (!index.criteria.has(criterionId)) throw new CatalogLookupError('criterion', criterionId);
  return index.controlsByCriterion.get(criterionId) ?? [];
}

/** The library controls that address a point of focus, by id. Throws for an unknown point of focus. */
export function controlsForPointOfFocus(ref: string, catalog: Catalog = attestCatalog): Control[] {
  const index = catalogIndex(catalog);
  if (!index.pointsOfFocus.has(ref)) throw new CatalogLookupError('point of focus', ref);
  return index.controlsByPointOfFocus.get(ref) ?? [];
}
