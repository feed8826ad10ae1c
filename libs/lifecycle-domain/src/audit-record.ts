import { uuidV5 } from '@attest/catalog';
import { DomainError, type Decider } from '@attest/decider';

/**
 * An audit's record: the lifecycle events of one auditLifecycle workflow (phase changes, deadlines, missed
 * occurrences, decisions) in one stream, for the orchestrator's outbox to publish. The workflow decides what
 * happened; this aggregate keeps each event to its audit and gives it an id derived from the workflow step that
 * caused it, so a step recorded again (a retried activity) is the same event, appended once.
 */
export const AUDIT_RECORD_STREAM_TYPE = 'audit';

/** A lifecycle event as published: its store type and its payload, naming the audit and its stream. */
export interface LifecycleEventOf<Type extends string = string> {
  type: Type;
  data: { auditId: string; auditStreamId: string } & Record<string, unknown>;
}

export interface RecordLifecycleEvent {
  /** The auditLifecycle workflow id. */
  auditId: string;
  /** The workflow (the audit's or its observation child's) and the step within it that recorded the event. */
  workflowId: string;
  step: string;
  event: LifecycleEventOf;
}

export type AuditRecordEvent = LifecycleEventOf & { eventId: string };

export interface AuditRecordState {
  recorded: number;
}

/** Namespaces of the UUIDs v5 below; never change them, or an audit's events split and retries append twice. */
const AUDIT_STREAM_NAMESPACE = '3b0f6a1e-8c2d-4f57-9e1a-5d7c2b9f0a64';
const LIFECYCLE_EVENT_NAMESPACE = '6f1d3c52-0a7e-4b8e-9a51-2c4b7f0e9d13';

/** The stream of an audit's events (`auditStreamId`, `ce_subject`, the Kafka key): a UUID of its workflow id. */
export function auditStreamIdOf(auditId: string): string {
  return uuidV5(auditId, AUDIT_STREAM_NAMESPACE);
}

/** The id of the event a workflow step records: the same step always gives the same id. */
export function lifecycleEventId(workflowId: string, step: string): string {
  return uuidV5(`${workflowId}:${step}`, LIFECYCLE_EVENT_NAMESPACE);
}

export const auditRecordDecider: Decider<RecordLifecycleEvent, AuditRecordEvent, AuditRecordState> = {
  initialState: () => ({ recorded: 0 }),
  decide({ auditId, workflowId, step, event }) {
    if (event.data.auditId !== auditId || event.data.auditStreamId !== auditStreamIdOf(auditId))
      throw new DomainError(
        'lifecycle-event-misaddressed',
        `a ${event.type} of audit ${event.data.auditId} cannot be recorded on audit ${auditId}`,
        { auditId, type: event.type },
      );
    return [{ type: event.type, data: event.data, eventId: lifecycleEventId(workflowId, step) }];
  },
  evolve: (state) => ({ recorded: state.recorded + 1 }),
};
