import type { Frequency } from '@attest/catalog';
import type { DateWindow, DeadlineStatus, Phase, ReportType, TimelineEntry } from '../lifecycle-contract';

/**
 * Everything the audit lifecycle knows, as plain JSON: it is the workflow's state, the queries' source and what
 * continue-as-new carries to the next run. Facts from domain events are kept apart from the phase, so events that
 * arrive early or out of order (a control adopted before readiness completes) still count when the phase gets there.
 */
export interface LifecycleState {
  auditId: string;
  tenantId: string;
  period: string;
  phase: Phase;
  enteredAt: string;
  facts: LifecycleFacts;
  decision?: AuditTypeDecision;
  deadlines: Partial<Record<Phase, PhaseDeadline>>;
  /** Deadlines of the current phase past due and not extended; the `AttestOverdueCount` search attribute. */
  overdueCount: number;
  observationStarted: boolean;
  /** A played window (input `observationDayMs`): when observation started and how long a window day lasts. */
  observationClock?: { from: string; dayMs: number };
  bridgeLetterReminded: boolean;
  nextAuditId?: string;
  timeline: TimelineEntry[];
  /** The ids of the last domain events applied, oldest first, so a redelivered one is counted once. */
  seenEventIds: string[];
}

export interface LifecycleFacts {
  assessmentCompletedAt?: string;
  /** Criteria concluded `not-met` by the latest completed readiness assessment. */
  notMetCriteria: string[];
  /** Open critical remediation tasks: task id → title. */
  openCriticalTasks: Record<string, string>;
  controlsMappedAt?: string;
  /** Adopted controls by id: their frequency says what a Type II window expects of them. */
  controls: Record<string, { code: string; frequency: Frequency }>;
  engagement?: EngagementFacts;
  report?: { reportId: string; issuedAt: string };
  bridgeLetterIssuedAt?: string;
}

export interface EngagementFacts {
  engagementId: string;
  type?: ReportType;
  asOf?: string;
  window?: DateWindow;
  /** Controls in the engagement's scope; empty means every adopted control. */
  controlIds: string[];
  status: 'planned' | 'fieldwork' | 'reporting' | 'issued';
}

export interface AuditTypeDecision {
  type: ReportType;
  asOf?: string;
  window?: DateWindow;
  decidedAt: string;
}

export interface PhaseDeadline {
  dueAt: string;
  status: DeadlineStatus;
  extension?: { reason: string; extendedAt: string };
}

/** Durations in milliseconds, read once from the workflow input (and carried with it across continue-as-new). */
export interface LifecycleConfig {
  phaseDeadlineMs: Partial<Record<Phase, number>>;
  reminderBeforeMs: number;
  bridgeLetterReminderAfterMs: number;
  observationGraceDays: number;
  observationDayMs?: number;
}

/** What the workflow must do because the state changed; the pure functions decide, the workflow carries out. */
export type LifecycleEffect =
  /** `from` is null when the lifecycle starts. */
  | { kind: 'phase-changed'; from: Phase | null; to: Phase; reason: string; at: string }
  | {
      kind: 'decision-taken';
      decision: AuditTypeDecision;
      actor: { type: 'user' | 'api-client' | 'system'; id: string };
    }
  | { kind: 'deadline-approaching'; phase: Phase; dueAt: string; at: string }
  | { kind: 'deadline-missed'; phase: Phase; dueAt: string; at: string }
  | { kind: 'start-observation' }
  | { kind: 'start-next-period' }
  | { kind: 'remind-bridge-letter' };

export interface Transition {
  state: LifecycleState;
  effects: LifecycleEffect[];
}

/** The timeline is for people reading a stuck audit: the latest entries matter, so it keeps a bounded tail. */
const TIMELINE_LIMIT = 200;
export const SEEN_EVENT_IDS_LIMIT = 500;

export function withTimeline(state: LifecycleState, entry: Omit<TimelineEntry, 'phase'>): LifecycleState {
  const timeline = [...state.timeline, { ...entry, phase: state.phase }];
  return { ...state, timeline: timeline.slice(-TIMELINE_LIMIT) };
}
