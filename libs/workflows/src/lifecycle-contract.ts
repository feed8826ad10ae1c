import type { Frequency } from '@attest/catalog';
import type { AuditPhase } from '@attest/workflow-contracts';
import type { Duration } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * The public interface of the audit lifecycle on Temporal: workflow ids, inputs, signals, updates and queries.
 * Operators, the Kafka bridge, the worker and the demo all code against these names, so they are treated like event
 * contracts: add, never rename or change a meaning. The activities are typed in @attest/workflow-contracts
 * (`LifecycleActivities`), which the worker implements without depending on workflow code.
 */

// ---------------------------------------------------------------------------------------------------------------
// Workflow ids and types
// ---------------------------------------------------------------------------------------------------------------

export const AUDIT_LIFECYCLE_WORKFLOW = 'auditLifecycle';
export const TYPE_II_OBSERVATION_WORKFLOW = 'typeIIObservation';

/** An audit period: the year its audit period starts (`2026`) or a label such as `2026-h2`. */
export const AUDIT_PERIOD_PATTERN = /^[0-9a-z-]{1,20}$/;

/** One lifecycle per organization and audit period, so a redelivered start (signal-with-start) finds the same one. */
export function auditWorkflowId(tenantId: string, period: string): string {
  if (!AUDIT_PERIOD_PATTERN.test(period))
    throw new RangeError(`audit period "${period}" must match [0-9a-z-]{1,20}`);
  return `audit-${tenantId}-${period}`;
}

export function observationWorkflowId(auditId: string): string {
  return `${auditId}-observation`;
}

// ---------------------------------------------------------------------------------------------------------------
// Phases
// ---------------------------------------------------------------------------------------------------------------

/** The phases in the order an audit passes them; the value is also the `AttestStage` search attribute. */
export const PHASES: readonly AuditPhase[] = [
  'readiness',
  'control-mapping',
  'remediation',
  'audit-type-decision',
  'auditor-engagement',
  'type-1-fieldwork',
  'observation',
  'fieldwork',
  'reporting',
  'continuous-compliance',
];
export type Phase = AuditPhase;

export type ReportType = 'type-1' | 'type-2';

/** Whole UTC days, both ends included, as engagements state an observation window. */
export interface DateWindow {
  from: string;
  to: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Workflow input and result
// ---------------------------------------------------------------------------------------------------------------

/** A duration as Temporal reads it: milliseconds or a string such as `'30 days'`. */
export type LifecycleDuration = Duration;

export interface AuditLifecycleInput {
  tenantId: string;
  period: string;
  /**
   * How long each phase may take from when it is entered; a phase without one has no deadline. Defaults apply to
   * the phases people drive (see DEFAULT_PHASE_DEADLINES); the observation phase ends with its window instead.
   */
  phaseDeadlines?: Partial<Record<Phase, LifecycleDuration>>;
  /** How long before a deadline the reminder goes out (default 7 days). */
  reminderBefore?: LifecycleDuration;
  /** Grace after each due day before the observation child looks for an occurrence (default 5 days). */
  observationGraceDays?: number;
  /** How long after the report the bridge-letter reminder goes out (default 90 days). */
  bridgeLetterReminderAfter?: LifecycleDuration;
  /**
   * How long a day of the observation window lasts in workflow time, when not a calendar day: the window is then
   * played from the moment observation starts (`npm run demo` plays a day in seconds). Unset in production.
   */
  observationDayMs?: number;
  /** Carried by continue-as-new; never set by a starter. */
  carried?: unknown;
}

export interface AuditLifecycleResult {
  auditId: string;
  reportType?: ReportType;
  engagementId?: string;
  reportId?: string;
  /** The lifecycle of the next period, started by `startNextPeriod`. */
  nextAuditId?: string;
}

/** A control observed in a Type II window: its frequency says which occurrences are expected. */
export interface ObservedControl {
  controlId: string;
  /** The control's code as the company shows it (e.g. `AC-01`), for finding titles; absent when unknown. */
  code?: string;
  frequency: Frequency;
}

export interface TypeIIObservationInput {
  auditId: string;
  tenantId: string;
  engagementId: string;
  window: DateWindow;
  controls: ObservedControl[];
  graceDays: number;
  /** A played window (see `AuditLifecycleInput.observationDayMs`): a day's length, from `playedFrom` (ISO 8601). */
  dayMs?: number;
  playedFrom?: string;
  /** Carried by continue-as-new; never set by the parent. */
  carried?: unknown;
}

export interface OccurrenceTally {
  controlId: string;
  frequency: Frequency;
  expected: number;
  checked: number;
  missed: number;
  /** Due days of the missed occurrences (YYYY-MM-DD). */
  missedOn: string[];
}

export interface TypeIIObservationResult {
  occurrences: OccurrenceTally[];
}

// ---------------------------------------------------------------------------------------------------------------
// Signals, updates, queries
// ---------------------------------------------------------------------------------------------------------------

/** A domain event from the backbone, forwarded by the Kafka → Temporal bridge. */
export interface DomainEventSignal {
  /** The CloudEvent id: the workflow counts an id once (the ids of the last 500 kept across continue-as-new). */
  eventId: string;
  /** The CloudEvent type, e.g. `io.attest.readiness.assessment-completed.v1`. */
  type: string;
  tenantId: string;
  /** The CloudEvent time (ISO 8601). */
  time: string;
  data: Record<string, unknown>;
}

/** The CloudEvent types that move a lifecycle or feed its blockers; the bridge signals these and no others. */
export const LIFECYCLE_EVENT_TYPES = {
  assessmentCompleted: 'io.attest.readiness.assessment-completed.v1',
  remediationTaskCreated: 'io.attest.readiness.remediation-task-created.v1',
  remediationTaskCompleted: 'io.attest.readiness.remediation-task-completed.v1',
  controlSetCreated: 'io.attest.control-mapping.control-set-created.v1',
  controlAdopted: 'io.attest.control-mapping.control-adopted.v1',
  controlsJoinedSet: 'io.attest.control-mapping.controls-joined-set.v1',
  engagementPlanned: 'io.attest.auditor-engagement.engagement-planned.v1',
  engagementScopeChanged: 'io.attest.auditor-engagement.engagement-scope-changed.v1',
  engagementStatusChanged: 'io.attest.auditor-engagement.engagement-status-changed.v1',
  reportIssued: 'io.attest.auditor-engagement.report-issued.v1',
  bridgeLetterIssued: 'io.attest.auditor-engagement.bridge-letter-issued.v1',
} as const;
export const lifecycleSignalledEventTypes: readonly string[] = Object.values(LIFECYCLE_EVENT_TYPES);

/** Who took a decision: read by the caller from a verified token, recorded in `AuditDecisionTaken`. */
export interface DecisionActor {
  type: 'user' | 'api-client' | 'system';
  id: string;
}

export type ChooseAuditTypeInput =
  | { type: 'type-1'; asOf?: string; actor?: DecisionActor }
  | { type: 'type-2'; window?: DateWindow; actor?: DecisionActor };

export interface ChooseAuditTypeResult {
  phase: Phase;
  type: ReportType;
  decidedAt: string;
}

export interface ExtendDeadlineInput {
  phase: Phase;
  /** The new deadline (ISO 8601 date-time), in the future. */
  dueAt: string;
  reason: string;
}

export interface PhaseView {
  phase: Phase;
  enteredAt: string;
  reportType?: ReportType;
  asOf?: string;
  window?: DateWindow;
  engagementId?: string;
  overdueCount: number;
}

export type DeadlineStatus = 'pending' | 'reminded' | 'missed' | 'met';

export interface DeadlineView {
  phase: Phase;
  dueAt: string;
  status: DeadlineStatus;
  /** The last extension, when one was granted. */
  extension?: { reason: string; extendedAt: string };
}

export type BlockerKind =
  | 'critical-remediation-task'
  | 'criterion-not-met'
  | 'awaiting-event'
  | 'awaiting-decision'
  | 'awaiting-window-end'
  | 'deadline-missed';

export interface Blocker {
  kind: BlockerKind;
  /** What blocks: a task id, a criterion id, an event type. */
  ref?: string;
  description: string;
}

export type TimelineKind =
  | 'phase-changed'
  | 'domain-event'
  | 'decision'
  | 'deadline-extended'
  | 'deadline-approaching'
  | 'deadline-missed'
  | 'observation-started'
  | 'next-period-started'
  | 'bridge-letter-reminder';

export interface TimelineEntry {
  at: string;
  phase: Phase;
  kind: TimelineKind;
  summary: string;
  /** The domain event's id, for entries a signal caused. */
  eventId?: string;
}

export const domainEventSignal = defineSignal<[DomainEventSignal]>('domainEvent');
export const chooseAuditTypeUpdate = defineUpdate<ChooseAuditTypeResult, [ChooseAuditTypeInput]>(
  'chooseAuditType',
);
export const extendDeadlineUpdate = defineUpdate<DeadlineView, [ExtendDeadlineInput]>('extendDeadline');
export const phaseQuery = defineQuery<PhaseView>('phase');
export const deadlinesQuery = defineQuery<DeadlineView[]>('deadlines');
export const blockersQuery = defineQuery<Blocker[]>('blockers');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');
/** Of the `typeIIObservation` child: expected, checked and missed occurrences per control so far. */
export const occurrencesQuery = defineQuery<OccurrenceTally[]>('occurrences');
