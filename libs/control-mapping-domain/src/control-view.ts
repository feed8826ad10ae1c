import type { Person } from './actor';
import type { CatalogVersions } from './catalog-versions';
import {
  divergedFields,
  templateDefinition,
  type ControlDefinition,
  type CustomizableField,
} from './control-definition';
import { addedControl, templateIn, type ControlOrigin } from './control-decider';
import type {
  ChangedAspect,
  ControlCatalogUpgradedData,
  ControlEvent,
  EvidenceReference,
  ImplementationStatus,
} from './control-events';

/**
 * How well a control operates, as the monitoring service last assessed it from its tests' results and the control's
 * evidence (its ControlHealthChanged events): `failing`, `at-risk`, `healthy`, or `unknown` when it never assessed
 * the control (or nothing tells). It is not in the control's own events: the API adds it when it reads a control.
 */
export type ControlHealth = 'healthy' | 'at-risk' | 'failing' | 'unknown';

export type ControlApplicability =
  | { status: 'applicable' }
  | { status: 'not-applicable'; justification: string; approvedBy?: Person; markedAt: string };

/** What a control's own events make of it: the read model of one organization control. */
export interface ControlView extends ControlOrigin, ControlDefinition {
  owner?: Person;
  implementation: {
    status: ImplementationStatus;
    implementedOn?: string;
    changedAt?: string;
    notes?: string;
    evidenceReferences?: EvidenceReference[];
  };
  applicability: ControlApplicability;
  /** Fields in which the control differs from its template (empty for one that follows it; all for custom). */
  customizedFields: CustomizableField[];
  /** A catalog upgrade changed the template of this customized control: the organization should review it. */
  pendingTemplateReview?: { fromVersion: string; toVersion: string; changedAspects: ChangedAspect[] };
  /** The catalog no longer ships the template (from this version on); the control stays as it is. */
  retiredFromCatalogIn?: string;
  createdAt: string;
  updatedAt: string;
}

/** A control as the API answers it (`GET /controls/:id`): its read model with its health. */
export type ControlWithHealth = ControlView & { health: ControlHealth };

function withCustomization(view: ControlView, catalogs: CatalogVersions): ControlView {
  if (view.origin === 'custom' || !view.catalogControlId || !view.templateVersion) return view;
  const template = templateIn(catalogs, view.catalogControlId, view.templateVersion);
  if (!template) return view;
  return { ...view, customizedFields: divergedFields(view, templateDefinition(template)) };
}

/** Folds one event of a control's stream into its read model (pure; `undefined` before the first event). */
export function evolveControlView(
  view: ControlView | undefined,
  event: ControlEvent,
  catalogs: CatalogVersions,
): ControlView | undefined {
  switch (event.type) {
    case 'ControlAdopted':
    case 'CustomControlAdded': {
      const { origin, definition, addedAt } = addedControl(event, catalogs);
      return withCustomization(
        {
          ...origin,
          ...definition,
          implementation: { status: 'not-started' },
          applicability: { status: 'applicable' },
          customizedFields: [],
          createdAt: addedAt,
          updatedAt: addedAt,
        },
        catalogs,
      );
    }
    default:
      break;
  }
  if (!view) return view;
  switch (event.type) {
    case 'ControlCustomized':
      return withCustomization(
        { ...view, ...event.data.changes, updatedAt: event.data.customizedAt },
        catalogs,
      );
    case 'ControlOwnerRoleChanged':
      return withCustomization(
        { ...view, ownerRole: event.data.ownerRole, updatedAt: event.data.changedAt },
        catalogs,
      );
    case 'ControlOwnerAssigned':
      return { ...view, owner: event.data.owner, updatedAt: event.data.assignedAt };
    case 'ControlImplementationChanged': {
      const d = event.data;
      return {
        ...view,
        implementation: {
          status: d.to,
          ...(d.implementedOn ? { implementedOn: d.implementedOn } : {}),
          changedAt: d.changedAt,
          ...(d.notes ? { notes: d.notes } : {}),
          ...(d.evidenceReferences ? { evidenceReferences: d.evidenceReferences } : {}),
        },
        updatedAt: d.changedAt,
      };
    }
    case 'ControlMarkedNotApplicable': {
      const d = event.data;
      return {
        ...view,
        applicability: {
          status: 'not-applicable',
          justification: d.justification,
          ...(d.approvedBy ? { approvedBy: d.approvedBy } : {}),
          markedAt: d.markedAt,
        },
        updatedAt: d.markedAt,
      };
    }
    case 'ControlNotApplicableRevoked':
      return { ...view, applicability: { status: 'applicable' }, updatedAt: event.data.revokedAt };
    case 'ControlTemplateUpgraded': {
      const d = event.data;
      const template = templateIn(catalogs, d.catalogControlId, d.toVersion);
      const next: ControlView = { ...view, templateVersion: d.toVersion, updatedAt: d.upgradedAt };
      delete next.pendingTemplateReview;
      if (template) {
        const { code: _code, ...fields } = templateDefinition(template);
        Object.assign(next, fields);
      }
      return withCustomization(next, catalogs);
    }
  }
}

/** What a catalog upgrade of its set means for one control's read model (review flag, retirement). */
export function applyCatalogUpgradeToView(
  view: ControlView,
  upgrade: ControlCatalogUpgradedData,
): ControlView {
  let next = view;
  const updated = upgrade.updatedControls.find((u) => u.controlId === view.controlId);
  if (updated && !updated.appliedAutomatically)
    next = {
      ...next,
      pendingTemplateReview: {
        fromVersion: upgrade.fromVersion,
        toVersion: upgrade.toVersion,
        changedAspects: updated.changedAspects,
      },
      updatedAt: upgrade.upgradedAt,
    };
  if (view.catalogControlId && upgrade.retiredCatalogControlIds.includes(view.catalogControlId))
    next = { ...next, retiredFromCatalogIn: upgrade.toVersion, updatedAt: upgrade.upgradedAt };
  return next;
}
