import { attestCatalog, CatalogLookupError, type Catalog } from './catalog';
import { isCategoryId, type CategoryId } from './criteria';

/** What an organization's SOC 2 report covers: its categories and so its criteria, in catalog order. */
export interface Scope {
  categories: CategoryId[];
  criteria: string[];
}

/**
 * The scope for the categories an organization picks beyond security. Security (the common criteria) is always
 * included, so `scopeFor([])` is a security-only report. Throws for an unknown category.
 */
export function scopeFor(categories: Iterable<string> = [], catalog: Catalog = attestCatalog): Scope {
  const picked = new Set<string>(['security']);
  for (const category of categories) {
    if (!isCategoryId(category) || !catalog.categories.some((c) => c.id === category)) {
      throw new CatalogLookupError('category', category);
    }
    picked.add(category);
  }
  return {
    categories: catalog.categories.filter((c) => picked.has(c.id)).map((c) => c.id),
    criteria: catalog.criteria.filter((c) => picked.has(c.category)).map((c) => c.id),
  };
}
