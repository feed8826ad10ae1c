import { controlById, type Control } from '@attest/catalog';
import { DomainError, type Decider } from '@attest/decider';
import { dateOf, type Actor, type Person } from './actor';
import type { CatalogVersions } from './catalog-versions';
import {
  assertValidMapping,
  CUSTOMIZABLE_FIELDS,
  definitionFromEvent,
  definitionValue,
  divergedFields,
  sameFieldValue,
  templateDefinition,
  type ControlDefinition,
  type CustomizableField,
  type DefinitionChanges,
} from './control-definition';
import type {
  ControlAdopted,
  ControlEvent,
  CustomControlAdded,
  CustomizedFields,
  EvidenceReference,
  ImplementationStatus,
} from './control-events';
import { assertTransition } from './implementation-status';

/** Where an organization's control comes from: its set and, for one adopted from the catalog, its template. */
export interface ControlOrigin {
  controlId: string;
  controlSetId: string;
  origin: 'catalog' | 'custom';
  catalogControlId?: string;
  /** The catalog version the control was adopted from. */
  adoptedFromVersion?: string;
  /** The catalog version whose template the control follows (moved by catalog upgrades that applied to it). */
  templateVersion?: string;
}

/** A control of the organization, as its stream tells it. */
export interface ExistingControl extends ControlOrigin {
  kind: 'control';
  definition: ControlDefinition;
  implementation: ImplementationStatus;
  implementedOn?: string;
  notApplicable?: { justification: string; markedAt: string };
  owner?: Person;
}

export type ControlState = { kind: 'none' } | ExistingControl;

interface CommandBase {
  controlId: string;
  /** Business time of the change (ISO 8601). */
  at: string;
  actor: Actor;
}

export type ControlCommand =
  | (CommandBase & { type: 'CustomizeControl'; changes: DefinitionChanges; reason?: string })
  | (CommandBase & { type: 'AssignControlOwner'; owner: Person })
  | (CommandBase & {
      type: 'ChangeControlImplementation';
      to: ImplementationStatus;
      implementedOn?: string;
      notes?: string;
      evidenceReferences?: EvidenceReference[];
    })
  | (CommandBase & { type: 'MarkControlNotApplicable'; justification: string; approvedBy?: Person })
  | (CommandBase & { type: 'RevokeControlNotApplicable'; reason: string })
  | (CommandBase & {
      type: 'RecordRemediationProgress';
      taskId: string;
      resolution: 'remediated' | 'compensating-control';
    });

/** The template of an adopted control in a catalog version, when that version is known and still ships it. */
export function templateIn(
  catalogs: CatalogVersions,
  catalogControlId: string,
  version: string,
): Control | undefined {
  const catalog = catalogs.get(version);
  return catalog ? controlById(catalogControlId, catalog) : undefined;
}

/** The customizable fields in which a control differs from the template it follows (all, for a custom control). */
export function customizedFieldsOf(control: ExistingControl, catalogs: CatalogVersions): CustomizableField[] {
  if (control.origin === 'custom' || !control.catalogControlId || !control.templateVersion)
    return [...CUSTOMIZABLE_FIELDS];
  const template = templateIn(catalogs, control.catalogControlId, control.templateVersion);
  return template ? divergedFields(control.definition, templateDefinition(template)) : [];
}

/** The refusal for a control the organization does not have (404). */
export function controlNotFound(controlId: string): DomainError {
  return new DomainError('control-not-found', `control ${controlId} does not exist`, { controlId });
}

function existing(state: ControlState, controlId: string): ExistingControl {
  if (state.kind === 'none') throw controlNotFound(controlId);
  return state;
}

function applicable(control: ExistingControl): ExistingControl {
  if (control.notApplicable)
    throw new DomainError(
      'control-not-applicable',
      `control ${control.definition.code} is marked not applicable`,
      {
        controlId: control.controlId,
      },
    );
  return control;
}

/**
 * The decider of one organization control (stream type `control`, stream id = controlId). Its first event
 * (`ControlAdopted` or `CustomControlAdded`) is decided by the control set, which guards membership.
 * `catalogs` gives adopted controls their template (description, divergence) and custom mappings their reference
 * criteria (the newest known catalog).
 */
export function controlDecider(
  catalogs: CatalogVersions,
): Decider<ControlCommand, ControlEvent, ControlState> {
  return {
    initialState: () => ({ kind: 'none' }),
    evolve: (state, event) => evolveControl(state, event, catalogs),
    decide: (command, state) => decideControl(command, state, catalogs),
  };
}

/**
 * What the first event of a control's stream says: its origin, its definition (an adopted control takes its
 * description from its template, or its name when the catalog version is unknown) and when it was added.
 */
export function addedControl(
  event: ControlAdopted | CustomControlAdded,
  catalogs: CatalogVersions,
): { origin: ControlOrigin; definition: ControlDefinition; addedAt: string } {
  if (event.type === 'ControlAdopted') {
    const d = event.data;
    const template = templateIn(catalogs, d.catalogControlId, d.catalogVersion);
    return {
      origin: {
        controlId: d.controlId,
        controlSetId: d.controlSetId,
        origin: 'catalog',
        catalogControlId: d.catalogControlId,
        adoptedFromVersion: d.catalogVersion,
        templateVersion: d.catalogVersion,
      },
      definition: definitionFromEvent(d, template?.description ?? d.name),
      addedAt: d.adoptedAt,
    };
  }
  const d = event.data;
  return {
    origin: { controlId: d.controlId, controlSetId: d.controlSetId, origin: 'custom' },
    definition: definitionFromEvent(d, d.description),
    addedAt: d.addedAt,
  };
}

function evolveControl(state: ControlState, event: ControlEvent, catalogs: CatalogVersions): ControlState {
  switch (event.type) {
    case 'ControlAdopted':
    case 'CustomControlAdded': {
      const { origin, definition } = addedControl(event, catalogs);
      return { kind: 'control', ...origin, definition, implementation: 'not-started' };
    }
    default:
      break;
  }
  if (state.kind === 'none') return state;
  switch (event.type) {
    case 'ControlCustomized':
      return { ...state, definition: { ...state.definition, ...event.data.changes } };
    case 'ControlOwnerRoleChanged':
      return { ...state, definition: { ...state.definition, ownerRole: event.data.ownerRole } };
    case 'ControlOwnerAssigned':
      return { ...state, owner: event.data.owner };
    case 'ControlImplementationChanged': {
      const next: ExistingControl = { ...state, implementation: event.data.to };
      if (event.data.to === 'implemented') next.implementedOn = event.data.implementedOn;
      else delete next.implementedOn;
      return next;
    }
    case 'ControlMarkedNotApplicable':
      return {
        ...state,
        notApplicable: { justification: event.data.justification, markedAt: event.data.markedAt },
      };
    case 'ControlNotApplicableRevoked': {
      const { notApplicable: _revoked, ...applies } = state;
      return applies;
    }
    case 'ControlTemplateUpgraded': {
      const template = templateIn(catalogs, event.data.catalogControlId, event.data.toVersion);
      if (!template) return { ...state, templateVersion: event.data.toVersion };
      const { code: _templateCode, ...fields } = templateDefinition(template);
      return {
        ...state,
        templateVersion: event.data.toVersion,
        definition: { ...fields, code: state.definition.code },
      };
    }
  }
}

function decideControl(
  command: ControlCommand,
  state: ControlState,
  catalogs: CatalogVersions,
): ControlEvent[] {
  const control = existing(state, command.controlId);
  const base = { controlId: control.controlId, controlSetId: control.controlSetId };
  switch (command.type) {
    case 'CustomizeControl': {
      applicable(control);
      const changed = CUSTOMIZABLE_FIELDS.filter(
        (f) =>
          command.changes[f] !== undefined && !sameFieldValue(f, command.changes[f], control.definition[f]),
      );
      if (changed.length === 0)
        throw new DomainError('nothing-to-change', 'the changes equal the control as it is', {
          controlId: control.controlId,
        });
      const after: ControlDefinition = { ...control.definition };
      for (const f of changed) {
        const value = command.changes[f];
        if (value !== undefined) (after as unknown as Record<string, unknown>)[f] = definitionValue(f, value);
      }
      if (changed.includes('criteria') || changed.includes('pointsOfFocus'))
        assertValidMapping(after.criteria, after.pointsOfFocus, catalogs.latest());
      const diverges = customizedFieldsOf({ ...control, definition: after }, catalogs).length > 0;
      const events: ControlEvent[] = [];
      const contractFields = changed.filter(
        (f): f is Exclude<CustomizableField, 'ownerRole'> => f !== 'ownerRole',
      );
      if (contractFields.length > 0) {
        const changes: CustomizedFields = {};
        const previous: CustomizedFields = {};
        for (const f of contractFields) {
          (changes as Record<string, unknown>)[f] = after[f];
          (previous as Record<string, unknown>)[f] = control.definition[f];
        }
        events.push({
          type: 'ControlCustomized',
          data: {
            ...base,
            ...(control.catalogControlId ? { catalogControlId: control.catalogControlId } : {}),
            changes,
            previous,
            divergesFromCatalog: diverges,
            ...(command.reason ? { reason: command.reason } : {}),
            customizedAt: command.at,
            actor: command.actor,
          },
        });
      }
      if (changed.includes('ownerRole'))
        events.push({
          type: 'ControlOwnerRoleChanged',
          data: {
            ...base,
            ownerRole: after.ownerRole!,
            ...(control.definition.ownerRole ? { previousOwnerRole: control.definition.ownerRole } : {}),
            ...(command.reason ? { reason: command.reason } : {}),
            changedAt: command.at,
            actor: command.actor,
          },
        });
      return events;
    }
    case 'AssignControlOwner': {
      if (control.owner?.personId === command.owner.personId)
        throw new DomainError('owner-unchanged', 'this person already owns the control', {
          personId: command.owner.personId,
        });
      return [
        {
          type: 'ControlOwnerAssigned',
          data: {
            ...base,
            owner: command.owner,
            ...(control.owner ? { previousOwner: control.owner } : {}),
            assignedAt: command.at,
            actor: command.actor,
          },
        },
      ];
    }
    case 'ChangeControlImplementation': {
      applicable(control);
      if (command.implementedOn !== undefined && command.to !== 'implemented')
        throw new DomainError(
          'implemented-on-not-allowed',
          'implementedOn is only given when the control is implemented',
        );
      assertTransition(control.implementation, command.to, command.notes);
      if (command.to === 'implemented') {
        // Someone must answer for a control that operates: an auditor asks who runs it.
        if (!control.owner)
          throw new DomainError(
            'owner-required',
            'an implemented control needs an owner; assign one first (PUT /controls/{id}/owner)',
            { controlId: control.controlId },
          );
        if (!command.implementedOn)
          throw new DomainError(
            'implemented-on-required',
            'an implemented control needs the date it started operating',
          );
        if (command.implementedOn > dateOf(command.at))
          throw new DomainError(
            'implemented-on-in-future',
            'implementedOn cannot be after the change itself',
            {
              implementedOn: command.implementedOn,
            },
          );
      }
      return [
        {
          type: 'ControlImplementationChanged',
          data: {
            ...base,
            from: control.implementation,
            to: command.to,
            ...(command.implementedOn ? { implementedOn: command.implementedOn } : {}),
            ...(command.notes ? { notes: command.notes } : {}),
            ...(command.evidenceReferences?.length ? { evidenceReferences: command.evidenceReferences } : {}),
            changedAt: command.at,
            actor: command.actor,
          },
        },
      ];
    }
    case 'MarkControlNotApplicable': {
      if (control.notApplicable)
        throw new DomainError('already-not-applicable', 'the control is already marked not applicable', {
          controlId: control.controlId,
        });
      if (!command.justification.trim())
        throw new DomainError('justification-required', 'a not-applicable control needs a justification');
      return [
        {
          type: 'ControlMarkedNotApplicable',
          data: {
            ...base,
            ...(control.catalogControlId ? { catalogControlId: control.catalogControlId } : {}),
            justification: command.justification,
            ...(command.approvedBy ? { approvedBy: command.approvedBy } : {}),
            markedAt: command.at,
            actor: command.actor,
          },
        },
      ];
    }
    case 'RevokeControlNotApplicable': {
      if (!control.notApplicable)
        throw new DomainError('control-applicable', 'the control is not marked not applicable', {
          controlId: control.controlId,
        });
      if (!command.reason.trim())
        throw new DomainError('reason-required', 'revoking a not-applicable decision needs a reason');
      return [
        {
          type: 'ControlNotApplicableRevoked',
          data: {
            ...base,
            ...(control.catalogControlId ? { catalogControlId: control.catalogControlId } : {}),
            reason: command.reason,
            revokedAt: command.at,
            actor: command.actor,
          },
        },
      ];
    }
    case 'RecordRemediationProgress': {
      // A reaction, not a request: it only ever starts work that has not started, and is a no-op otherwise.
      if (control.notApplicable || control.implementation !== 'not-started') return [];
      return [
        {
          type: 'ControlImplementationChanged',
          data: {
            ...base,
            from: 'not-started',
            to: 'in-progress',
            notes: `Remediation task ${command.taskId} was completed in readiness (${command.resolution}); implementation of this control is in progress until someone confirms it is implemented.`,
            changedAt: command.at,
            actor: command.actor,
          },
        },
      ];
    }
  }
}
