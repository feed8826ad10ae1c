import type { Frequency } from '@attest/catalog';
import type { LifecycleActor, LifecycleEventData } from './lifecycle-events';

/**
 * The activities of the audit lifecycle, as workflows proxy them and the orchestrator's worker implements them.
 * Their names are public (operators see them in histories, retry policies are keyed by them): add, never rename.
 * Types only, so workflow code imports them without pulling in any I/O.
 */

/**
 * Every call that changes something names its workflow and its step: the orchestrator sends
 * `Idempotency-Key: <workflowId>:<step>` and derives event ids from the pair, so a retried attempt (a worker killed
 * mid-call) changes nothing twice. A step is unique within its workflow run history, e.g. `phase-3` or
 * `occurrence-2026-04-01-CC6.2`.
 */
export interface ActivityStep {
  workflowId: string;
  step: string;
  tenantId: string;
}

export type AuditPhase =
  | 'readiness'
  | 'control-mapping'
  | 'remediation'
  | 'audit-type-decision'
  | 'auditor-engagement'
  | 'type-1-fieldwork'
  | 'observation'
  | 'fieldwork'
  | 'reporting'
  | 'continuous-compliance';

/** The catalog's frequencies that fall due on dates; `per-event` controls are never expected by date. */
export type ControlFrequency = Exclude<Frequency, 'per-event'>;

/**
 * The lifecycle events (context `lifecycle`, topic `attest.lifecycle.events.v1`). Times are ISO-8601 and come from
 * the workflow (its deterministic clock), never from the activity, so a retry records the very same event.
 * `auditId` is the auditLifecycle workflow id. The orchestrator's recorder turns each into its `LifecycleEventData`
 * payload (lifecycle-events.ts) and appends it to the audit's stream through the command pipeline, whose outbox
 * publishes it: it adds `auditStreamId` and `actor` (the lifecycle's system actor unless the event names one) and
 * leaves `tenantId` to the CloudEvent's tenant header.
 */
export type LifecycleEvent = {
  [K in keyof LifecycleEventData]: { type: K; data: WorkflowEventData<K> };
}[keyof LifecycleEventData];

/**
 * A payload as the workflow hands it over: `tenantId` instead of `auditStreamId`, an `actor` only on decisions
 * (the person's, or the lifecycle's own), and an occurrence's frequency one that falls due on dates.
 */
type WorkflowEventData<K extends keyof LifecycleEventData> = Omit<
  LifecycleEventData[K],
  'auditStreamId' | 'actor' | 'frequency'
> & { tenantId: string } & (K extends 'AuditDecisionTaken' ? { actor: LifecycleActor } : unknown) &
  (K extends 'OccurrenceMissed' ? { frequency: ControlFrequency } : unknown);

export type LifecycleEventType = LifecycleEvent['type'];

export interface RecordLifecycleEventInput extends ActivityStep {
  event: LifecycleEvent;
}

/** One expected occurrence of a control: something must show it ran between `from` and `to` (dates, inclusive). */
export interface ExpectedOccurrence {
  controlId: string;
  frequency: ControlFrequency;
  from: string;
  to: string;
}

/** The occurrences due on one day (after its grace period), checked in one activity. */
export interface CheckOccurrencesInput extends ActivityStep {
  dueOn: string;
  occurrences: ExpectedOccurrence[];
}

export interface OccurrenceCheck {
  controlId: string;
  /** Days of the occurrence's window with evidence items, plus days with test runs (0: nothing shows it ran). */
  found: number;
}

export interface RaiseMissedOccurrenceRequestInput extends ActivityStep {
  engagementId: string;
  controlId: string;
  frequency: ControlFrequency;
  dueOn: string;
}

/** After a report, the company needs a bridge letter for the gap until the next report covers it. */
export interface IssueBridgeLetterReminderInput extends ActivityStep {
  engagementId?: string;
  reportId?: string;
  /** The last day (YYYY-MM-DD) the issued report covers: its as-of date or its window's end. */
  coveredUntil?: string;
  reportIssuedAt: string;
}

export interface StartNextPeriodInput extends ActivityStep {
  /** The label of the next period, e.g. `2027` (pattern `[0-9a-z-]{1,20}`). */
  period: string;
  /** The next auditLifecycle's input as the finishing one hands it over. */
  input: unknown;
}

/** The services whose request or task deadlines a sweep reminds and escalates. */
export type DeadlineSweepService = 'readiness' | 'control-mapping' | 'evidence' | 'auditor-engagement';

/** What one reconciliation of every known organization's schedules did, summed over its attempts. */
export interface ReconciledTenantSchedules {
  /** Organizations gone through (the failed ones included). */
  tenants: number;
  created: number;
  updated: number;
  deleted: number;
  /** Organizations whose schedules could not be ensured (e.g. evidence answered 5xx); the next run tries again. */
  failed: number;
}

/** What auditLifecycle and its observation child call. */
export interface AuditLifecycleActivities {
  /** Appends one lifecycle event to the audit's stream (once per workflow id and step) for the outbox to publish. */
  recordLifecycleEvent(input: RecordLifecycleEventInput): Promise<{ eventId: string }>;
  /** Asks evidence and monitoring, per occurrence, what shows the control ran in its window. Heartbeats. */
  checkOccurrences(input: CheckOccurrencesInput): Promise<OccurrenceCheck[]>;
  /** Opens a request in the engagement, marked `raisedFor: missed-occurrence`. */
  raiseMissedOccurrenceRequest(input: RaiseMissedOccurrenceRequestInput): Promise<{ requestId: string }>;
  /** Starts the next period's auditLifecycle (id `audit-<tenantId>-<period>`); starting it again is a no-op. */
  startNextPeriod(input: StartNextPeriodInput): Promise<{ workflowId: string }>;
  /** Reminds the company (and its auditor, in the engagement) that a bridge letter is due. */
  issueBridgeLetterReminder(input: IssueBridgeLetterReminderInput): Promise<void>;
}

/** What the workflows the Temporal Schedules start call. */
export interface ScheduledJobActivities {
  runDeadlineSweep(input: ActivityStep & { service: DeadlineSweepService }): Promise<void>;
  runMonitoringSweep(input: ActivityStep): Promise<void>;
  runCollector(input: ActivityStep & { collectorId: string }): Promise<void>;
  /**
   * Brings every known organization's Temporal Schedules to its stored collector configurations. Heartbeats the last
   * organization done, so a retried attempt resumes after it.
   */
  reconcileTenantSchedules(): Promise<ReconciledTenantSchedules>;
}

/** Every activity the orchestrator's worker registers on the lifecycle task queue. */
export type LifecycleActivities = AuditLifecycleActivities & ScheduledJobActivities;
