import { Injectable } from '@nestjs/common';
import type { AggregateDeclaration } from '@attest/command-pipeline';
import {
  auditFirmAggregate,
  auditRequestAggregate,
  controlTestAggregate,
  engagementAggregate,
  populationAggregate,
  sampleAggregate,
  type AuditFirmCommand,
  type AuditFirmEvent,
  type AuditFirmState,
  type AuditRequestCommand,
  type AuditRequestEvent,
  type AuditRequestState,
  type ControlTestCommand,
  type ControlTestEvent,
  type ControlTestState,
  type EngagementCommand,
  type EngagementEvent,
  type EngagementState,
  type PopulationCommand,
  type PopulationEvent,
  type PopulationState,
  type SampleCommand,
  type SampleEvent,
  type SampleState,
} from '@attest/engagement-domain';

export type AuditFirmAggregate = AggregateDeclaration<AuditFirmCommand, AuditFirmEvent, AuditFirmState>;
export type EngagementAggregate = AggregateDeclaration<EngagementCommand, EngagementEvent, EngagementState>;
export type AuditRequestAggregate = AggregateDeclaration<
  AuditRequestCommand,
  AuditRequestEvent,
  AuditRequestState
>;
export type PopulationAggregate = AggregateDeclaration<PopulationCommand, PopulationEvent, PopulationState>;
export type SampleAggregate = AggregateDeclaration<SampleCommand, SampleEvent, SampleState>;
export type ControlTestAggregate = AggregateDeclaration<
  ControlTestCommand,
  ControlTestEvent,
  ControlTestState
>;

/**
 * The aggregates of the auditor-engagement service, for the command pipeline (which loads, decides, checks the
 * events against the auditor-engagement contracts and appends): a firm, an engagement, a request, a frozen
 * population, a sample and a control's testing in an engagement, one stream each. Declaring them here checks the
 * domain's shapes against the pipeline's, and gives the controllers and handlers one provider to inject.
 */
@Injectable()
export class EngagementAggregates {
  readonly firm: AuditFirmAggregate = auditFirmAggregate;
  readonly engagement: EngagementAggregate = engagementAggregate;
  readonly request: AuditRequestAggregate = auditRequestAggregate;
  readonly population: PopulationAggregate = populationAggregate;
  readonly sample: SampleAggregate = sampleAggregate;
  readonly controlTest: ControlTestAggregate = controlTestAggregate;
}
