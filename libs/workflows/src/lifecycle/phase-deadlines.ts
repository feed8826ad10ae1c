import type { ExtendDeadlineInput, Phase } from '../lifecycle-contract';
import { PHASES } from '../lifecycle-contract';
import type {
  LifecycleConfig,
  LifecycleEffect,
  LifecycleState,
  PhaseDeadline,
  Transition,
} from './lifecycle-state';
import { withTimeline } from './lifecycle-state';

/**
 * Deadlines per phase: set when a phase is entered (from the configured duration, or an extension granted ahead),
 * a reminder `reminderBefore` the due time, an escalation at it. Pure: the workflow asks when to wake next and
 * hands the clock back in.
 */

/** The deadline a phase gets when it is entered: an extension granted ahead of time wins over the configuration. */
export function deadlineOnEntry(
  state: LifecycleState,
  phase: Phase,
  now: number,
  config: LifecycleConfig,
): PhaseDeadline | undefined {
  const granted = state.deadlines[phase];
  if (granted?.extension && granted.status === 'pending') return granted;
  const within = config.phaseDeadlineMs[phase];
  return within === undefined ? undefined : { dueAt: iso(now + within), status: 'pending' };
}

/** The previous phase's deadline once the phase is left: met unless it was already missed. */
export function closeDeadline(deadline: PhaseDeadline | undefined): PhaseDeadline | undefined {
  if (!deadline || deadline.status === 'missed') return deadline;
  return { ...deadline, status: 'met' };
}

/** When the current phase's deadline next needs the workflow: its reminder, then its due time. */
export function nextDeadlineWake(state: LifecycleState, config: LifecycleConfig): number | undefined {
  const deadline = state.deadlines[state.phase];
  if (!deadline) return undefined;
  const due = Date.parse(deadline.dueAt);
  if (deadline.status === 'pending') return due - config.reminderBeforeMs;
  if (deadline.status === 'reminded') return due;
  return undefined;
}

/** Reminds and escalates what is due at `now`; both at once when a deadline was set inside its reminder period. */
export function passDeadlines(state: LifecycleState, now: number, config: LifecycleConfig): Transition {
  const deadline = state.deadlines[state.phase];
  if (!deadline) return { state, effects: [] };
  const due = Date.parse(deadline.dueAt);
  const effects: LifecycleEffect[] = [];
  let next = state;
  let status = deadline.status;
  if (status === 'pending' && now >= due - config.reminderBeforeMs) {
    status = 'reminded';
    effects.push({ kind: 'deadline-approaching', phase: state.phase, dueAt: deadline.dueAt, at: iso(now) });
    next = withTimeline(next, {
      at: iso(now),
      kind: 'deadline-approaching',
      summary: `${state.phase} is due ${deadline.dueAt}`,
    });
  }
  if (status === 'reminded' && now >= due) {
    status = 'missed';
    effects.push({ kind: 'deadline-missed', phase: state.phase, dueAt: deadline.dueAt, at: iso(now) });
    next = withTimeline(next, {
      at: iso(now),
      kind: 'deadline-missed',
      summary: `${state.phase} missed its deadline ${deadline.dueAt}: escalated`,
    });
    next = { ...next, overdueCount: next.overdueCount + 1 };
  }
  if (status === deadline.status) return { state, effects: [] };
  return {
    state: { ...next, deadlines: { ...next.deadlines, [state.phase]: { ...deadline, status } } },
    effects,
  };
}

/** Why an extension is refused; empty when it may be granted. */
export function extensionRefusals(state: LifecycleState, input: ExtendDeadlineInput, now: number): string[] {
  const refusals: string[] = [];
  const index = PHASES.indexOf(input.phase);
  if (index < 0) refusals.push(`"${input.phase}" is not a phase`);
  else if (index < PHASES.indexOf(state.phase)) refusals.push(`phase ${input.phase} is over`);
  const dueAt = Date.parse(input.dueAt);
  if (Number.isNaN(dueAt)) refusals.push(`dueAt "${input.dueAt}" is not an ISO 8601 date-time`);
  else if (dueAt <= now) refusals.push(`dueAt ${input.dueAt} is not in the future`);
  if (!input.reason?.trim()) refusals.push('a reason is required');
  return refusals;
}

/**
 * Grants an extension, for the current phase or one still ahead. A missed deadline that is extended is no longer
 * past due, so the overdue count drops with it.
 */
export function extendDeadline(state: LifecycleState, input: ExtendDeadlineInput, now: number): Transition {
  const previous = state.deadlines[input.phase];
  const deadline: PhaseDeadline = {
    dueAt: iso(Date.parse(input.dueAt)),
    status: 'pending',
    extension: { reason: input.reason.trim(), extendedAt: iso(now) },
  };
  let next = withTimeline(
    { ...state, deadlines: { ...state.deadlines, [input.phase]: deadline } },
    {
      at: iso(now),
      kind: 'deadline-extended',
      summary: `${input.phase} now due ${deadline.dueAt}: ${input.reason.trim()}`,
    },
  );
  if (input.phase === state.phase && previous?.status === 'missed' && state.overdueCount > 0) {
    next = { ...next, overdueCount: state.overdueCount - 1 };
  }
  return { state: next, effects: [] };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
