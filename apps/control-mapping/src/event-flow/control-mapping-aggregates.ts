import { Inject, Injectable } from '@nestjs/common';
import type { AggregateDeclaration } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import {
  adoptedCatalogControls,
  CONTROL_SET_STREAM_TYPE,
  CONTROL_STREAM_TYPE,
  controlDecider,
  controlNotFound,
  controlSetDecider,
  controlSetIdFor,
  controlSetNotFound,
  POLICY_STREAM_TYPE,
  policyDecider,
  policyNotFound,
  READINESS_GAP_STREAM_TYPE,
  readinessGapDecider,
  readinessGapStreamIdFor,
  streamOfEvent,
  type ActiveControlSet,
  type ControlCommand,
  type ControlEvent,
  type ControlSetCommand,
  type ControlSetEvent,
  type ControlSetState,
  type ControlState,
  type ExistingControl,
  type PolicyCommand,
  type PolicyEvent,
  type PolicyState,
  type ReadinessGapCommand,
  type ReadinessGapEvent,
  type ReadinessGapState,
} from '@attest/control-mapping-domain';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';

export type ControlSetAggregate = AggregateDeclaration<ControlSetCommand, ControlSetEvent, ControlSetState>;
export type ControlAggregate = AggregateDeclaration<ControlCommand, ControlEvent, ControlState>;
export type PolicyAggregate = AggregateDeclaration<PolicyCommand, PolicyEvent, PolicyState>;
export type ReadinessGapAggregate = AggregateDeclaration<
  ReadinessGapCommand,
  ReadinessGapEvent,
  ReadinessGapState
>;

/**
 * The path's control set id must be the tenant's (one control set per tenant, its id derived from the tenant),
 * else it is not found: checked before anything is read, so another tenant's id is answered like an unknown one.
 */
export function assertOwnControlSet(tenantId: string, controlSetId: string): void {
  if (controlSetId !== controlSetIdFor(tenantId)) throw controlSetNotFound(controlSetId);
}

/**
 * The controls of the set adopted from the catalog, as their streams tell it (`load` reads one control's stream):
 * what a catalog upgrade decides on.
 */
export async function adoptedControls(
  set: ActiveControlSet,
  load: (controlId: string) => Promise<{ state: ControlState }>,
): Promise<ExistingControl[]> {
  const controls: ExistingControl[] = [];
  for (const controlId of adoptedCatalogControls(set).values()) {
    const { state } = await load(controlId);
    if (state.kind === 'control') controls.push(state);
  }
  return controls;
}

/**
 * The aggregates of the control-mapping service, for the command pipeline (which loads, decides, checks the public
 * events against the control-mapping contracts and appends). The deciders depend on the catalog versions and policy
 * templates the service was configured with, hence a provider rather than constants.
 */
@Injectable()
export class ControlMappingAggregates {
  readonly control: ControlAggregate;
  /**
   * Its decisions span streams: adopting or adding a control writes the control's first event, an upgrade writes
   * the template upgrades of the controls that follow their template, all in one append with the set's event.
   */
  readonly controlSet: ControlSetAggregate;
  readonly policy: PolicyAggregate;

  constructor(@Inject(CONTROL_MAPPING_OPTIONS) options: ResolvedOptions) {
    this.control = {
      streamType: CONTROL_STREAM_TYPE,
      decider: controlDecider(options.catalogs),
      streamIdOf: (c) => c.controlId,
      notFound: controlNotFound,
    };
    const control = this.control;
    this.controlSet = {
      streamType: CONTROL_SET_STREAM_TYPE,
      decider: controlSetDecider(options.catalogs),
      streamIdOf: (c) => c.controlSetId,
      eventStream: streamOfEvent,
      // An upgrade decides on the current state of every adopted control; the pipeline appends at the versions
      // read here, so a control changed meanwhile makes the upgrade decide again.
      prepare: async (command, state, streams) =>
        command.type === 'UpgradeCatalog' && state.kind === 'control-set'
          ? { ...command, controls: await adoptedControls(state, (id) => streams.load(control, id)) }
          : command,
      notFound: controlSetNotFound,
    };
    this.policy = {
      streamType: POLICY_STREAM_TYPE,
      decider: policyDecider(options.policyTemplates),
      streamIdOf: (c) => c.policyId,
      notFound: policyNotFound,
    };
  }

  /**
   * What control-mapping took in about readiness's gaps: one stream per gap, named within the tenant (gap ids are
   * another service's), internal events only.
   */
  gap(tenantId: string): ReadinessGapAggregate {
    return {
      streamType: READINESS_GAP_STREAM_TYPE,
      decider: readinessGapDecider,
      streamIdOf: (c) => readinessGapStreamIdFor(tenantId, c.gapId),
      notFound: (streamId) =>
        new DomainError('readiness-gap-not-found', `readiness gap stream ${streamId} does not exist`),
    };
  }
}
