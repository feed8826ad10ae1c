import { attestCatalog, CatalogLookupError, type Catalog } from './catalog';
import { catalogIndex } from './catalog-index';
import type { CategoryId } from './criteria';
import type { Scope } from './scope';

export type CoverageStatus = 'covered' | 'partly' | 'not';

export interface PointOfFocusCoverage {
  ref: string;
  /** Covered when at least one implemented control addresses the point of focus. */
  status: 'covered' | 'not';
  /** The implemented controls that address it, by id. */
  controls: string[];
  /** Set when the catalog leaves this point of focus to the organization: the reason why. */
  leftToOrganization?: string;
}

export interface CriterionCoverage {
  criterion: string;
  category: CategoryId;
  status: CoverageStatus;
  /** The implemented controls that address the criterion or any of its points of focus, by id. */
  controls: string[];
  pointsOfFocus: PointOfFocusCoverage[];
}

export interface CoverageReport {
  criteria: CriterionCoverage[];
  summary: Record<CoverageStatus, number>;
}

/**
 * How far implemented library controls cover the criteria in scope.
 *
 * - A point of focus is `covered` when at least one implemented control addresses it, else `not`; a point of focus
 *   the catalog leaves to the organization carries that reason.
 * - A criterion is `not` covered when no implemented control addresses any of its points of focus; `covered` when
 *   each of its points of focus is covered or left to the organization; `partly` otherwise.
 *
 * Throws for an unknown control id or a criterion of the scope that the catalog lacks.
 */
export function coverage(
  scope: Scope,
  implementedControls: Iterable<string>,
  catalog: Catalog = attestCatalog,
): CoverageReport {
  const index = catalogIndex(catalog);
  const implemented = new Set(implementedControls);
  for (const id of implemented) {
    if (!index.controls.has(id)) throw new CatalogLookupError('control', id);
  }
  const byImplemented = (controls: { id: string }[] | undefined) =>
    (controls ?? []).map((c) => c.id).filter((id) => implemented.has(id));

  const criteria = scope.criteria.map((criterionId): CriterionCoverage => {
    const criterion = index.criteria.get(criterionId);
    if (!criterion) throw new CatalogLookupError('criterion', criterionId);
    const pointsOfFocus = criterion.pointsOfFocus.map((p): PointOfFocusCoverage => {
      const controls = byImplemented(index.controlsByPointOfFocus.get(p.ref));
      const reason = index.leftToOrganization.get(p.ref);
      return {
        ref: p.ref,
        status: controls.length > 0 ? 'covered' : 'not',
        controls,
        ...(reason === undefined ? {} : { leftToOrganization: reason }),
      };
    });
    const controls = [
      ...new Set([
        ...byImplemented(index.controlsByCriterion.get(criterionId)),
        ...pointsOfFocus.flatMap((p) => p.controls),
      ]),
    ].sort();
    return {
      criterion: criterionId,
      category: criterion.category,
      status: criterionStatus(pointsOfFocus),
      controls,
      pointsOfFocus,
    };
  });

  const summary: Record<CoverageStatus, number> = { covered: 0, partly: 0, not: 0 };
  for (const c of criteria) summary[c.status] += 1;
  return { criteria, summary };
}

function criterionStatus(pointsOfFocus: PointOfFocusCoverage[]): CoverageStatus {
  if (!pointsOfFocus.some((p) => p.status === 'covered')) return 'not';
  const complete = pointsOfFocus.every((p) => p.status === 'covered' || p.leftToOrganization !== undefined);
  return complete ? 'covered' : 'partly';
}

export interface PointOfFocusGap {
  ref: string;
  heading: string;
  /** Library controls, not yet implemented, that would cover it. */
  candidateControls: string[];
}

export interface Gap {
  criterion: string;
  category: CategoryId;
  status: Exclude<CoverageStatus, 'covered'>;
  /** Points of focus neither covered by an implemented control nor left to the organization. */
  missingPointsOfFocus: PointOfFocusGap[];
}

/** The criteria in scope that are not fully covered, with what is missing and which controls would close it. */
export function gaps(
  scope: Scope,
  implementedControls: Iterable<string>,
  catalog: Catalog = attestCatalog,
): Gap[] {
  const index = catalogIndex(catalog);
  const implemented = new Set(implementedControls);
  return coverage(scope, implemented, catalog).criteria.flatMap((c): Gap[] => {
    if (c.status === 'covered') return [];
    const missingPointsOfFocus = c.pointsOfFocus
      .filter((p) => p.status === 'not' && p.leftToOrganization === undefined)
      .map((p) => ({
        ref: p.ref,
        heading: index.pointsOfFocus.get(p.ref)?.pointOfFocus.heading ?? '',
        candidateControls: (index.controlsByPointOfFocus.get(p.ref) ?? [])
          .map((control) => control.id)
          .filter((id) => !implemented.has(id)),
      }));
    return [{ criterion: c.criterion, category: c.category, status: c.status, missingPointsOfFocus }];
  });
}
