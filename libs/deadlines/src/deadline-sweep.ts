import { deadlineIdFor, type Deadline, type DeadlineKind } from './deadline';
import type { RaiseDeadlineStage } from './deadline-decider';
import { deadlineStanding, dueSoonHorizon, type DeadlineStage } from './deadline-stage';

/** The sweep's system actor: its events name `system:deadline-sweep`. */
export const DEADLINE_SWEEP_ACTOR = 'deadline-sweep';

/** What a sweep announced: the number of events, and per kind (kinds that raised nothing are left out). */
export interface DeadlineSweepResult {
  raised: number;
  byKind: Partial<Record<DeadlineKind, number>>;
  /** Tenants whose sweep failed (the others were swept all the same; the next run tries them again); absent when none. */
  failures?: { tenantId: string; error: unknown }[];
}

/** The deadlines that are due soon or overdue at `now`, each with that stage; upcoming ones are left out. */
export function stagesReached(
  deadlines: readonly Deadline[],
  now: Date,
  dueSoonDays: number,
): { deadline: Deadline; stage: DeadlineStage }[] {
  return deadlines.flatMap((deadline) => {
    const { stage } = deadlineStanding(deadline.dueDate, now, dueSoonDays);
    return stage === 'upcoming' ? [] : [{ deadline, stage }];
  });
}

/** What a sweep needs from its service. */
export interface DeadlineSweepInput {
  tenantIds: readonly string[];
  now: Date;
  dueSoonDays: number;
  /**
   * The tenant's live deadlines (open tasks, open risks, …) as the service's read models hold them, at least those
   * due on or before `dueBy` (`dueSoonHorizon`: later ones are still upcoming and left out anyway), as they stand at
   * `now` (a person who left by then owes nothing).
   */
  deadlinesOf(tenantId: string, dueBy: string, now: Date): Promise<readonly Deadline[]>;
  /**
   * Runs the command for the tenant through the command pipeline as the sweep's system actor; answers the number of
   * events appended (0 when the stage was already raised).
   */
  raise(tenantId: string, command: Omit<RaiseDeadlineStage, 'actor'>): Promise<number>;
}

/**
 * One sweep: for each tenant, each deadline that is due soon or overdue at `now` is raised in that stage. The
 * deadline decider makes it idempotent, so a sweep may be repeated or run concurrently; one tenant after another,
 * one command at a time (a sweep is background work and must not crowd out requests).
 */
export async function sweepDeadlines(input: DeadlineSweepInput): Promise<DeadlineSweepResult> {
  const result: DeadlineSweepResult = { raised: 0, byKind: {} };
  const at = input.now.toISOString();
  const dueBy = dueSoonHorizon(input.now, input.dueSoonDays);
  for (const tenantId of input.tenantIds) {
    try {
      const deadlines = await input.deadlinesOf(tenantId, dueBy, input.now);
      for (const { deadline, stage } of stagesReached(deadlines, input.now, input.dueSoonDays)) {
        const deadlineId = deadlineIdFor(tenantId, deadline);
        const raised = await input.raise(tenantId, {
          type: 'RaiseDeadlineStage',
          deadlineId,
          deadline,
          stage,
          at,
        });
        if (raised === 0) continue;
        result.raised += raised;
        result.byKind[deadline.kind] = (result.byKind[deadline.kind] ?? 0) + raised;
      }
    } catch (error) {
      // One organization's bad record must not hold back every other organization's reminders.
      (result.failures ??= []).push({ tenantId, error });
    }
  }
  return result;
}
