import {
  controlById,
  criterionById,
  frameworkCoverage,
  type Catalog,
  type CategoryId,
  type FrameworkId,
} from '@attest/catalog';
import type { ImplementationStatus } from './control-events';
import type { PointOfFocusExplanation } from './control-set-decider';

/**
 * Coverage of a point of focus or a framework requirement by the organization's controls:
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

/**
 * The status of a row of the SOC 2 matrix. A point of focus has its coverage status, or `not-applicable` when the
 * organization explained on its control set why it does not apply. A criterion is
 *
 * - `covered-implemented` only when each of its points of focus is covered by an implemented applicable control or
 *   explained as not applicable (nothing `missing`);
 * - `gap` when none of its applicable points of focus is covered by any applicable control;
 * - `covered-not-implemented` otherwise: controls cover some of it, and `missing` lists what is still open;
 * - `not-applicable` when every one of its points of focus is explained as not applicable.
 *
 * A control mapped to the criterion alone, without any of its points of focus, is listed but covers no point.
 */
export type MatrixStatus = CoverageStatus | 'not-applicable';
export const MATRIX_STATUSES: readonly MatrixStatus[] = [...COVERAGE_STATUSES, 'not-applicable'];

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
  status: MatrixStatus;
  /** Applicable controls that list this point of focus, by code. */
  controls: CoveringControl[];
  /** Set when the catalog has no template for it and leaves it to the organization: why. */
  leftToOrganization?: string;
  /** Set when the organization explained why it does not apply (status `not-applicable`). */
  notApplicable?: { justification: string; markedAt: string };
}

/** A point of focus that keeps its criterion from being covered, and why. */
export interface MissingPointOfFocus {
  pointOfFocusRef: string;
  heading: string;
  /** `no-control`: no applicable control covers it; `not-implemented`: the controls that cover it are not implemented. */
  reason: 'no-control' | 'not-implemented';
}

export interface CriterionCoverage {
  criterion: string;
  category: CategoryId;
  series: string;
  shortTitle: string;
  status: MatrixStatus;
  /** Applicable controls mapped to the criterion or to any of its points of focus, by code. */
  controls: CoveringControl[];
  pointsOfFocus: PointOfFocusCoverage[];
  pointsOfFocusSummary: Record<MatrixStatus, number>;
  /** Exactly what is missing before the criterion counts as covered, in catalog order (empty when it is). */
  missing: MissingPointOfFocus[];
}

export interface CoverageMatrix {
  catalogVersion: string;
  categories: CategoryId[];
  criteria: CriterionCoverage[];
  summary: { criteria: Record<MatrixStatus, number>; pointsOfFocus: Record<MatrixStatus, number> };
  /** The controls left out because they are marked not applicable, by code. */
  notApplicableControls: string[];
}

/** The scope of a control set and the points of focus it explains as not applicable (by ref). */
export interface MatrixScope {
  categories: CategoryId[];
  criteria: string[];
  pointsOfFocusNotApplicable: Readonly<Record<string, PointOfFocusExplanation>>;
}

function emptyCounts(): Record<CoverageStatus, number> {
  return { 'covered-implemented': 0, 'covered-not-implemented': 0, gap: 0 };
}

function emptyMatrixCounts(): Record<MatrixStatus, number> {
  return { ...emptyCounts(), 'not-applicable': 0 };
}

function statusOf(controls: CoveringControl[]): CoverageStatus {
  if (controls.length === 0) return 'gap';
  return controls.some((c) => c.implementation === 'implemented')
    ? 'covered-implemented'
    : 'covered-not-implemented';
}

/** A criterion's status from its points of focus (see MatrixStatus). */
function criterionStatus(points: PointOfFocusCoverage[], missing: MissingPointOfFocus[]): MatrixStatus {
  const applicable = points.filter((p) => p.status !== 'not-applicable');
  if (applicable.length === 0) return 'not-applicable';
  if (missing.length === 0) return 'covered-implemented';
  return applicable.every((p) => p.status === 'gap') ? 'gap' : 'covered-not-implemented';
}

function byCode(a: CoveringControl, b: CoveringControl): number {
  return a.code.localeCompare(b.code) || a.controlId.localeCompare(b.controlId);
}

function covering(c: MatrixControl): CoveringControl {
  return { controlId: c.controlId, code: c.code, name: c.name, implementation: c.implementation };
}

/**
 * The coverage matrix of a scope: for each criterion in scope (catalog order) and each of its points of focus,
 * which of the organization's applicable controls cover it and whether they are implemented, the points explained
 * as not applicable, and per criterion what is missing. A control covers a point of focus it lists. The catalog of
 * the control set's version gives the criteria, headings and the points it leaves to the organization.
 */
export function coverageMatrix(
  scope: MatrixScope,
  controls: MatrixControl[],
  catalog: Catalog,
): CoverageMatrix {
  const applicable = controls.filter((c) => !c.notApplicable);
  const leftToOrganization = new Map(catalog.leftToOrganization.map((l) => [l.ref, l.reason]));
  const summary = { criteria: emptyMatrixCounts(), pointsOfFocus: emptyMatrixCounts() };
  const criteria = scope.criteria.map((criterionId): CriterionCoverage => {
    const criterion = criterionById(criterionId, catalog);
    if (!criterion)
      throw new TypeError(`criterion ${criterionId} is not in catalog ${catalog.release.version}`);
    const pointsOfFocusSummary = emptyMatrixCounts();
    const missing: MissingPointOfFocus[] = [];
    const pointsOfFocus = criterion.pointsOfFocus.map((p): PointOfFocusCoverage => {
      const cells = applicable
        .filter((c) => c.pointsOfFocus.includes(p.ref))
        .map(covering)
        .sort(byCode);
      const explanation = scope.pointsOfFocusNotApplicable[p.ref];
      const status: MatrixStatus = explanation ? 'not-applicable' : statusOf(cells);
      if (status === 'gap')
        missing.push({ pointOfFocusRef: p.ref, heading: p.heading, reason: 'no-control' });
      if (status === 'covered-not-implemented')
        missing.push({ pointOfFocusRef: p.ref, heading: p.heading, reason: 'not-implemented' });
      pointsOfFocusSummary[status] += 1;
      summary.pointsOfFocus[status] += 1;
      const reason = leftToOrganization.get(p.ref);
      return {
        ref: p.ref,
        heading: p.heading,
        status,
        controls: cells,
        ...(reason === undefined ? {} : { leftToOrganization: reason }),
        ...(explanation
          ? { notApplicable: { justification: explanation.justification, markedAt: explanation.markedAt } }
          : {}),
      };
    });
    const refs = new Set(criterion.pointsOfFocus.map((p) => p.ref));
    const cells = applicable
      .filter((c) => c.criteria.includes(criterionId) || c.pointsOfFocus.some((r) => refs.has(r)))
      .map(covering)
      .sort(byCode);
    const status = criterionStatus(pointsOfFocus, missing);
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
      missing,
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
