import { DomainError, type Decider } from '@attest/decider';
import { controlHealth, type ControlHealthInputs } from './control-health';
import { canonicalJson } from './monitoring-test-decider';
import {
  CONTROL_HEALTH_STREAM_TYPE,
  type Actor,
  type ControlHealthEvent,
  type Health,
} from './monitoring-events';

export type ControlHealthState =
  { kind: 'none' } | { kind: 'assessed'; health: Health; criteria: string[]; reasonsKey: string };

export interface AssessControlHealth {
  type: 'AssessControlHealth';
  /** The tenant's control; also the stream id (control ids are unique across tenants). */
  controlId: string;
  /** The criteria the control is mapped to, as the service knows them. */
  criteria: string[];
  inputs: ControlHealthInputs;
  at: string;
  actor: Actor;
}

function decide(command: AssessControlHealth, state: ControlHealthState): ControlHealthEvent[] {
  const { health, reasons } = controlHealth(command.inputs);
  const criteria = [...new Set(command.criteria)].sort();
  const previous = state.kind === 'none' ? null : state.health;
  // Assessing is frequent (every run of every test proving the control): only a change is news.
  if (
    state.kind === 'assessed' &&
    state.health === health &&
    state.reasonsKey === canonicalJson(reasons) &&
    canonicalJson(state.criteria) === canonicalJson(criteria)
  )
    return [];
  return [
    {
      type: 'ControlHealthChanged',
      data: {
        controlId: command.controlId,
        previous,
        health,
        criteria,
        reasons,
        changedAt: command.at,
        actor: command.actor,
      },
    },
  ];
}

function evolve(_state: ControlHealthState, event: ControlHealthEvent): ControlHealthState {
  const { health, criteria, reasons } = event.data;
  return { kind: 'assessed', health, criteria, reasonsKey: canonicalJson(reasons) };
}

/**
 * A control's health (stream `control-health`, id = controlId), assessed from its tests' results, its evidence's
 * freshness and open exceptions (control-health.ts). It records a change only: the health, its reasons, or the
 * criteria it rolls up to.
 */
export const controlHealthDecider: Decider<AssessControlHealth, ControlHealthEvent, ControlHealthState> = {
  initialState: () => ({ kind: 'none' }),
  evolve,
  decide,
};

/** A control the organization does not have (also what a read of another tenant's control answers). */
export function controlNotFound(controlId: string): DomainError {
  return new DomainError('control-not-found', `the organization has no control ${controlId}`, { controlId });
}

/** The control health aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const controlHealthAggregate = {
  streamType: CONTROL_HEALTH_STREAM_TYPE,
  decider: controlHealthDecider,
  streamIdOf: (command: AssessControlHealth) => command.controlId,
  // Only another tenant's control under the same id gets here: to this tenant, no such control.
  notFound: controlNotFound,
};
