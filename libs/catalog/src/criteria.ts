import { attestCatalog, type Catalog } from './catalog';
import { catalogIndex } from './catalog-index';

/** The five Trust Services categories; security (the common criteria) is always in scope. */
export const CATEGORY_IDS = [
  'security',
  'availability',
  'processing-integrity',
  'confidentiality',
  'privacy',
] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

export const PRIVACY_ROLES = ['controller', 'processor'] as const;
export type PrivacyRole = (typeof PRIVACY_ROLES)[number];

/** Where a point-of-focus heading comes from: the COSO 2013 framework or the TSC themselves. */
export type PointOfFocusSource = 'coso' | 'tsc';

export interface Category {
  id: CategoryId;
  name: string;
  description: string;
}

/** A group of criteria such as CC6 (logical and physical access) or P4 (use, retention and disposal). */
export interface Series {
  id: string;
  name: string;
  category: CategoryId;
  description: string;
}

export interface PointOfFocus {
  /** CC1.1.3 = the third point of focus under CC1.1. */
  ref: string;
  heading: string;
  source: PointOfFocusSource;
  explanation: string;
  /** Only on privacy points of focus: whether they apply to data controllers, processors or both. */
  privacyRoles?: PrivacyRole[];
}

export interface Criterion {
  id: string;
  category: CategoryId;
  series: string;
  seriesName: string;
  shortTitle: string;
  description: string;
  /** The COSO 2013 principle that CC1-CC5 restate; null for the supplemental and additional criteria. */
  cosoPrinciple: number | null;
  pointsOfFocus: PointOfFocus[];
}

export function isCategoryId(value: string): value is CategoryId {
  return (CATEGORY_IDS as readonly string[]).includes(value);
}

export function categoryById(id: string, catalog: Catalog = attestCatalog): Category | undefined {
  return catalog.categories.find((c) => c.id === id);
}

export function seriesById(id: string, catalog: Catalog = attestCatalog): Series | undefined {
  return catalog.series.find((s) => s.id === id);
}

export function criterionById(id: string, catalog: Catalog = attestCatalog): Criterion | undefined {
  return catalogIndex(catalog).criteria.get(id);
}

/** A point of focus with the criterion it belongs to. */
export function pointOfFocusByRef(
  ref: string,
  catalog: Catalog = attestCatalog,
): { pointOfFocus: PointOfFocus; criterion: Criterion } | undefined {
  return catalogIndex(catalog).pointsOfFocus.get(ref);
}
