import { attestCatalog, compareCatalogVersions, type Catalog } from '@attest/catalog';
import { DomainError } from '@attest/decider';

/**
 * The catalog versions a control-mapping service knows. A control set is tied to one of them; an upgrade moves it
 * to a newer one. The shipped catalog (`attestCatalog`) is always present; a deployment (or a test) may register
 * more, e.g. the previous release kept for organizations that have not upgraded yet.
 */
export class CatalogVersions {
  private readonly byVersion = new Map<string, Catalog>();

  constructor(catalogs: Iterable<Catalog> = [attestCatalog]) {
    for (const catalog of catalogs) this.byVersion.set(catalog.release.version, catalog);
    if (this.byVersion.size === 0) throw new TypeError('at least one catalog version is needed');
  }

  /** Known versions, oldest first. */
  versions(): string[] {
    return [...this.byVersion.keys()].sort(compareCatalogVersions);
  }

  has(version: string): boolean {
    return this.byVersion.has(version);
  }

  get(version: string): Catalog | undefined {
    return this.byVersion.get(version);
  }

  /** The catalog of a version, or the refusal `unknown-catalog-version`. */
  require(version: string): Catalog {
    const catalog = this.byVersion.get(version);
    if (!catalog)
      throw new DomainError('unknown-catalog-version', `catalog version ${version} is not known`, {
        version,
        known: this.versions(),
      });
    return catalog;
  }

  /** The newest known version. Its criteria and points of focus are the reference for custom mappings. */
  latest(): Catalog {
    const versions = this.versions();
    return this.byVersion.get(versions[versions.length - 1])!;
  }
}
