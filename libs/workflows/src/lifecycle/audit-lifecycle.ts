import type { LifecycleActivities } from '@attest/workflow-contracts';
import {
  AttestEngagementId,
  AttestObservationPeriodEnd,
  AttestOverdueCount,
  AttestReportType,
  AttestStage,
  AttestTenantId,
  VALIDATION_FAILURE,
} from '@attest/workflow-contracts';
import {
  msToNumber,
  type SearchAttributeUpdatePair,
  WorkflowExecutionAlreadyStartedError,
  type Duration,
} from '@temporalio/common';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  type AuditLifecycleInput,
  type AuditLifecycleResult,
  type DeadlineView,
  blockersQuery,
  chooseAuditTypeUpdate,
  deadlinesQuery,
  domainEventSignal,
  extendDeadlineUpdate,
  observationWorkflowId,
  type Phase,
  phaseQuery,
  timelineQuery,
  TYPE_II_OBSERVATION_WORKFLOW,
  type TypeIIObservationInput,
} from '../lifecycle-contract';
import type { LifecycleConfig, LifecycleEffect, LifecycleState, Transition } from './lifecycle-state';
import { withTimeline } from './lifecycle-state';
import { currentDetails, deadlinesView, phaseView } from './lifecycle-views';
import { extendDeadline, extensionRefusals, iso } from './phase-deadlines';
import {
  applyDomainEvent,
  auditTypeRefusals,
  blockersOf,
  chooseAuditType,
  isFinished,
  nextPeriodOf,
  nextPeriodStarted,
  nextWakeAt,
  observationWindow,
  observedControls,
  passTime,
  reportTypeOf,
  startLifecycle,
} from './phase-machine';

/**
 * Patch ids (`patched`) live in the histories of running audits, so like workflow ids they never change. This one
 * limits the bridge-letter reminder to Type II audits; Type I audits started before it still get the reminder.
 */
export const BRIDGE_LETTER_REMINDER_TYPE_II_ONLY = 'bridge-letter-reminder-type-ii-only';

/** Deadlines of the phases people drive, from when each is entered; an input overrides any of them. */
export const DEFAULT_PHASE_DEADLINES: Partial<Record<Phase, Duration>> = {
  readiness: '90 days',
  'control-mapping': '30 days',
  remediation: '60 days',
  'audit-type-decision': '14 days',
  'auditor-engagement': '30 days',
  'type-1-fieldwork': '30 days',
  fieldwork: '45 days',
  reporting: '30 days',
};

// Lifecycle events and the next period's start are single HTTP calls: quick retries ride out a service restart,
// a validation error (ValidationFailure, non-retryable) surfaces at once instead of retrying for hours.
const { recordLifecycleEvent, startNextPeriod, issueBridgeLetterReminder } =
  proxyActivities<LifecycleActivities>({
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: [VALIDATION_FAILURE],
    },
  });

/** What continue-as-new hands to the next run besides the unchanged input. */
interface Carried {
  state: LifecycleState;
}

/**
 * One organization's audit for one period, from readiness to continuous compliance. Domain events (signal
 * `domainEvent`) and human decisions (updates) change its state through the pure phase machine; the effects it
 * returns (lifecycle events, search attributes, the observation child, the next period) are carried out here, in
 * order, by the main loop. Timers come from the state: a deadline's reminder and escalation, the window's end.
 */
export async function auditLifecycle(input: AuditLifecycleInput): Promise<AuditLifecycleResult> {
  const config = lifecycleConfig(input);
  const carried = input.carried as Carried | undefined;
  const outbox: LifecycleEffect[] = [];
  let state: LifecycleState;
  if (carried) {
    state = carried.state;
  } else {
    const started = startLifecycle(input, Date.now(), config);
    state = started.state;
    outbox.push(...started.effects);
  }
  // Search attributes follow the state at once (also from update handlers), so an operator's list query agrees with
  // the `phase` query; only changed values are upserted.
  const upserted = new Map<string, string>();
  const syncSearchAttributes = () => {
    const changed = searchAttributesOf(state).filter(
      ({ key, value }) => upserted.get(key.name) !== JSON.stringify(value),
    );
    if (changed.length === 0) return;
    upsertSearchAttributes(changed);
    for (const { key, value } of changed) upserted.set(key.name, JSON.stringify(value));
  };
  syncSearchAttributes();
  // Bumped by every handler, so the main loop re-reads the timers an update may have moved.
  let changes = 0;
  const take = (transition: Transition) => {
    state = transition.state;
    outbox.push(...transition.effects);
    syncSearchAttributes();
    changes += 1;
  };

  setHandler(domainEventSignal, (event) => take(applyDomainEvent(state, event, Date.now(), config)));
  setHandler(
    chooseAuditTypeUpdate,
    (choice) => {
      take(chooseAuditType(state, choice, Date.now(), config));
      const decision = state.decision as NonNullable<LifecycleState['decision']>;
      return { phase: state.phase, type: decision.type, decidedAt: decision.decidedAt };
    },
    { validator: (choice) => refuseIf('AuditTypeRefused', auditTypeRefusals(state, choice)) },
  );
  setHandler(
    extendDeadlineUpdate,
    (extension) => {
      take(extendDeadline(state, extension, Date.now()));
      return deadlinesView(state).find((deadline) => deadline.phase === extension.phase) as DeadlineView;
    },
    {
      validator: (extension) =>
        refuseIf('DeadlineExtensionRefused', extensionRefusals(state, extension, Date.now())),
    },
  );
  setHandler(phaseQuery, () => phaseView(state));
  setHandler(deadlinesQuery, () => deadlinesView(state));
  setHandler(blockersQuery, () => blockersOf(state));
  setHandler(timelineQuery, () => state.timeline);

  for (;;) {
    while (outbox.length > 0) await carryOut(outbox.shift() as LifecycleEffect);
    syncSearchAttributes();
    setCurrentDetails(currentDetails(state));
    if (isFinished(state)) break;
    if (workflowInfo().continueAsNewSuggested && allHandlersFinished()) {
      await continueAsNew<typeof auditLifecycle>({ ...input, carried: { state } satisfies Carried });
    }
    const wake = nextWakeAt(state, config);
    const seen = changes;
    const woken = () => outbox.length > 0 || changes !== seen || workflowInfo().continueAsNewSuggested;
    const signalled =
      wake === undefined
        ? (await condition(woken), true)
        : await condition(woken, Math.max(wake - Date.now(), 1));
    if (!signalled) take(passTime(state, Date.now(), config));
  }
  await condition(allHandlersFinished);
  const { facts } = state;
  const reportType = reportTypeOf(state);
  return {
    auditId: state.auditId,
    ...(reportType ? { reportType } : {}),
    ...(facts.engagement ? { engagementId: facts.engagement.engagementId } : {}),
    ...(facts.report ? { reportId: facts.report.reportId } : {}),
    ...(state.nextAuditId ? { nextAuditId: state.nextAuditId } : {}),
  };

  async function carryOut(effect: LifecycleEffect): Promise<void> {
    const { auditId, tenantId, period } = state;
    const step = (name: string) => ({ workflowId: auditId, tenantId, step: name });
    switch (effect.kind) {
      case 'phase-changed':
        await recordLifecycleEvent({
          ...step(`phase-${effect.to}`),
          event: {
            type: 'AuditPhaseChanged',
            data: {
              auditId,
              tenantId,
              period,
              from: effect.from,
              to: effect.to,
              reason: effect.reason,
              changedAt: effect.at,
            },
          },
        });
        return;
      case 'decision-taken': {
        const { type, asOf, window, decidedAt } = effect.decision;
        await recordLifecycleEvent({
          ...step('decision-audit-type'),
          event: {
            type: 'AuditDecisionTaken',
            data: {
              auditId,
              tenantId,
              decision: 'audit-type',
              type,
              ...(asOf ? { asOf } : {}),
              ...(window ? { window } : {}),
              decidedAt,
              actor: effect.actor,
            },
          },
        });
        return;
      }
      case 'deadline-approaching':
        await recordLifecycleEvent({
          ...step(`deadline-approaching-${effect.phase}-${effect.dueAt}`),
          event: {
            type: 'AuditDeadlineApproaching',
            data: { auditId, tenantId, phase: effect.phase, dueAt: effect.dueAt, remindedAt: effect.at },
          },
        });
        return;
      case 'deadline-missed':
        await recordLifecycleEvent({
          ...step(`deadline-missed-${effect.phase}-${effect.dueAt}`),
          event: {
            type: 'AuditDeadlineMissed',
            data: { auditId, tenantId, phase: effect.phase, dueAt: effect.dueAt, escalatedAt: effect.at },
          },
        });
        return;
      case 'start-observation':
        return startObservation();
      case 'start-next-period': {
        const nextPeriod = nextPeriodOf(period, state.facts.report?.issuedAt ?? iso(Date.now()));
        // The next period keeps this one's settings; its own tenant and period, nothing carried.
        const { carried: _carried, tenantId: _tenantId, period: _period, ...settings } = input;
        const next = await startNextPeriod({
          ...step('start-next-period'),
          period: nextPeriod,
          input: { tenantId, period: nextPeriod, ...settings } satisfies AuditLifecycleInput,
        });
        state = nextPeriodStarted(state, next.workflowId, Date.now());
        return;
      }
      case 'remind-bridge-letter': {
        const { engagement, report } = state.facts;
        // The engagement takes a bridge letter only after a Type II report (its decider refuses one for Type I).
        // Type I audits whose history has no marker of this patch were reminded when recorded, so replay does too.
        if (reportTypeOf(state) !== 'type-2' && patched(BRIDGE_LETTER_REMINDER_TYPE_II_ONLY)) return;
        const coveredUntil = observationWindow(state)?.to ?? engagement?.asOf;
        await issueBridgeLetterReminder({
          ...step('bridge-letter-reminder'),
          ...(engagement ? { engagementId: engagement.engagementId } : {}),
          ...(report ? { reportId: report.reportId } : {}),
          ...(coveredUntil ? { coveredUntil } : {}),
          reportIssuedAt: report?.issuedAt ?? iso(Date.now()),
        });
        return;
      }
    }
  }

  /**
   * Starts the Type II observation child. ABANDON: the child checks the last due days' grace after the window, and
   * keeps running when this workflow continues-as-new or finishes first; its own id makes a second start a no-op.
   */
  async function startObservation(): Promise<void> {
    const window = observationWindow(state);
    const engagementId = state.facts.engagement?.engagementId;
    if (!window || !engagementId) return;
    const { controls, withoutFrequency } = observedControls(state);
    const childInput: TypeIIObservationInput = {
      auditId: state.auditId,
      tenantId: state.tenantId,
      engagementId,
      window,
      controls,
      graceDays: config.observationGraceDays,
      ...(state.observationClock
        ? { dayMs: state.observationClock.dayMs, playedFrom: state.observationClock.from }
        : {}),
    };
    try {
      await startChild(TYPE_II_OBSERVATION_WORKFLOW, {
        workflowId: observationWorkflowId(state.auditId),
        args: [childInput],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `Type II observation of ${controls.length} controls, ${window.from} – ${window.to}`,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    const unknown = withoutFrequency.length
      ? `; without a known frequency, not observed: ${withoutFrequency.join(', ')}`
      : '';
    state = withTimeline(state, {
      at: iso(Date.now()),
      kind: 'observation-started',
      summary: `observing ${controls.length} controls ${window.from} – ${window.to}${unknown}`,
    });
  }
}

/** The search attributes operators filter audits by, as the state stands. */
function searchAttributesOf(state: LifecycleState): SearchAttributeUpdatePair[] {
  const reportType = reportTypeOf(state);
  const engagementId = state.facts.engagement?.engagementId;
  const window = observationWindow(state);
  return [
    { key: AttestTenantId, value: state.tenantId },
    { key: AttestStage, value: state.phase },
    { key: AttestOverdueCount, value: state.overdueCount },
    ...(reportType ? [{ key: AttestReportType, value: reportType }] : []),
    ...(engagementId ? [{ key: AttestEngagementId, value: engagementId }] : []),
    // The window's last day: `AttestObservationPeriodEnd < '2027-01-01'` lists the windows ending this year.
    ...(state.observationStarted && window
      ? [{ key: AttestObservationPeriodEnd, value: new Date(`${window.to}T00:00:00Z`) }]
      : []),
  ];
}

/** The workflow input's durations in milliseconds, defaults filled in. */
function lifecycleConfig(input: AuditLifecycleInput): LifecycleConfig {
  const deadlines = { ...DEFAULT_PHASE_DEADLINES, ...input.phaseDeadlines };
  return {
    phaseDeadlineMs: Object.fromEntries(
      Object.entries(deadlines).map(([phase, within]) => [phase, msToNumber(within as Duration)]),
    ),
    reminderBeforeMs: msToNumber(input.reminderBefore ?? '7 days'),
    bridgeLetterReminderAfterMs: msToNumber(input.bridgeLetterReminderAfter ?? '90 days'),
    observationGraceDays: input.observationGraceDays ?? 5,
    ...(input.observationDayMs ? { observationDayMs: input.observationDayMs } : {}),
  };
}

/** Rejects an update with every reason at once, so the caller fixes them in one go. */
function refuseIf(type: string, refusals: string[]): void {
  if (refusals.length > 0) {
    throw ApplicationFailure.create({
      type,
      message: refusals.join('; '),
      details: refusals,
      nonRetryable: true,
    });
  }
}
