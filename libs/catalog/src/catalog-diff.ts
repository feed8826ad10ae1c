import canonicalize from 'canonicalize';
import type { Catalog } from './catalog';
import { compareCatalogVersions, type AdoptedControl } from './catalog-version';
import type { Control } from './controls';
import { FRAMEWORK_IDS, type FrameworkId } from './framework-mappings';

export interface SetChange {
  added: string[];
  removed: string[];
}

/** The fields of a control that can change between versions; `id` is stable by definition. */
export type ControlField = Exclude<keyof Control, 'id'>;

const CONTROL_FIELDS: readonly ControlField[] = [
  'name',
  'domain',
  'description',
  'type',
  'nature',
  'frequency',
  'ownerRole',
  'evidence',
  'criteria',
  'pointsOfFocus',
  'automatedTests',
];
/** Fields compared as sets: their order carries no meaning. */
const SET_FIELDS: ReadonlySet<ControlField> = new Set(['criteria', 'pointsOfFocus', 'automatedTests']);

export interface ControlChange {
  id: string;
  fields: ControlField[];
}

/** How the mappings of a control present in both versions changed. */
export interface MappingChange {
  control: string;
  criteria: SetChange;
  pointsOfFocus: SetChange;
  frameworks: Partial<Record<FrameworkId, SetChange>>;
}

export interface CatalogDiff {
  from: string;
  to: string;
  addedControls: string[];
  removedControls: string[];
  changedControls: ControlChange[];
  changedMappings: MappingChange[];
  leftToOrganization: SetChange & { reasonChanged: string[] };
}

/** What changed from one catalog version to another, control by control. */
export function diffCatalogs(from: Catalog, to: Catalog): CatalogDiff {
  const before = new Map(from.controls.map((c) => [c.id, c]));
  const after = new Map(to.controls.map((c) => [c.id, c]));
  const targetsBefore = targetsByControl(from);
  const targetsAfter = targetsByControl(to);

  const changedControls: ControlChange[] = [];
  const changedMappings: MappingChange[] = [];
  for (const id of sortedIds(after.keys())) {
    const old = before.get(id);
    const now = after.get(id);
    if (!old || !now) continue;
    const fields = CONTROL_FIELDS.filter((field) => !sameField(field, old[field], now[field]));
    if (fields.length > 0) changedControls.push({ id, fields });

    const frameworks: Partial<Record<FrameworkId, SetChange>> = {};
    for (const framework of FRAMEWORK_IDS) {
      const change = setChange(targetsBefore[framework].get(id) ?? [], targetsAfter[framework].get(id) ?? []);
      if (!isEmpty(change)) frameworks[framework] = change;
    }
    const criteria = setChange(old.criteria, now.criteria);
    const pointsOfFocus = setChange(old.pointsOfFocus, now.pointsOfFocus);
    if (!isEmpty(criteria) || !isEmpty(pointsOfFocus) || Object.keys(frameworks).length > 0) {
      changedMappings.push({ control: id, criteria, pointsOfFocus, frameworks });
    }
  }

  const reasonsBefore = new Map(from.leftToOrganization.map((l) => [l.ref, l.reason]));
  const reasonsAfter = new Map(to.leftToOrganization.map((l) => [l.ref, l.reason]));
  return {
    from: from.release.version,
    to: to.release.version,
    addedControls: sortedIds(after.keys()).filter((id) => !before.has(id)),
    removedControls: sortedIds(before.keys()).filter((id) => !after.has(id)),
    changedControls,
    changedMappings,
    leftToOrganization: {
      ...setChange([...reasonsBefore.keys()], [...reasonsAfter.keys()]),
      reasonChanged: sortedIds(reasonsAfter.keys()).filter(
        (ref) => reasonsBefore.has(ref) && reasonsBefore.get(ref) !== reasonsAfter.get(ref),
      ),
    },
  };
}

export type VersionBump = 'major' | 'minor' | 'patch' | 'none';

/** Fields whose change alters what an organization has to do to operate the control. */
const OPERATING_FIELDS: ReadonlySet<ControlField> = new Set([
  'domain',
  'type',
  'nature',
  'frequency',
  'ownerRole',
  'evidence',
  'automatedTests',
]);

/**
 * The smallest version increment a diff requires (see libs/catalog/README.md, "Versioning"):
 * major when anything is removed (a control, or a mapping of a control to a criterion, point of focus or framework
 * target); minor when something is added or a control's operating fields change (domain, type, nature, frequency,
 * owner, evidence, automated tests) or the points left to the organization change; patch for wording only.
 */
export function requiredVersionBump(diff: CatalogDiff): VersionBump {
  const removedMapping = diff.changedMappings.some(
    (m) =>
      m.criteria.removed.length > 0 ||
      m.pointsOfFocus.removed.length > 0 ||
      Object.values(m.frameworks).some((f) => f.removed.length > 0),
  );
  if (diff.removedControls.length > 0 || removedMapping) return 'major';
  const operatingChange = diff.changedControls.some((c) => c.fields.some((f) => OPERATING_FIELDS.has(f)));
  if (
    diff.addedControls.length > 0 ||
    diff.changedMappings.length > 0 ||
    operatingChange ||
    diff.leftToOrganization.added.length > 0 ||
    diff.leftToOrganization.removed.length > 0
  ) {
    return 'minor';
  }
  if (diff.changedControls.length > 0 || diff.leftToOrganization.reasonChanged.length > 0) return 'patch';
  return 'none';
}

/** The increment between two version strings: which part went up first, or none when not newer. */
export function versionBumpBetween(from: string, to: string): VersionBump {
  if (compareCatalogVersions(to, from) <= 0) return 'none';
  const [a, b] = [from, to].map((v) => v.split('.').map(Number));
  if (b[0] !== a[0]) return 'major';
  if (b[1] !== a[1]) return 'minor';
  return 'patch';
}

const BUMP_RANK: Record<VersionBump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** Problems with the version numbers of a diff: empty when `to` is newer by at least the required increment. */
export function versioningProblems(diff: CatalogDiff): string[] {
  const required = requiredVersionBump(diff);
  if (required === 'none') return [];
  const actual = versionBumpBetween(diff.from, diff.to);
  return BUMP_RANK[actual] >= BUMP_RANK[required]
    ? []
    : [`${diff.from} → ${diff.to} is a ${actual} increment, but the changes need a ${required} one`];
}

export interface AdoptionUpdate {
  controlId: string;
  change: 'removed' | 'changed';
  /** Changed fields, plus 'mappings' when only its criteria or framework mappings changed. */
  fields: (ControlField | 'mappings')[];
}

/** The adopted controls, taken from the diff's older version or before, that the newer version removes or changes. */
export function adoptionsAffectedBy(diff: CatalogDiff, adopted: AdoptedControl[]): AdoptionUpdate[] {
  const removed = new Set(diff.removedControls);
  const changed = new Map(diff.changedControls.map((c) => [c.id, c.fields]));
  const remapped = new Set(diff.changedMappings.map((m) => m.control));
  return adopted
    .filter((a) => compareCatalogVersions(a.catalogVersion, diff.from) <= 0)
    .flatMap((a): AdoptionUpdate[] => {
      if (removed.has(a.controlId)) return [{ controlId: a.controlId, change: 'removed', fields: [] }];
      const fields: AdoptionUpdate['fields'] = [...(changed.get(a.controlId) ?? [])];
      if (remapped.has(a.controlId) && fields.length === 0) fields.push('mappings');
      return fields.length > 0 ? [{ controlId: a.controlId, change: 'changed', fields }] : [];
    });
}

function targetsByControl(catalog: Catalog): Record<FrameworkId, Map<string, string[]>> {
  const result = {} as Record<FrameworkId, Map<string, string[]>>;
  for (const framework of FRAMEWORK_IDS) {
    result[framework] = new Map(
      (catalog.frameworks[framework]?.mappings ?? []).map((m) => [m.control, m.targets]),
    );
  }
  return result;
}

function sameField(field: ControlField, a: unknown, b: unknown): boolean {
  if (SET_FIELDS.has(field)) {
    const change = setChange(a as string[], b as string[]);
    return isEmpty(change);
  }
  return canonicalize(a) === canonicalize(b);
}

function setChange(before: readonly string[], after: readonly string[]): SetChange {
  const a = new Set(before);
  const b = new Set(after);
  return {
    added: sortedIds(b).filter((x) => !a.has(x)),
    removed: sortedIds(a).filter((x) => !b.has(x)),
  };
}

function isEmpty(change: SetChange): boolean {
  return change.added.length === 0 && change.removed.length === 0;
}

function sortedIds(ids: Iterable<string>): string[] {
  return [...ids].sort();
}
