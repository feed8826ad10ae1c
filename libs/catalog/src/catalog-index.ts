import type { Catalog } from './catalog';
import type { Control } from './controls';
import type { Criterion, PointOfFocus } from './criteria';

/** Lookup tables over one catalog object, built once on first use. */
export interface CatalogIndex {
  criteria: Map<string, Criterion>;
  pointsOfFocus: Map<string, { pointOfFocus: PointOfFocus; criterion: Criterion }>;
  controls: Map<string, Control>;
  /** Controls (sorted by id) that list the criterion. */
  controlsByCriterion: Map<string, Control[]>;
  /** Controls (sorted by id) that list the point of focus. */
  controlsByPointOfFocus: Map<string, Control[]>;
  leftToOrganization: Map<string, string>;
}

const indexes = new WeakMap<Catalog, CatalogIndex>();

export function catalogIndex(catalog: Catalog): CatalogIndex {
  let index = indexes.get(catalog);
  if (!index) {
    index = buildIndex(catalog);
    indexes.set(catalog, index);
  }
  return index;
}

function buildIndex(catalog: Catalog): CatalogIndex {
  const criteria = new Map(catalog.criteria.map((c) => [c.id, c]));
  const pointsOfFocus = new Map(
    catalog.criteria.flatMap((criterion) =>
      criterion.pointsOfFocus.map((pointOfFocus) => [pointOfFocus.ref, { pointOfFocus, criterion }] as const),
    ),
  );
  const sorted = [...catalog.controls].sort((a, b) => a.id.localeCompare(b.id));
  const controlsByCriterion = new Map<string, Control[]>();
  const controlsByPointOfFocus = new Map<string, Control[]>();
  for (const control of sorted) {
    for (const id of new Set(control.criteria)) append(controlsByCriterion, id, control);
    for (const ref of new Set(control.pointsOfFocus)) append(controlsByPointOfFocus, ref, control);
  }
  return {
    criteria,
    pointsOfFocus,
    controls: new Map(catalog.controls.map((c) => [c.id, c])),
    controlsByCriterion,
    controlsByPointOfFocus,
    leftToOrganization: new Map(catalog.leftToOrganization.map((l) => [l.ref, l.reason])),
  };
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
