import {
  attestCatalog,
  CatalogLookupError,
  controlsForPointOfFocus,
  criterionById,
  pointOfFocusByRef,
  scopeFor,
  type Catalog,
} from '@attest/catalog';
import type { Category } from './events';

/** One question of a readiness questionnaire: how far one point of focus in scope is in place. */
export interface QuestionnaireItem {
  /** The point of focus, e.g. `CC6.2.2`. */
  ref: string;
  criterionId: string;
  criterionTitle: string;
  category: Category;
  /** The criteria series, e.g. `CC6`. */
  series: string;
  heading: string;
  explanation: string;
  /** Library controls that address the point of focus (the ones a gap here proposes), by id. */
  catalogControlIds: string[];
}

/**
 * The questionnaire of an assessment: every point of focus of every criterion in scope, in catalog order.
 * Security is always in scope. Throws (CatalogLookupError) for an unknown category.
 */
export function questionnaireFor(
  categories: Iterable<string>,
  catalog: Catalog = attestCatalog,
): QuestionnaireItem[] {
  const scope = scopeFor(categories, catalog);
  return scope.criteria.flatMap((criterionId) => {
    const criterion = criterionById(criterionId, catalog);
    if (!criterion) throw new CatalogLookupError('criterion', criterionId);
    return criterion.pointsOfFocus.map((p): QuestionnaireItem => ({
      ref: p.ref,
      criterionId: criterion.id,
      criterionTitle: criterion.shortTitle,
      category: criterion.category as Category,
      series: criterion.series,
      heading: p.heading,
      explanation: p.explanation,
      catalogControlIds: controlsForPointOfFocus(p.ref, catalog).map((c) => c.id),
    }));
  });
}

/** The categories of a scope as the events carry them: security first, then the others in catalog order. */
export function normalizedCategories(
  categories: Iterable<string>,
  catalog: Catalog = attestCatalog,
): Category[] {
  return scopeFor(categories, catalog).categories as Category[];
}

/** Where a point of focus stands relative to a scope: unknown to the catalog, outside the scope, or in it. */
export type PointOfFocusPlacement =
  | { kind: 'unknown' }
  | { kind: 'out-of-scope'; category: Category; criterionId: string }
  | { kind: 'in-scope'; item: QuestionnaireItem };

export function placePointOfFocus(
  ref: string,
  categories: readonly Category[],
  catalog: Catalog = attestCatalog,
): PointOfFocusPlacement {
  const found = pointOfFocusByRef(ref, catalog);
  if (!found) return { kind: 'unknown' };
  const { criterion, pointOfFocus } = found;
  const category = criterion.category as Category;
  if (!categories.includes(category)) return { kind: 'out-of-scope', category, criterionId: criterion.id };
  return {
    kind: 'in-scope',
    item: {
      ref: pointOfFocus.ref,
      criterionId: criterion.id,
      criterionTitle: criterion.shortTitle,
      category,
      series: criterion.series,
      heading: pointOfFocus.heading,
      explanation: pointOfFocus.explanation,
      catalogControlIds: controlsForPointOfFocus(pointOfFocus.ref, catalog).map((c) => c.id),
    },
  };
}
