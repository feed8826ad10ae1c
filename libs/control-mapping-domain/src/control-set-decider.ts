import { controlById, isCategoryId, pointOfFocusByRef, scopeFor, type CategoryId } from '@attest/catalog';
import { DomainError, type Decider } from '@attest/decider';
import type { Actor } from './actor';
import type { CatalogVersions } from './catalog-versions';
import { planCatalogUpgrade } from './catalog-upgrade';
import { assertValidMapping, definitionFromEvent, type ControlDefinition } from './control-definition';
import type { ExistingControl } from './control-decider';
import type { ControlAdopted, ControlSetEvent, ControlTemplateUpgraded } from './control-events';
import { adoptedControlIdFor } from './ids';

export interface ControlSetMember {
  code: string;
  catalogControlId?: string;
}

/** Why a point of focus of the scope does not apply to the organization's system. */
export interface PointOfFocusExplanation {
  criterionId: string;
  justification: string;
  markedAt: string;
}

export interface ActiveControlSet {
  kind: 'control-set';
  controlSetId: string;
  name: string;
  categories: CategoryId[];
  criteria: string[];
  catalogVersion: string;
  /** Members by controlId. */
  members: Record<string, ControlSetMember>;
  /** Points of focus explained as not applicable, by ref. */
  pointsOfFocusNotApplicable: Record<string, PointOfFocusExplanation>;
}

export type ControlSetState = { kind: 'none' } | ActiveControlSet;

export type AdoptionSelection = { mode: 'scope' } | { mode: 'picked'; catalogControlIds: string[] };

interface CommandBase {
  controlSetId: string;
  at: string;
  actor: Actor;
}

export type ControlSetCommand =
  | (CommandBase & { type: 'CreateControlSet'; name?: string; categories: string[]; catalogVersion: string })
  | (CommandBase & { type: 'AdoptControls'; selection: AdoptionSelection })
  | (CommandBase & ControlDefinition & { type: 'AddCustomControl'; controlId: string })
  | (CommandBase & { type: 'MarkPointOfFocusNotApplicable'; pointOfFocusRef: string; justification: string })
  | (CommandBase & { type: 'RevokePointOfFocusNotApplicable'; pointOfFocusRef: string })
  | (CommandBase & {
      type: 'UpgradeCatalog';
      toVersion: string;
      /** The current state of every control of the set adopted from the catalog (loaded from their streams). */
      controls: ExistingControl[];
    });

export const DEFAULT_CONTROL_SET_NAME = 'SOC 2 control set';

/** The catalog control id each adopted member came from, mapped to the member's controlId. */
export function adoptedCatalogControls(set: ActiveControlSet): Map<string, string> {
  const map = new Map<string, string>();
  for (const [controlId, m] of Object.entries(set.members))
    if (m.catalogControlId) map.set(m.catalogControlId, controlId);
  return map;
}

/** The refusal for a control set the organization does not have (404). */
export function controlSetNotFound(controlSetId: string): DomainError {
  return new DomainError('control-set-not-found', `control set ${controlSetId} does not exist`, {
    controlSetId,
  });
}

function active(state: ControlSetState, controlSetId: string): ActiveControlSet {
  if (state.kind === 'none') throw controlSetNotFound(controlSetId);
  return state;
}

/** The criterion of a point of focus of the set's scope, in the set's catalog version. */
function criterionInScope(set: ActiveControlSet, ref: string, catalogs: CatalogVersions): string {
  const found = pointOfFocusByRef(ref, catalogs.require(set.catalogVersion));
  if (!found)
    throw new DomainError(
      'unknown-point-of-focus',
      `catalog ${set.catalogVersion} has no point of focus ${ref}`,
      {
        pointOfFocusRef: ref,
      },
    );
  if (!set.criteria.includes(found.criterion.id))
    throw new DomainError(
      'point-of-focus-out-of-scope',
      `${ref} belongs to ${found.criterion.id}, which is not in the control set's scope`,
      { pointOfFocusRef: ref, criterionId: found.criterion.id },
    );
  return found.criterion.id;
}

/**
 * The decider of an organization's control set (stream type `control-set`). It guards membership: which catalog
 * templates are adopted (each once) and which codes are taken. Adopting or adding a control decides the control's
 * first event too (`ControlAdopted`, `CustomControlAdded`), and an upgrade decides `ControlTemplateUpgraded` for the
 * controls that follow their template: the service writes all of them in one transaction (`streamOfEvent`).
 */
export function controlSetDecider(
  catalogs: CatalogVersions,
): Decider<ControlSetCommand, ControlSetEvent, ControlSetState> {
  return {
    initialState: () => ({ kind: 'none' }),
    evolve: (state, event) => {
      switch (event.type) {
        case 'ControlSetCreated':
          return {
            kind: 'control-set',
            controlSetId: event.data.controlSetId,
            name: event.data.name,
            categories: [...event.data.categories],
            criteria: [...event.data.criteria],
            catalogVersion: event.data.catalogVersion,
            members: {},
            pointsOfFocusNotApplicable: {},
          };
        case 'ControlsJoinedSet': {
          if (state.kind === 'none') return state;
          const members = { ...state.members };
          for (const c of event.data.controls)
            members[c.controlId] = {
              code: c.code,
              ...(c.catalogControlId ? { catalogControlId: c.catalogControlId } : {}),
            };
          return { ...state, members };
        }
        case 'ControlCatalogUpgraded':
          return state.kind === 'none' ? state : { ...state, catalogVersion: event.data.toVersion };
        case 'PointOfFocusMarkedNotApplicable': {
          if (state.kind === 'none') return state;
          const { pointOfFocusRef, criterionId, justification, markedAt } = event.data;
          return {
            ...state,
            pointsOfFocusNotApplicable: {
              ...state.pointsOfFocusNotApplicable,
              [pointOfFocusRef]: { criterionId, justification, markedAt },
            },
          };
        }
        case 'PointOfFocusNotApplicableRevoked': {
          if (state.kind === 'none') return state;
          const { [event.data.pointOfFocusRef]: _revoked, ...rest } = state.pointsOfFocusNotApplicable;
          return { ...state, pointsOfFocusNotApplicable: rest };
        }
        default:
          return state; // events of the controls' own streams
      }
    },
    decide: (command, state) => {
      switch (command.type) {
        case 'CreateControlSet': {
          if (state.kind !== 'none')
            throw new DomainError('control-set-exists', 'the organization already has a control set', {
              controlSetId: state.controlSetId,
            });
          const catalog = catalogs.require(command.catalogVersion);
          const unknown = command.categories.filter((c) => !isCategoryId(c));
          if (unknown.length > 0)
            throw new DomainError('unknown-category', `unknown categories: ${unknown.join(', ')}`, {
              categories: unknown,
            });
          const scope = scopeFor(command.categories, catalog);
          return [
            {
              type: 'ControlSetCreated',
              data: {
                controlSetId: command.controlSetId,
                name: command.name ?? DEFAULT_CONTROL_SET_NAME,
                categories: scope.categories,
                criteria: scope.criteria,
                catalogVersion: command.catalogVersion,
                createdAt: command.at,
                actor: command.actor,
              },
            },
          ];
        }
        case 'AdoptControls': {
          const set = active(state, command.controlSetId);
          const catalog = catalogs.require(set.catalogVersion);
          const inScope = new Set(set.criteria);
          const adopted = adoptedCatalogControls(set);
          let ids: string[];
          if (command.selection.mode === 'scope') {
            ids = catalog.controls
              .filter((c) => c.criteria.some((k) => inScope.has(k)) && !adopted.has(c.id))
              .map((c) => c.id);
            if (ids.length === 0)
              throw new DomainError(
                'nothing-to-adopt',
                'every catalog control for the scope is already adopted',
              );
          } else {
            ids = [...new Set(command.selection.catalogControlIds)];
            if (ids.length === 0) throw new DomainError('nothing-to-adopt', 'no catalog control was picked');
            const unknown = ids.filter((id) => !controlById(id, catalog));
            if (unknown.length > 0)
              throw new DomainError(
                'unknown-catalog-control',
                `catalog ${set.catalogVersion} has no control ${unknown.join(', ')}`,
                { catalogControlIds: unknown, catalogVersion: set.catalogVersion },
              );
            const twice = ids.filter((id) => adopted.has(id));
            if (twice.length > 0)
              throw new DomainError('already-adopted', `already adopted: ${twice.join(', ')}`, {
                catalogControlIds: twice,
                controlIds: twice.map((id) => adopted.get(id)),
              });
            const outside = ids.filter(
              (id) => !controlById(id, catalog)!.criteria.some((k) => inScope.has(k)),
            );
            if (outside.length > 0)
              throw new DomainError(
                'control-out-of-scope',
                `${outside.join(', ')} map to no criterion of the set's scope`,
                { catalogControlIds: outside },
              );
          }
          ids.sort();
          const adoptions: ControlAdopted[] = ids.map((id) => {
            const template = controlById(id, catalog)!;
            return {
              type: 'ControlAdopted',
              data: {
                controlId: adoptedControlIdFor(set.controlSetId, id),
                controlSetId: set.controlSetId,
                catalogControlId: id,
                catalogVersion: set.catalogVersion,
                code: id,
                name: template.name,
                controlType: template.type,
                nature: template.nature,
                frequency: template.frequency,
                criteria: [...template.criteria],
                pointsOfFocus: [...template.pointsOfFocus],
                ownerRole: template.ownerRole,
                adoptedAt: command.at,
                actor: command.actor,
              },
            };
          });
          return [
            {
              type: 'ControlsJoinedSet',
              data: {
                controlSetId: set.controlSetId,
                controls: adoptions.map((a) => ({
                  controlId: a.data.controlId,
                  code: a.data.code,
                  catalogControlId: a.data.catalogControlId,
                })),
                joinedAt: command.at,
                actor: command.actor,
              },
            },
            ...adoptions,
          ];
        }
        case 'AddCustomControl': {
          const set = active(state, command.controlSetId);
          const catalog = catalogs.require(set.catalogVersion);
          if (Object.hasOwn(set.members, command.controlId))
            throw new DomainError('control-id-taken', `control ${command.controlId} is already in the set`, {
              controlId: command.controlId,
            });
          const code = command.code;
          if (Object.values(set.members).some((m) => m.code.toUpperCase() === code.toUpperCase()))
            throw new DomainError('code-taken', `code ${code} is already used in the set`, { code });
          if (catalogs.versions().some((v) => controlById(code.toUpperCase(), catalogs.get(v)!)))
            throw new DomainError(
              'code-reserved-by-catalog',
              `code ${code} is a catalog control id; custom controls need codes of their own`,
              { code },
            );
          assertValidMapping(command.criteria, command.pointsOfFocus, catalog);
          return [
            {
              type: 'ControlsJoinedSet',
              data: {
                controlSetId: set.controlSetId,
                controls: [{ controlId: command.controlId, code }],
                joinedAt: command.at,
                actor: command.actor,
              },
            },
            {
              type: 'CustomControlAdded',
              data: {
                controlId: command.controlId,
                controlSetId: set.controlSetId,
                ...definitionFromEvent(command, command.description),
                addedAt: command.at,
                actor: command.actor,
              },
            },
          ];
        }
        case 'MarkPointOfFocusNotApplicable': {
          const set = active(state, command.controlSetId);
          const criterionId = criterionInScope(set, command.pointOfFocusRef, catalogs);
          if (!command.justification.trim())
            throw new DomainError(
              'justification-required',
              'a not-applicable point of focus needs a justification',
            );
          // Setting the explanation it already has changes nothing (a repeated PUT).
          if (
            set.pointsOfFocusNotApplicable[command.pointOfFocusRef]?.justification === command.justification
          )
            return [];
          return [
            {
              type: 'PointOfFocusMarkedNotApplicable',
              data: {
                controlSetId: set.controlSetId,
                pointOfFocusRef: command.pointOfFocusRef,
                criterionId,
                justification: command.justification,
                markedAt: command.at,
                actor: command.actor,
              },
            },
          ];
        }
        case 'RevokePointOfFocusNotApplicable': {
          const set = active(state, command.controlSetId);
          const explained = set.pointsOfFocusNotApplicable[command.pointOfFocusRef];
          if (!explained)
            throw new DomainError(
              'point-of-focus-applicable',
              `${command.pointOfFocusRef} is not explained as not applicable`,
              { pointOfFocusRef: command.pointOfFocusRef },
            );
          return [
            {
              type: 'PointOfFocusNotApplicableRevoked',
              data: {
                controlSetId: set.controlSetId,
                pointOfFocusRef: command.pointOfFocusRef,
                criterionId: explained.criterionId,
                revokedAt: command.at,
                actor: command.actor,
              },
            },
          ];
        }
        case 'UpgradeCatalog': {
          const set = active(state, command.controlSetId);
          const adopted = adoptedCatalogControls(set);
          const given = new Map(command.controls.map((c) => [c.controlId, c]));
          const missing = [...adopted.values()].filter((id) => !given.has(id));
          if (missing.length > 0)
            throw new TypeError(
              `UpgradeCatalog needs the state of every adopted control; missing ${missing.join(', ')}`,
            );
          const plan = planCatalogUpgrade(
            set,
            [...adopted.values()].map((id) => given.get(id)!),
            catalogs,
            command.toVersion,
          );
          const templateUpgrades: ControlTemplateUpgraded[] = plan.updates
            .filter((u) => u.appliedAutomatically)
            .map((u) => ({
              type: 'ControlTemplateUpgraded',
              data: {
                controlId: u.controlId,
                controlSetId: set.controlSetId,
                catalogControlId: u.catalogControlId,
                fromVersion: given.get(u.controlId)!.templateVersion ?? set.catalogVersion,
                toVersion: plan.toVersion,
                upgradedAt: command.at,
                actor: command.actor,
              },
            }));
          return [
            {
              type: 'ControlCatalogUpgraded',
              data: {
                controlSetId: set.controlSetId,
                fromVersion: plan.fromVersion,
                toVersion: plan.toVersion,
                updatedControls: plan.updates
                  .filter((u) => u.changedAspects.length > 0)
                  .map((u) => ({
                    controlId: u.controlId,
                    catalogControlId: u.catalogControlId,
                    changedAspects: u.changedAspects,
                    appliedAutomatically: u.appliedAutomatically,
                  })),
                newCatalogControlIds: plan.newCatalogControlIds,
                retiredCatalogControlIds: plan.retiredCatalogControlIds,
                upgradedAt: command.at,
                actor: command.actor,
              },
            },
            ...templateUpgrades,
          ];
        }
      }
    },
  };
}
