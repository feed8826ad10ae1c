import { controlById, type Catalog } from '@attest/catalog';
import type { GapProposalRecordedData, GapSeverity } from './readiness-gap-decider';

/** Most severe first: the order of proposals and of their gaps. */
export const SEVERITY_RANK: Readonly<Record<GapSeverity, number>> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
};

/** The order of proposedControls: highest severity first, then catalog control id. */
export function compareProposals(
  a: readonly [rank: number, catalogControlId: string],
  b: readonly [rank: number, catalogControlId: string],
): number {
  return a[0] - b[0] || a[1].localeCompare(b[1]);
}

/** A catalog control readiness proposed for one or more gaps and the organization has not adopted (yet). */
export interface ProposedControl {
  catalogControlId: string;
  /** Always `proposed`: a proposal is never adopted automatically; `POST /control-sets/:id/adopt` adopts it. */
  status: 'proposed';
  name?: string;
  domain?: string;
  frequency?: string;
  /** False when the catalog version in use does not ship the control. */
  inCatalog: boolean;
  highestSeverity: GapSeverity;
  gaps: {
    gapId: string;
    assessmentId: string;
    criterionId: string;
    pointOfFocusRef: string;
    severity: GapSeverity;
    title: string;
  }[];
}

/**
 * The controls proposed by readiness gaps, minus those already adopted: one entry per catalog control with the
 * gaps that proposed it, most severe first, then by id.
 */
export function proposedControls(
  gaps: GapProposalRecordedData[],
  adoptedCatalogControlIds: ReadonlySet<string>,
  catalog: Catalog,
): ProposedControl[] {
  const byControl = new Map<string, ProposedControl>();
  for (const gap of gaps) {
    for (const id of gap.proposedCatalogControlIds) {
      if (adoptedCatalogControlIds.has(id)) continue;
      let entry = byControl.get(id);
      if (!entry) {
        const template = controlById(id, catalog);
        entry = {
          catalogControlId: id,
          status: 'proposed',
          ...(template
            ? { name: template.name, domain: template.domain, frequency: template.frequency }
            : {}),
          inCatalog: !!template,
          highestSeverity: gap.severity,
          gaps: [],
        };
        byControl.set(id, entry);
      }
      if (entry.gaps.some((g) => g.gapId === gap.gapId)) continue;
      entry.gaps.push({
        gapId: gap.gapId,
        assessmentId: gap.assessmentId,
        criterionId: gap.criterionId,
        pointOfFocusRef: gap.pointOfFocusRef,
        severity: gap.severity,
        title: gap.title,
      });
      if (SEVERITY_RANK[gap.severity] < SEVERITY_RANK[entry.highestSeverity])
        entry.highestSeverity = gap.severity;
    }
  }
  for (const entry of byControl.values())
    entry.gaps.sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        a.pointOfFocusRef.localeCompare(b.pointOfFocusRef),
    );
  const key = (p: ProposedControl) => [SEVERITY_RANK[p.highestSeverity], p.catalogControlId] as const;
  return [...byControl.values()].sort((a, b) => compareProposals(key(a), key(b)));
}
