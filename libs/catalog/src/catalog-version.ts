import { attestCatalog, CatalogLookupError, type Catalog } from './catalog';
import { catalogIndex } from './catalog-index';

export interface SemanticVersion {
  major: number;
  minor: number;
  patch: number;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseCatalogVersion(version: string): SemanticVersion {
  const match = SEMVER.exec(version);
  if (!match) throw new Error(`not a catalog version (MAJOR.MINOR.PATCH): ${version}`);
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareCatalogVersions(a: string, b: string): number {
  const x = parseCatalogVersion(a);
  const y = parseCatalogVersion(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/**
 * A library control an organization has adopted, with the catalog version it was taken from, so that a later
 * catalog release can tell the organization which of its controls changed (see `adoptionsAffectedBy`).
 */
export interface AdoptedControl {
  controlId: string;
  catalogVersion: string;
  /** When the organization adopted it (ISO 8601). */
  adoptedAt: string;
}

/** Records the adoption of a library control from the given catalog. Throws for an unknown control. */
export function adoptControl(
  controlId: string,
  adoptedAt: Date | string,
  catalog: Catalog = attestCatalog,
): AdoptedControl {
  if (!catalogIndex(catalog).controls.has(controlId)) throw new CatalogLookupError('control', controlId);
  const at = typeof adoptedAt === 'string' ? new Date(adoptedAt) : adoptedAt;
  if (Number.isNaN(at.getTime())) throw new Error(`invalid adoption time: ${String(adoptedAt)}`);
  return { controlId, catalogVersion: catalog.release.version, adoptedAt: at.toISOString() };
}
