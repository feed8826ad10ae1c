import type { Frequency } from '@attest/catalog';
import type { AuditPhase } from './lifecycle-activities';

/**
 * The payloads of the lifecycle events exactly as published on `attest.lifecycle.events.v1` (context `lifecycle`,
 * source `/attest/orchestrator`): the schemas in libs/event-contracts/schemas/lifecycle are the contract, these
 * types mirror them for the orchestrator that appends them and for consumers. Like every context's events, the
 * tenant is the `ce_tenantid` header (never a payload field), the stream id is a UUID (`auditStreamId`, v5 of the
 * workflow id, so every event of one audit is on one stream whatever its step), and every payload names its actor.
 */

/** Who caused the event: the lifecycle itself (`system:audit-lifecycle`) or the person who took a decision. */
export interface LifecycleActor {
  type: 'user' | 'api-client' | 'system';
  id: string;
  /** Personal data: sealed before the event is stored (libs/event-contracts/src/personal-data.ts). */
  displayName?: string;
}

/** The fields naming the audit, in every lifecycle payload but the chain checkpoint. */
export interface AuditRef {
  /** UUID v5 of `auditId`: the stream id, `ce_subject` and Kafka key. */
  auditStreamId: string;
  /** The auditLifecycle workflow id, `audit-<tenantId>-<period>`. */
  auditId: string;
  actor: LifecycleActor;
}

export interface AuditPhaseChangedData extends AuditRef {
  period: string;
  /** null when the audit began. */
  from: AuditPhase | null;
  to: AuditPhase;
  /** Why: the event type or the decision that completed the phase before (1–500 characters). */
  reason: string;
  changedAt: string;
}

export interface AuditDeadlineApproachingData extends AuditRef {
  phase: AuditPhase;
  dueAt: string;
  remindedAt: string;
}

export interface AuditDeadlineMissedData extends AuditRef {
  phase: AuditPhase;
  dueAt: string;
  escalatedAt: string;
}

export interface OccurrenceMissedData extends AuditRef {
  engagementId: string;
  controlId: string;
  frequency: Frequency;
  /** YYYY-MM-DD. */
  dueOn: string;
  graceDays: number;
  detectedAt: string;
}

export interface AuditDecisionTakenData extends AuditRef {
  decision: 'audit-type';
  type: 'type-1' | 'type-2';
  /** Type I: YYYY-MM-DD. */
  asOf?: string;
  /** Type II: both days included, YYYY-MM-DD. */
  window?: { from: string; to: string };
  decidedAt: string;
}

/** The lifecycle events by their store type (the event store's `type`; the catalog maps it to the ce_type). */
export interface LifecycleEventData {
  AuditPhaseChanged: AuditPhaseChangedData;
  AuditDeadlineApproaching: AuditDeadlineApproachingData;
  AuditDeadlineMissed: AuditDeadlineMissedData;
  OccurrenceMissed: OccurrenceMissedData;
  AuditDecisionTaken: AuditDecisionTakenData;
}

/** The stream type of every lifecycle event but the chain checkpoint. */
export const AUDIT_STREAM_TYPE = 'audit';
/** The lifecycle's own actor (the `system:<job>` form every context uses for its automatic rules). */
export const AUDIT_LIFECYCLE_ACTOR: LifecycleActor = { type: 'system', id: 'system:audit-lifecycle' };
