import {
  controlById,
  criterionById,
  frameworkCoverage,
  type Catalog,
  type CategoryId,
  type FrameworkId,
} from '@attest/catalog';
import type { ImplementationStatus } from './control-events';

/**
 * Coverage of a criterion, a point of focus or a framework requirement by the organization's controls:
 *
 * - `covered-implemented`: at least one applicable control that covers it is implemented;
 * - `covered-not-implemented`: applicable controls cover it, but none is implemented yet;
 * - `gap`: no applicable control covers it. Controls marked not applicable never cover anything.
 */
export type CoverageStatus = 'covered-implemented' | 'covered-not-implemented' | 'gap';
export const COVERAGE_STATUSES: readonly CoverageStatus[] = [
  'covered-implemented',
  'covered-not-implemented',
  'gap',
];

/** What the matrix needs to know about one of the organization's controls. */
export interface MatrixControl {
  controlId: string;
  code: string;
  name: string;
  catalogControlId?: string;
  criteria: string[];
  pointsOfFocus: string[];
  implementation: ImplementationStatus;
  notApplicable: boolean;
}

export interface CoveringControl {
  controlId: string;
  code: string;
  name: string;
  implementation: ImplementationStatus;
}

export interface PointOfFocusCoverage {
  ref: string;
  heading: string;
  status: CoverageStatus;
  /** Applicable controls that list this point of focus, by code. */
  controls: CoveringControl[];
  /** Set when the catalog has no template for it and leaves it to the organization: why. */
  leftToOrganization?: string;
}

export interface CriterionCoverage {
  criterion: string;
  category: CategoryId;
  series: string;
  shortTitle: string;
  status: CoverageStatus;
  /** Applicable controls mapped to the criterion or to any of its points of focus, by code. */
  controls: CoveringControl[];
  pointsOfFocus: PointOfFocusCoverage[];
  pointsOfFocusSummary: Record<CoverageStatus, number>;
}

export interface CoverageMatrix {
  catalogVersion: string;
  categories: CategoryId[];
  criteria: CriterionCoverage[];
  summary: { criteria: Record<CoverageStatus, number>; pointsOfFocus: Record<CoverageStatus, number> };
  /** The controls left out because they are marked not applicable, by code. */
  notApplicableControls: string[];
}

function emptyCounts(): Record<CoverageStatus, number> {
  return { 'covered-implemented': 0, 'covered-not-implemented': 0, gap: 0 };
}

function statusOf(controls: CoveringControl[]): CoverageStatus {
  if (controls.length === 0) return 'gap';
  return controls.some((c) => c.implementation === 'implemented')
    ? 'covered-implemented'
    : 'covered-not-implemented';
}

function byCode(a: CoveringControl, b: CoveringControl): number {
  return a.code.localeCompare(b.code) || a.controlId.localeCompare(b.controlId);
}

function covering(c: MatrixControl): CoveringControl {
  return { controlId: c.controlId, code: c.code, name: c.name, implementation: c.implementation };
}

/**
 * The coverage matrix of a scope: for each criterion in scope (catalog order) and each of its points of focus,
 * which of the organization's applicable controls cover it and whether they are implemented. A control covers a
 * point of focus it lists, and a criterion it lists or one of whose points of focus it lists. The catalog of the
 * control set's version gives the criteria, headings and the points it leaves to the organization.
 */
export function coverageMatrix(
  scope: { categories: CategoryId[]; criteria: string[] },
  controls: MatrixControl[],
  catalog: Catalog,
): CoverageMatrix {
  const applicable = controls.filter((c) => !c.notApplicable);
  const leftToOrganization = new Map(catalog.leftToOrganization.map((l) => [l.ref, l.reason]));
  const summary = { criteria: emptyCounts(), pointsOfFocus: emptyCounts() };
  const criteria = scope.criteria.map((criterionId): CriterionCoverage => {
    const criterion = criterionById(criterionId, catalog);
    if (!criterion)
      throw new TypeError(`criterion ${criterionId} is not in catalog ${catalog.release.version}`);
    const pointsOfFocusSummary = emptyCounts();
    const pointsOfFocus = criterion.pointsOfFocus.map((p): PointOfFocusCoverage => {
      const cells = applicable
        .filter((c) => c.pointsOfFocus.includes(p.ref))
        .map(covering)
        .sort(byCode);
      const status = statusOf(cells);
      pointsOfFocusSummary[status] += 1;
      summary.pointsOfFocus[status] += 1;
      const reason = leftToOrganization.get(p.ref);
      return {
        ref: p.ref,
        heading: p.heading,
        status,
        controls: cells,
        ...(reason === undefined ? {} : { leftToOrganization: reason }),
      };
    });
    const refs = new Set(criterion.pointsOfFocus.map((p) => p.ref));
    const cells = applicable
      .filter((c) => c.criteria.includes(criterionId) || c.pointsOfFocus.some((r) => refs.has(r)))
      .map(covering)
      .sort(byCode);
    const status = statusOf(cells);
    summary.criteria[status] += 1;
    return {
      criterion: criterionId,
      category: criterion.category,
      series: criterion.series,
      shortTitle: criterion.shortTitle,
      status,
      controls: cells,
      pointsOfFocus,
      pointsOfFocusSummary,
    };
  });
  return {
    catalogVersion: catalog.release.version,
    categories: [...scope.categories],
    criteria,
    summary,
    notApplicableControls: controls
      .filter((c) => c.notApplicable)
      .map((c) => c.code)
      .sort(),
  };
}

export interface FrameworkTargetCoverageView {
  id: string;
  label: string;
  status: CoverageStatus;
  /** Applicable adopted controls mapped to the target through their catalog template, by code. */
  controls: CoveringControl[];
  /** Set when no catalog template supports the target at all: the catalog's reason. */
  notCoveredByLibrary?: string;
}

export interface FrameworkCoverageMatrix {
  framework: { id: FrameworkId; name: string; version: string };
  catalogVersion: string;
  targets: FrameworkTargetCoverageView[];
  summary: Record<CoverageStatus, number> & { total: number };
}

/**
 * Cross-framework coverage (ISO/IEC 27001:2022 Annex A, NIST CSF 2.0) from the catalog's mappings, through
 * `frameworkCoverage` of @attest/catalog. Only controls adopted from the catalog carry framework mappings (custom
 * controls have none); a customized adopted control keeps its template's mappings. Statuses as in the SOC 2 matrix.
 */
export function frameworkCoverageMatrix(
  frameworkId: FrameworkId,
  controls: MatrixControl[],
  catalog: Catalog,
): FrameworkCoverageMatrix {
  const mapped = controls.filter(
    (c) => !c.notApplicable && c.catalogControlId && controlById(c.catalogControlId, catalog),
  );
  const byCatalogId = new Map<string, MatrixControl[]>();
  for (const c of mapped)
    byCatalogId.set(c.catalogControlId!, [...(byCatalogId.get(c.catalogControlId!) ?? []), c]);
  const report = frameworkCoverage(frameworkId, byCatalogId.keys(), catalog);
  const summary = { ...emptyCounts(), total: report.targets.length };
  const targets = report.targets.map((t): FrameworkTargetCoverageView => {
    const cells = t.controls
      .flatMap((id) => byCatalogId.get(id) ?? [])
      .map(covering)
      .sort(byCode);
    const status = statusOf(cells);
    summary[status] += 1;
    return {
      id: t.id,
      label: t.label,
      status,
      controls: cells,
      ...(t.notCoveredByLibrary === undefined ? {} : { notCoveredByLibrary: t.notCoveredByLibrary }),
    };
  });
  return { framework: report.framework, catalogVersion: catalog.release.version, targets, summary };
}
