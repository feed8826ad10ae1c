import {
  adoptionsAffectedBy,
  compareCatalogVersions,
  diffCatalogs,
  type CatalogDiff,
  type ControlField,
} from '@attest/catalog';
import { DomainError } from '@attest/decider';
import type { CatalogVersions } from './catalog-versions';
import type { CustomizableField } from './control-definition';
import { customizedFieldsOf, type ExistingControl } from './control-decider';
import type { ChangedAspect } from './control-events';

/** How a changed catalog field is named in `control-catalog-upgraded` (fields without a name are not listed). */
const ASPECT_OF_FIELD: Partial<Record<ControlField | 'mappings', ChangedAspect>> = {
  name: 'name',
  description: 'description',
  type: 'control-type',
  nature: 'nature',
  frequency: 'frequency',
  criteria: 'criteria',
  pointsOfFocus: 'points-of-focus',
  evidence: 'evidence',
};

export interface PlannedControlUpdate {
  controlId: string;
  catalogControlId: string;
  code: string;
  /** Every template field that changed, in the catalog's terms. */
  changedFields: (ControlField | 'mappings')[];
  /** The changed fields the contract names (`changedAspects`); empty when only unnamed fields changed. */
  changedAspects: ChangedAspect[];
  /** The fields the organization customized; when any, the update is not applied but flagged for review. */
  customizedFields: CustomizableField[];
  appliedAutomatically: boolean;
}

/** What upgrading a control set to a newer catalog version would do: the diff offered before applying it. */
export interface CatalogUpgradePlan {
  controlSetId: string;
  fromVersion: string;
  toVersion: string;
  diff: CatalogDiff;
  updates: PlannedControlUpdate[];
  /** Templates new in the target version (available to adopt; never adopted automatically). */
  newCatalogControlIds: string[];
  /** Templates the target version no longer ships (all of them, adopted or not). */
  retiredCatalogControlIds: string[];
  /** The set's controls adopted from retired templates: they stay as they are. */
  retiredAdoptedControls: { controlId: string; catalogControlId: string; code: string }[];
}

/**
 * Plans an upgrade of a control set from its catalog version to `toVersion`. Customizations are kept: a control
 * that differs from its template in any customizable field is not changed, only flagged (`appliedAutomatically:
 * false`); a control that follows its template moves to the new template. Refusals: `unknown-catalog-version`,
 * `catalog-version-not-newer`.
 */
export function planCatalogUpgrade(
  set: { controlSetId: string; catalogVersion: string },
  adoptedControls: ExistingControl[],
  catalogs: CatalogVersions,
  toVersion: string,
): CatalogUpgradePlan {
  const from = catalogs.require(set.catalogVersion);
  const to = catalogs.require(toVersion);
  if (compareCatalogVersions(toVersion, set.catalogVersion) <= 0)
    throw new DomainError(
      'catalog-version-not-newer',
      `the control set is on catalog ${set.catalogVersion}; ${toVersion} is not newer`,
      { from: set.catalogVersion, to: toVersion },
    );
  const diff = diffCatalogs(from, to);
  const byCatalogId = new Map(
    adoptedControls.filter((c) => c.catalogControlId).map((c) => [c.catalogControlId!, c]),
  );
  const affected = adoptionsAffectedBy(
    diff,
    [...byCatalogId.values()].map((c) => ({
      controlId: c.catalogControlId!,
      catalogVersion: c.templateVersion ?? set.catalogVersion,
      adoptedAt: '',
    })),
  );
  const updates: PlannedControlUpdate[] = affected
    .filter((a) => a.change === 'changed')
    .map((a) => {
      const control = byCatalogId.get(a.controlId)!;
      const customizedFields = customizedFieldsOf(control, catalogs);
      const changedAspects = [
        ...new Set(
          a.fields.map((f) => ASPECT_OF_FIELD[f]).filter((x): x is ChangedAspect => x !== undefined),
        ),
      ];
      return {
        controlId: control.controlId,
        catalogControlId: a.controlId,
        code: control.definition.code,
        changedFields: a.fields,
        changedAspects,
        customizedFields,
        appliedAutomatically: customizedFields.length === 0,
      };
    })
    .sort((x, y) => x.catalogControlId.localeCompare(y.catalogControlId));
  const retired = new Set(diff.removedControls);
  return {
    controlSetId: set.controlSetId,
    fromVersion: set.catalogVersion,
    toVersion,
    diff,
    updates,
    newCatalogControlIds: diff.addedControls,
    retiredCatalogControlIds: diff.removedControls,
    retiredAdoptedControls: [...byCatalogId.values()]
      .filter((c) => retired.has(c.catalogControlId!))
      .map((c) => ({
        controlId: c.controlId,
        catalogControlId: c.catalogControlId!,
        code: c.definition.code,
      }))
      .sort((x, y) => x.catalogControlId.localeCompare(y.catalogControlId)),
  };
}
