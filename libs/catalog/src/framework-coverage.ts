import { attestCatalog, CatalogLookupError, type Catalog } from './catalog';
import { catalogIndex } from './catalog-index';
import type { FrameworkId, FrameworkMapping } from './framework-mappings';

export interface FrameworkTargetCoverage {
  id: string;
  label: string;
  /** Covered when at least one implemented control is mapped to the target. */
  status: 'covered' | 'not';
  /** The implemented controls mapped to it, by id. */
  controls: string[];
  /** Set when no library control supports the target at all: the reason the catalog gives. */
  notCoveredByLibrary?: string;
}

export interface FrameworkCoverageReport {
  framework: FrameworkMapping['framework'];
  targets: FrameworkTargetCoverage[];
  summary: { covered: number; not: number; total: number };
}

/** Which requirements of ISO 27001:2022 Annex A or NIST CSF 2.0 the implemented library controls support. */
export function frameworkCoverage(
  frameworkId: FrameworkId,
  implementedControls: Iterable<string>,
  catalog: Catalog = attestCatalog,
): FrameworkCoverageReport {
  const mapping = catalog.frameworks[frameworkId];
  if (!mapping) throw new CatalogLookupError('framework', frameworkId);
  const index = catalogIndex(catalog);
  const implemented = new Set(implementedControls);
  for (const id of implemented) {
    if (!index.controls.has(id)) throw new CatalogLookupError('control', id);
  }

  const controlsByTarget = new Map<string, Set<string>>();
  for (const { control, targets } of mapping.mappings) {
    if (!implemented.has(control)) continue;
    for (const target of targets) {
      const set = controlsByTarget.get(target) ?? new Set<string>();
      set.add(control);
      controlsByTarget.set(target, set);
    }
  }
  const reasons = new Map(mapping.notCovered.map((n) => [n.target, n.reason]));

  const targets = mapping.targets.map((t): FrameworkTargetCoverage => {
    const controls = [...(controlsByTarget.get(t.id) ?? [])].sort();
    const reason = reasons.get(t.id);
    return {
      id: t.id,
      label: t.label,
      status: controls.length > 0 ? 'covered' : 'not',
      controls,
      ...(reason === undefined ? {} : { notCoveredByLibrary: reason }),
    };
  });
  const covered = targets.filter((t) => t.status === 'covered').length;
  return {
    framework: mapping.framework,
    targets,
    summary: { covered, not: targets.length - covered, total: targets.length },
  };
}
