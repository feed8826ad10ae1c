import type { Category, Criterion, Series } from './criteria';
import type { Control } from './controls';
import type { FrameworkId, FrameworkMapping } from './framework-mappings';
import catalogRelease from '../data/catalog.json';
import criteriaFile from '../data/criteria.json';
import controlsFile from '../data/controls.json';
import leftToOrganizationFile from '../data/left-to-organization.json';
import iso27001 from '../data/mappings/iso27001-2022.json';
import nistCsf from '../data/mappings/nist-csf-2.0.json';

/** The catalog's semantic version and release date (YYYY-MM-DD). */
export interface CatalogRelease {
  version: string;
  released: string;
}

/** A point of focus no library control addresses, with why the organization must address it itself. */
export interface LeftToOrganization {
  ref: string;
  reason: string;
}

/**
 * One version of the whole catalog. Every function of this library takes a catalog (the shipped one by default),
 * so tests and version diffs can work on a modified copy. Treat a catalog as immutable once a function has seen it:
 * lookups are indexed per catalog object.
 */
export interface Catalog {
  release: CatalogRelease;
  categories: Category[];
  series: Series[];
  criteria: Criterion[];
  controls: Control[];
  leftToOrganization: LeftToOrganization[];
  frameworks: Record<FrameworkId, FrameworkMapping>;
}

export class CatalogLookupError extends Error {
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super(`unknown ${kind}: ${id}`);
    this.name = 'CatalogLookupError';
  }
}

/** The catalog shipped in libs/catalog/data (validated against libs/catalog/schemas by the tests). */
export const attestCatalog: Catalog = {
  release: catalogRelease,
  categories: criteriaFile.categories as unknown as Catalog['categories'],
  series: criteriaFile.series as unknown as Catalog['series'],
  criteria: criteriaFile.criteria as unknown as Catalog['criteria'],
  controls: controlsFile.controls as unknown as Catalog['controls'],
  leftToOrganization: leftToOrganizationFile.pointsOfFocus as unknown as LeftToOrganization[],
  frameworks: {
    'iso27001-2022': iso27001 as unknown as FrameworkMapping,
    'nist-csf-2.0': nistCsf as unknown as FrameworkMapping,
  },
};
