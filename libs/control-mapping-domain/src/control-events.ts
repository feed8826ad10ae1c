import type { CategoryId } from '@attest/catalog';
import type { Actor, Person } from './actor';
import type { ControlDefinition } from './control-definition';

/**
 * Events of the organization's controls and control set. Public events (those with a contract in
 * libs/event-contracts/schemas/control-mapping) carry exactly the contract's payload; internal events stay in the
 * service's store (the outbox route leaves them out) and exist only where the contracts have no place for a fact
 * the service must keep.
 */

export type ImplementationStatus = 'not-started' | 'in-progress' | 'implemented';

export interface EvidenceReference {
  kind: 'evidence-item' | 'document' | 'link' | 'ticket';
  title: string;
  evidenceId?: string;
  uri?: string;
}

// ---- public (contract) payloads ----

/** The definition of the adopted control; the contract has no description (the template carries it). */
export interface ControlAdoptedData extends Omit<ControlDefinition, 'description'> {
  controlId: string;
  controlSetId: string;
  catalogControlId: string;
  catalogVersion: string;
  adoptedAt: string;
  actor: Actor;
}

export interface CustomControlAddedData extends ControlDefinition {
  controlId: string;
  controlSetId: string;
  addedAt: string;
  actor: Actor;
}

/** The fields `control-customized` can carry (the contract has no owner role: see ControlOwnerRoleChanged). */
export type CustomizedFields = Partial<Omit<ControlDefinition, 'code' | 'ownerRole'>>;

export interface ControlCustomizedData {
  controlId: string;
  controlSetId: string;
  catalogControlId?: string;
  changes: CustomizedFields;
  previous: CustomizedFields;
  divergesFromCatalog?: boolean;
  reason?: string;
  customizedAt: string;
  actor: Actor;
}

export interface ControlOwnerAssignedData {
  controlId: string;
  controlSetId: string;
  owner: Person;
  previousOwner?: Person;
  assignedAt: string;
  actor: Actor;
}

export interface ControlImplementationChangedData {
  controlId: string;
  controlSetId: string;
  from: ImplementationStatus;
  to: ImplementationStatus;
  implementedOn?: string;
  notes?: string;
  evidenceReferences?: EvidenceReference[];
  changedAt: string;
  actor: Actor;
}

export interface ControlMarkedNotApplicableData {
  controlId: string;
  controlSetId: string;
  catalogControlId?: string;
  justification: string;
  approvedBy?: Person;
  markedAt: string;
  actor: Actor;
}

/** Control stream: a control marked not applicable applies again, and covers what it maps to from now on. */
export interface ControlNotApplicableRevokedData {
  controlId: string;
  controlSetId: string;
  catalogControlId?: string;
  /** Why the control applies after all (auditors read it next to the justification it revokes). */
  reason: string;
  revokedAt: string;
  actor: Actor;
}

export type ChangedAspect =
  | 'name'
  | 'description'
  | 'control-type'
  | 'nature'
  | 'frequency'
  | 'criteria'
  | 'points-of-focus'
  | 'evidence';

export interface UpdatedControl {
  controlId: string;
  catalogControlId: string;
  changedAspects: ChangedAspect[];
  appliedAutomatically: boolean;
}

export interface ControlCatalogUpgradedData {
  controlSetId: string;
  fromVersion: string;
  toVersion: string;
  updatedControls: UpdatedControl[];
  newCatalogControlIds: string[];
  retiredCatalogControlIds: string[];
  upgradedAt: string;
  actor: Actor;
}

// ---- payloads without a readiness-era contract (published since the chain covers every event) ----

/** Control-set stream: the organization's control set was created for a scope and catalog version. */
export interface ControlSetCreatedData {
  controlSetId: string;
  name: string;
  categories: CategoryId[];
  /** The criteria of the scope, in catalog order. */
  criteria: string[];
  catalogVersion: string;
  createdAt: string;
  actor: Actor;
}

/** Control-set stream: controls became members of the set; written with their first event. */
export interface ControlsJoinedSetData {
  controlSetId: string;
  controls: { controlId: string; code: string; catalogControlId?: string }[];
  joinedAt: string;
  /** Absent in events recorded before the type was published. */
  actor?: Actor;
}

/**
 * Control-set stream: the organization explains why a point of focus of its scope does not apply to its system, so
 * that no control needs to cover it (the coverage matrix counts it as explained). Marking it again with another
 * justification replaces the explanation.
 */
export interface PointOfFocusMarkedNotApplicableData {
  controlSetId: string;
  pointOfFocusRef: string;
  /** The criterion the point of focus belongs to. */
  criterionId: string;
  justification: string;
  markedAt: string;
  actor: Actor;
}

/** Control-set stream: the explanation was withdrawn; the point of focus needs a covering control again. */
export interface PointOfFocusNotApplicableRevokedData {
  controlSetId: string;
  pointOfFocusRef: string;
  criterionId: string;
  revokedAt: string;
  actor: Actor;
}

/** Control stream: the owner role changed; `control-customized` has no field for it. */
export interface ControlOwnerRoleChangedData {
  controlId: string;
  controlSetId: string;
  ownerRole: string;
  previousOwnerRole?: string;
  reason?: string;
  changedAt: string;
  actor: Actor;
}

/**
 * Control stream: a catalog upgrade moved an uncustomized control to its template in the new version
 * (the public fact is `ControlCatalogUpgraded` on the control set's stream).
 */
export interface ControlTemplateUpgradedData {
  controlId: string;
  controlSetId: string;
  catalogControlId: string;
  fromVersion: string;
  toVersion: string;
  upgradedAt: string;
  actor: Actor;
}

type Ev<T extends string, D> = { type: T; data: D };

export type ControlAdopted = Ev<'ControlAdopted', ControlAdoptedData>;
export type CustomControlAdded = Ev<'CustomControlAdded', CustomControlAddedData>;
export type ControlCustomized = Ev<'ControlCustomized', ControlCustomizedData>;
export type ControlOwnerAssigned = Ev<'ControlOwnerAssigned', ControlOwnerAssignedData>;
export type ControlImplementationChanged = Ev<
  'ControlImplementationChanged',
  ControlImplementationChangedData
>;
export type ControlMarkedNotApplicable = Ev<'ControlMarkedNotApplicable', ControlMarkedNotApplicableData>;
export type ControlNotApplicableRevoked = Ev<'ControlNotApplicableRevoked', ControlNotApplicableRevokedData>;
export type PointOfFocusMarkedNotApplicable = Ev<
  'PointOfFocusMarkedNotApplicable',
  PointOfFocusMarkedNotApplicableData
>;
export type PointOfFocusNotApplicableRevoked = Ev<
  'PointOfFocusNotApplicableRevoked',
  PointOfFocusNotApplicableRevokedData
>;
export type ControlCatalogUpgraded = Ev<'ControlCatalogUpgraded', ControlCatalogUpgradedData>;
export type ControlSetCreated = Ev<'ControlSetCreated', ControlSetCreatedData>;
export type ControlsJoinedSet = Ev<'ControlsJoinedSet', ControlsJoinedSetData>;
export type ControlOwnerRoleChanged = Ev<'ControlOwnerRoleChanged', ControlOwnerRoleChangedData>;
export type ControlTemplateUpgraded = Ev<'ControlTemplateUpgraded', ControlTemplateUpgradedData>;

/** Events of a control's stream (stream type `control`, stream id = controlId). */
export type ControlEvent =
  | ControlAdopted
  | CustomControlAdded
  | ControlCustomized
  | ControlOwnerAssigned
  | ControlImplementationChanged
  | ControlMarkedNotApplicable
  | ControlNotApplicableRevoked
  | ControlOwnerRoleChanged
  | ControlTemplateUpgraded;

/** Events of the control set's stream (stream type `control-set`, stream id = controlSetId). */
export type ControlSetStreamEvent =
  | ControlSetCreated
  | ControlsJoinedSet
  | ControlCatalogUpgraded
  | PointOfFocusMarkedNotApplicable
  | PointOfFocusNotApplicableRevoked;

/**
 * What the control-set decider decides: events of its own stream, plus the first events of new controls and the
 * template upgrades of existing ones, which are written atomically with it (see `streamOfEvent`).
 */
export type ControlSetEvent =
  ControlSetStreamEvent | ControlAdopted | CustomControlAdded | ControlTemplateUpgraded;

export const CONTROL_STREAM_TYPE = 'control';
export const CONTROL_SET_STREAM_TYPE = 'control-set';

const CONTROL_SET_STREAM_EVENTS: ReadonlySet<string> = new Set([
  'ControlSetCreated',
  'ControlsJoinedSet',
  'ControlCatalogUpgraded',
  'PointOfFocusMarkedNotApplicable',
  'PointOfFocusNotApplicableRevoked',
]);

/** The stream an event belongs to: the control set's for set events, the control's for everything else. */
export function streamOfEvent(event: ControlSetEvent | ControlEvent): {
  streamId: string;
  streamType: string;
} {
  if (CONTROL_SET_STREAM_EVENTS.has(event.type))
    return { streamId: event.data.controlSetId, streamType: CONTROL_SET_STREAM_TYPE };
  return { streamId: (event.data as { controlId: string }).controlId, streamType: CONTROL_STREAM_TYPE };
}

/** Event types that were internal before every event was published (their contracts came later). */
export const INTERNAL_CONTROL_EVENT_TYPES = [
  'ControlSetCreated',
  'ControlsJoinedSet',
  'ControlOwnerRoleChanged',
  'ControlTemplateUpgraded',
] as const;
