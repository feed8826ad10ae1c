import type { DeadlineView, PhaseView } from '../lifecycle-contract';
import { PHASES } from '../lifecycle-contract';
import type { LifecycleState } from './lifecycle-state';
import { blockersOf, observationWindow, reportTypeOf } from './phase-machine';

/** What the queries answer and Temporal UI shows, read from the state. */

export function phaseView(state: LifecycleState): PhaseView {
  const reportType = reportTypeOf(state);
  const asOf = state.facts.engagement?.asOf ?? state.decision?.asOf;
  const window = observationWindow(state);
  const engagementId = state.facts.engagement?.engagementId;
  return {
    phase: state.phase,
    enteredAt: state.enteredAt,
    ...(reportType ? { reportType } : {}),
    ...(asOf ? { asOf } : {}),
    ...(window ? { window } : {}),
    ...(engagementId ? { engagementId } : {}),
    overdueCount: state.overdueCount,
  };
}

/** Deadlines in phase order: those of past phases (met or missed), the current one, and extensions granted ahead. */
export function deadlinesView(state: LifecycleState): DeadlineView[] {
  return PHASES.flatMap((phase) => {
    const deadline = state.deadlines[phase];
    return deadline ? [{ phase, ...deadline }] : [];
  });
}

/**
 * The workflow's current details in Temporal UI (Markdown): the phase, the deadline and what blocks, so an operator
 * reading a stuck audit need not decode payloads or run queries.
 */
export function currentDetails(state: LifecycleState): string {
  const view = phaseView(state);
  const deadline = state.deadlines[state.phase];
  const lines = [
    `**${state.auditId}** — phase **${state.phase}** since ${state.enteredAt}`,
    view.reportType
      ? `Report: ${view.reportType}${view.engagementId ? `, engagement ${view.engagementId}` : ''}`
      : '',
    deadline ? `Deadline: ${deadline.dueAt} (${deadline.status})` : '',
    ...blockersOf(state).map((blocker) => `- ${blocker.description}`),
  ];
  return lines.filter((line) => line !== '').join('\n');
}
