import type { Frequency } from '@attest/catalog';
import { AUDIT_LIFECYCLE_ACTOR } from '@attest/workflow-contracts';
import type {
  AuditLifecycleInput,
  Blocker,
  ChooseAuditTypeInput,
  DateWindow,
  DomainEventSignal,
  ObservedControl,
  Phase,
  ReportType,
} from '../lifecycle-contract';
import { auditWorkflowId, LIFECYCLE_EVENT_TYPES as T } from '../lifecycle-contract';
import type {
  EngagementFacts,
  LifecycleConfig,
  LifecycleEffect,
  LifecycleFacts,
  LifecycleState,
  Transition,
} from './lifecycle-state';
import { SEEN_EVENT_IDS_LIMIT, withTimeline } from './lifecycle-state';
import { closeDeadline, deadlineOnEntry, iso, nextDeadlineWake, passDeadlines } from './phase-deadlines';

/**
 * The audit lifecycle as a pure state machine. Domain events become facts; each phase has an exit condition over
 * the facts (and the clock, for the observation window); `settle` leaves every phase whose condition already holds,
 * so one event can carry an audit across several phases and the order events arrive in does not matter.
 */

export function startLifecycle(input: AuditLifecycleInput, now: number, config: LifecycleConfig): Transition {
  const state: LifecycleState = {
    auditId: auditWorkflowId(input.tenantId, input.period),
    tenantId: input.tenantId,
    period: input.period,
    phase: 'readiness',
    enteredAt: iso(now),
    facts: { notMetCriteria: [], openCriticalTasks: {}, controls: {} },
    deadlines: {},
    overdueCount: 0,
    observationStarted: false,
    bridgeLetterReminded: false,
    timeline: [],
    seenEventIds: [],
  };
  const deadline = deadlineOnEntry(state, 'readiness', now, config);
  const started = withTimeline(deadline ? { ...state, deadlines: { readiness: deadline } } : state, {
    at: iso(now),
    kind: 'phase-changed',
    summary: 'audit lifecycle started in readiness',
  });
  return {
    state: started,
    effects: [
      { kind: 'phase-changed', from: null, to: 'readiness', reason: 'audit lifecycle started', at: iso(now) },
    ],
  };
}

export interface DomainEventTransition extends Transition {
  /** The event was applied before (a redelivery): nothing changed. */
  duplicate: boolean;
}

export function applyDomainEvent(
  state: LifecycleState,
  event: DomainEventSignal,
  now: number,
  config: LifecycleConfig,
): DomainEventTransition {
  if (state.seenEventIds.includes(event.eventId)) return { state, effects: [], duplicate: true };
  // The bridge routes by tenant; an event of another organization reaching this audit is a routing fault, not a fact.
  if (event.tenantId !== state.tenantId) return { state, effects: [], duplicate: false };
  const seenEventIds = [...state.seenEventIds, event.eventId].slice(-SEEN_EVENT_IDS_LIMIT);
  const learned = learn(state.facts, event);
  let next: LifecycleState = { ...state, seenEventIds };
  if (learned) {
    next = withTimeline(
      { ...next, facts: learned.facts },
      { at: iso(now), kind: 'domain-event', summary: learned.summary, eventId: event.eventId },
    );
  }
  return { ...settle(next, now, config, reasonOf(event)), duplicate: false };
}

/** Why choosing this audit type is refused now; empty when it may be chosen. */
export function auditTypeRefusals(state: LifecycleState, input: ChooseAuditTypeInput): string[] {
  const refusals: string[] = [];
  if (state.decision) refusals.push(`the audit type is already chosen: ${state.decision.type}`);
  else if (state.phase !== 'remediation' && state.phase !== 'audit-type-decision') {
    refusals.push(
      `the audit is in phase ${state.phase}; the audit type is chosen once the controls are mapped`,
    );
  }
  const tasks = Object.entries(state.facts.openCriticalTasks);
  if (tasks.length > 0) {
    refusals.push(
      `critical remediation tasks are open: ${tasks.map(([id, title]) => `"${title}" (${id})`).join(', ')}`,
    );
  }
  if (state.facts.notMetCriteria.length > 0) {
    refusals.push(`criteria are not met: ${state.facts.notMetCriteria.join(', ')}`);
  }
  if (input.type === 'type-1' && input.asOf !== undefined && !isDate(input.asOf)) {
    refusals.push(`asOf "${input.asOf}" is not a date (YYYY-MM-DD)`);
  }
  if (input.type === 'type-2' && input.window !== undefined && !isWindow(input.window)) {
    refusals.push('window must be two dates (YYYY-MM-DD) with from on or before to');
  }
  const type: unknown = input.type;
  if (type !== 'type-1' && type !== 'type-2') refusals.push(`"${String(type)}" is not an audit type`);
  return refusals;
}

/** Takes the decision (the caller validated it with `auditTypeRefusals`) and moves on from the decision phase. */
export function chooseAuditType(
  state: LifecycleState,
  input: ChooseAuditTypeInput,
  now: number,
  config: LifecycleConfig,
): Transition {
  const decision =
    input.type === 'type-1'
      ? { type: input.type, decidedAt: iso(now), ...(input.asOf ? { asOf: input.asOf } : {}) }
      : { type: input.type, decidedAt: iso(now), ...(input.window ? { window: input.window } : {}) };
  const decided = withTimeline(
    { ...state, decision },
    { at: iso(now), kind: 'decision', summary: `audit type chosen: ${describeType(decision)}` },
  );
  const settled = settle(decided, now, config, `audit type chosen: ${decision.type}`);
  const actor = input.actor ?? AUDIT_LIFECYCLE_ACTOR;
  return { state: settled.state, effects: [{ kind: 'decision-taken', decision, actor }, ...settled.effects] };
}

/** Timers: window end and the bridge-letter reminder, then deadlines. Called when the workflow wakes. */
export function passTime(state: LifecycleState, now: number, config: LifecycleConfig): Transition {
  const deadlines = passDeadlines(state, now, config);
  const settled = settle(deadlines.state, now, config, 'the observation window ended');
  const effects = [...deadlines.effects, ...settled.effects];
  const remind = settled.state;
  if (remind.phase === 'continuous-compliance' && !remind.bridgeLetterReminded) {
    const at = bridgeLetterReminderAt(remind, config);
    if (at !== undefined && now >= at && !remind.facts.bridgeLetterIssuedAt) {
      const reminded = withTimeline(
        { ...remind, bridgeLetterReminded: true },
        { at: iso(now), kind: 'bridge-letter-reminder', summary: 'a bridge letter is due' },
      );
      return { state: reminded, effects: [...effects, { kind: 'remind-bridge-letter' }] };
    }
  }
  return { state: remind, effects };
}

/** The earliest moment the clock alone changes something; undefined when only a signal or update can. */
export function nextWakeAt(state: LifecycleState, config: LifecycleConfig): number | undefined {
  const candidates = [nextDeadlineWake(state, config)];
  if (state.phase === 'observation') candidates.push(windowEndMs(state));
  if (
    state.phase === 'continuous-compliance' &&
    !state.bridgeLetterReminded &&
    !state.facts.bridgeLetterIssuedAt
  ) {
    candidates.push(bridgeLetterReminderAt(state, config));
  }
  const defined = candidates.filter((at): at is number => at !== undefined);
  return defined.length > 0 ? Math.min(...defined) : undefined;
}

/** The lifecycle is done once the next period has started and the bridge letter is issued or reminded. */
export function isFinished(state: LifecycleState): boolean {
  return (
    state.phase === 'continuous-compliance' &&
    state.nextAuditId !== undefined &&
    (state.bridgeLetterReminded || state.facts.bridgeLetterIssuedAt !== undefined)
  );
}

/** What keeps the audit in its phase, for the `blockers` query and the validator's refusal. */
export function blockersOf(state: LifecycleState): Blocker[] {
  const { facts } = state;
  const blockers: Blocker[] = [];
  const awaiting = (ref: string, description: string) =>
    blockers.push({ kind: 'awaiting-event', ref, description });
  switch (state.phase) {
    case 'readiness':
      awaiting(T.assessmentCompleted, 'the readiness assessment is not completed');
      break;
    case 'control-mapping':
      awaiting(T.controlAdopted, 'no control is adopted into a control set yet');
      break;
    case 'remediation':
    case 'audit-type-decision':
      for (const [taskId, title] of Object.entries(facts.openCriticalTasks)) {
        blockers.push({
          kind: 'critical-remediation-task',
          ref: taskId,
          description: `open critical task "${title}"`,
        });
      }
      for (const criterion of facts.notMetCriteria) {
        blockers.push({
          kind: 'criterion-not-met',
          ref: criterion,
          description: `criterion ${criterion} is not met`,
        });
      }
      if (state.phase === 'audit-type-decision') {
        blockers.push({
          kind: 'awaiting-decision',
          ref: 'chooseAuditType',
          description: 'the audit type is not chosen',
        });
      }
      break;
    case 'auditor-engagement':
      awaiting(T.engagementPlanned, 'no engagement is planned with an audit firm');
      break;
    case 'observation':
      blockers.push({
        kind: 'awaiting-window-end',
        ref: observationWindow(state)?.to,
        description: `the observation window runs until ${observationWindow(state)?.to}`,
      });
      break;
    case 'type-1-fieldwork':
    case 'fieldwork':
      awaiting(T.engagementStatusChanged, 'the auditors have not moved the engagement to reporting');
      break;
    case 'reporting':
      awaiting(T.reportIssued, 'the report is not issued');
      break;
    case 'continuous-compliance':
      break;
  }
  if (state.deadlines[state.phase]?.status === 'missed') {
    blockers.push({
      kind: 'deadline-missed',
      ref: state.phase,
      description: `the deadline of ${state.phase} passed on ${state.deadlines[state.phase]?.dueAt}`,
    });
  }
  return blockers;
}

/** The report type in force: the engagement's once planned (what the auditors examine), else the decision's. */
export function reportTypeOf(state: LifecycleState): ReportType | undefined {
  return state.facts.engagement?.type ?? state.decision?.type;
}

export function observationWindow(state: LifecycleState): DateWindow | undefined {
  return state.facts.engagement?.window ?? state.decision?.window;
}

/**
 * The controls the observation child watches: the engagement's scope (every adopted control when the scope names
 * none), with the frequency adopted in control mapping. A control in scope whose adoption the lifecycle never saw
 * has no known frequency and is left out; `withoutFrequency` names them for the timeline.
 */
export function observedControls(state: LifecycleState): {
  controls: ObservedControl[];
  withoutFrequency: string[];
} {
  const { controls } = state.facts;
  const scope = state.facts.engagement?.controlIds ?? [];
  const ids = scope.length > 0 ? scope : Object.keys(controls);
  const observed: ObservedControl[] = [];
  const withoutFrequency: string[] = [];
  for (const controlId of ids) {
    const control = controls[controlId];
    if (control) observed.push({ controlId, code: control.code, frequency: control.frequency });
    else withoutFrequency.push(controlId);
  }
  return { controls: observed, withoutFrequency };
}

/** The next period's label: the next year, half or quarter of a label in those forms, else the report's next year. */
export function nextPeriodOf(period: string, reportIssuedAt: string): string {
  const year = /^(\d{4})$/.exec(period);
  if (year) return String(Number(year[1]) + 1);
  const part = /^(\d{4})-(h|q)(\d)$/.exec(period);
  if (part) {
    const [, y, unit, n] = part;
    const per = unit === 'h' ? 2 : 4;
    return Number(n) < per ? `${y}-${unit}${Number(n) + 1}` : `${Number(y) + 1}-${unit}1`;
  }
  return String(new Date(reportIssuedAt).getUTCFullYear() + 1);
}

// ---------------------------------------------------------------------------------------------------------------

/** Leaves every phase whose exit condition holds, entering the next with its deadline. */
function settle(state: LifecycleState, now: number, config: LifecycleConfig, reason: string): Transition {
  let next = state;
  const effects: LifecycleEffect[] = [];
  for (let to = exitOf(next, now); to !== undefined; to = exitOf(next, now)) {
    const from = next.phase;
    const deadlines = { ...next.deadlines, [from]: closeDeadline(next.deadlines[from]) };
    // Overdue counts the current phase's missed deadlines: leaving the phase clears it.
    next = { ...next, phase: to, enteredAt: iso(now), deadlines, overdueCount: 0 };
    const deadline = deadlineOnEntry(next, to, now, config);
    if (deadline) next = { ...next, deadlines: { ...next.deadlines, [to]: deadline } };
    next = withTimeline(next, { at: iso(now), kind: 'phase-changed', summary: `${from} → ${to}: ${reason}` });
    effects.push({ kind: 'phase-changed', from, to, reason, at: iso(now) });
    if (to === 'observation') {
      next = {
        ...next,
        observationStarted: true,
        ...(config.observationDayMs
          ? { observationClock: { from: iso(now), dayMs: config.observationDayMs } }
          : {}),
      };
      effects.push({ kind: 'start-observation' });
    }
    if (to === 'continuous-compliance') effects.push({ kind: 'start-next-period' });
  }
  return { state: next, effects };
}

/** The phase an audit moves to from its current one, when the facts (and the clock) allow. */
function exitOf(state: LifecycleState, now: number): Phase | undefined {
  const { facts } = state;
  const status = facts.engagement?.status;
  switch (state.phase) {
    case 'readiness':
      return facts.assessmentCompletedAt ? 'control-mapping' : undefined;
    case 'control-mapping':
      return facts.controlsMappedAt ? 'remediation' : undefined;
    case 'remediation':
      return Object.keys(facts.openCriticalTasks).length === 0 ? 'audit-type-decision' : undefined;
    case 'audit-type-decision':
      return state.decision ? 'auditor-engagement' : undefined;
    case 'auditor-engagement':
      if (!facts.engagement) return undefined;
      if (reportTypeOf(state) === 'type-2') return observationWindow(state) ? 'observation' : undefined;
      return 'type-1-fieldwork';
    case 'observation':
      return now >= (windowEndMs(state) ?? Infinity) ? 'fieldwork' : undefined;
    case 'type-1-fieldwork':
    case 'fieldwork':
      return status === 'reporting' || status === 'issued' || facts.report ? 'reporting' : undefined;
    case 'reporting':
      return facts.report ? 'continuous-compliance' : undefined;
    case 'continuous-compliance':
      return undefined;
  }
}

/** The window ends when its last day does (UTC). */
function windowEndMs(state: LifecycleState): number | undefined {
  const window = observationWindow(state);
  if (!window) return undefined;
  const clock = state.observationClock;
  const days = (Date.parse(window.to) - Date.parse(window.from)) / 86_400_000 + 1;
  return clock
    ? Date.parse(clock.from) + days * clock.dayMs
    : Date.parse(`${window.to}T00:00:00Z`) + 86_400_000;
}

function bridgeLetterReminderAt(state: LifecycleState, config: LifecycleConfig): number | undefined {
  const issuedAt = state.facts.report?.issuedAt;
  return issuedAt ? Date.parse(issuedAt) + config.bridgeLetterReminderAfterMs : undefined;
}

/** The facts a domain event adds, with a line for the timeline; undefined for an event that changes nothing. */
function learn(
  facts: LifecycleFacts,
  event: DomainEventSignal,
): { facts: LifecycleFacts; summary: string } | undefined {
  const data = event.data;
  switch (event.type) {
    case T.assessmentCompleted: {
      const criteria = array(data['criteria']);
      const notMet = criteria
        .filter((c) => c['conclusion'] === 'not-met')
        .map((c) => String(c['criterionId']));
      return {
        facts: {
          ...facts,
          assessmentCompletedAt: facts.assessmentCompletedAt ?? event.time,
          notMetCriteria: notMet,
        },
        summary: `readiness assessment completed${notMet.length ? `; not met: ${notMet.join(', ')}` : ''}`,
      };
    }
    case T.remediationTaskCreated: {
      if (data['priority'] !== 'critical') return undefined;
      const taskId = String(data['taskId']);
      const title = String(data['title'] ?? taskId);
      return {
        facts: { ...facts, openCriticalTasks: { ...facts.openCriticalTasks, [taskId]: title } },
        summary: `critical remediation task opened: "${title}"`,
      };
    }
    case T.remediationTaskCompleted: {
      const taskId = String(data['taskId']);
      if (!(taskId in facts.openCriticalTasks)) return undefined;
      const { [taskId]: title, ...open } = facts.openCriticalTasks;
      return {
        facts: { ...facts, openCriticalTasks: open },
        summary: `critical remediation task completed: "${title}"`,
      };
    }
    case T.controlSetCreated:
      return {
        facts: { ...facts, controlsMappedAt: facts.controlsMappedAt ?? event.time },
        summary: `control set "${String(data['name'])}" created`,
      };
    case T.controlAdopted: {
      const controlId = String(data['controlId']);
      const control = { code: String(data['code']), frequency: data['frequency'] as Frequency };
      return {
        facts: {
          ...facts,
          controlsMappedAt: facts.controlsMappedAt ?? event.time,
          controls: { ...facts.controls, [controlId]: control },
        },
        summary: `control ${control.code} adopted (${control.frequency})`,
      };
    }
    case T.controlsJoinedSet:
      return {
        facts: { ...facts, controlsMappedAt: facts.controlsMappedAt ?? event.time },
        summary: `${array(data['controls']).length} controls joined a control set`,
      };
    case T.engagementPlanned: {
      const engagement: EngagementFacts = {
        engagementId: String(data['engagementId']),
        type: data['type'] as ReportType,
        ...(typeof data['asOf'] === 'string' ? { asOf: data['asOf'] } : {}),
        ...(isWindow(data['window']) ? { window: data['window'] } : {}),
        controlIds: scopeControlIds(data['scope']),
        status: 'planned',
      };
      return { facts: { ...facts, engagement }, summary: `engagement planned: ${describeType(engagement)}` };
    }
    case T.engagementScopeChanged: {
      if (!facts.engagement || facts.engagement.engagementId !== data['engagementId']) return undefined;
      const controlIds = scopeControlIds(data['scope']);
      return {
        facts: { ...facts, engagement: { ...facts.engagement, controlIds } },
        summary: `engagement scope changed: ${controlIds.length} controls`,
      };
    }
    case T.engagementStatusChanged: {
      const to = data['to'] as EngagementFacts['status'];
      const engagement: EngagementFacts = facts.engagement
        ? { ...facts.engagement, status: to }
        : { engagementId: String(data['engagementId']), controlIds: [], status: to };
      return { facts: { ...facts, engagement }, summary: `engagement ${String(data['from'])} → ${to}` };
    }
    case T.reportIssued:
      return {
        facts: {
          ...facts,
          report: { reportId: String(data['reportId']), issuedAt: String(data['issuedAt']) },
        },
        summary: 'report issued',
      };
    case T.bridgeLetterIssued:
      return { facts: { ...facts, bridgeLetterIssuedAt: event.time }, summary: 'bridge letter issued' };
    default:
      return undefined;
  }
}

function reasonOf(event: DomainEventSignal): string {
  return `${event.type} (${event.eventId})`;
}

function describeType(choice: { type?: ReportType; asOf?: string; window?: DateWindow }): string {
  if (choice.type === 'type-1') return choice.asOf ? `Type I as of ${choice.asOf}` : 'Type I';
  if (choice.type === 'type-2')
    return choice.window ? `Type II ${choice.window.from} – ${choice.window.to}` : 'Type II';
  return 'type not stated';
}

function scopeControlIds(scope: unknown): string[] {
  const ids = (scope as { controlIds?: unknown } | undefined)?.controlIds;
  return Array.isArray(ids) ? ids.map(String) : [];
}

function array(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
}

function isWindow(value: unknown): value is DateWindow {
  const window = value as DateWindow | undefined;
  return !!window && isDate(window.from) && isDate(window.to) && window.from <= window.to;
}

export function nextPeriodStarted(state: LifecycleState, nextAuditId: string, now: number): LifecycleState {
  return withTimeline(
    { ...state, nextAuditId },
    { at: iso(now), kind: 'next-period-started', summary: `next period started: ${nextAuditId}` },
  );
}
