import { Injectable } from '@nestjs/common';
import { CommandPipeline, systemContext, type AggregateDeclaration } from '@attest/command-pipeline';
import {
  AUDIT_RECORD_STREAM_TYPE,
  auditRecordDecider,
  auditStreamIdOf,
  type AuditRecordEvent,
  type AuditRecordState,
  type RecordLifecycleEvent,
} from '@attest/lifecycle-domain';
import { DomainError } from '@attest/decider';
import { AUDIT_LIFECYCLE_ACTOR, type RecordLifecycleEventInput } from '@attest/workflow-contracts';

const auditRecord: AggregateDeclaration<RecordLifecycleEvent, AuditRecordEvent, AuditRecordState> = {
  streamType: AUDIT_RECORD_STREAM_TYPE,
  decider: auditRecordDecider,
  streamIdOf: (command) => auditStreamIdOf(command.auditId),
  notFound: (streamId) =>
    new DomainError('audit-not-found', `the organization has no audit stream ${streamId}`, { streamId }),
};

/** The system actor the orchestrator's commands run as (metadata `system:audit-lifecycle`). */
const ACTOR_NAME = AUDIT_LIFECYCLE_ACTOR.id.replace(/^system:/, '');

/**
 * Records what a workflow step says happened to an audit, through the one command pipeline (contract check, hash
 * chain, outbox). The payload is published as the contract has it: the audit's stream id and the actor added, the
 * tenant left to the event's envelope. Recording a step again returns the event recorded the first time.
 */
@Injectable()
export class LifecycleRecorder {
  constructor(private readonly pipeline: CommandPipeline) {}

  async record(input: RecordLifecycleEventInput): Promise<{ eventId: string }> {
    const { workflowId, step, tenantId, event } = input;
    const { tenantId: _tenant, ...fields } = event.data as typeof event.data & { actor?: unknown };
    const data = {
      auditStreamId: auditStreamIdOf(fields.auditId),
      ...fields,
      actor: fields.actor ?? AUDIT_LIFECYCLE_ACTOR,
    };
    const outcome = await this.pipeline.run(
      auditRecord,
      systemContext(tenantId, ACTOR_NAME, { correlationId: workflowId }),
      { auditId: fields.auditId, workflowId, step, event: { type: event.type, data } },
      { readYourWrites: false },
    );
    return { eventId: outcome.events[0]!.eventId };
  }
}
