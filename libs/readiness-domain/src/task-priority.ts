import { SEVERITY_ORDER, worstSeverity } from './gap-severity';
import type { Severity } from './events';
import { riskLevel } from './risk-rating';

/** A risk of the register as remediation planning sees it. */
export interface RiskSignal {
  riskId: string;
  residualScore: number;
  /** The criteria the risk relates to: a task on one of them is linked to the risk. */
  criteria: readonly string[];
}

/**
 * A remediation task's priority: the severity of its worst gap, raised one level when a linked risk's residual
 * score is high (10-16) and two levels when it is critical (17-25), capped at critical. A risk is linked when it
 * names the task's criterion.
 */
export function taskPriority(
  gapSeverities: readonly Severity[],
  linkedRiskResidualScores: readonly number[],
): Severity {
  const base = worstSeverity(gapSeverities);
  if (base === undefined) throw new RangeError('a task needs at least one gap');
  let raise = 0;
  for (const score of linkedRiskResidualScores) {
    const level = riskLevel(score);
    raise = Math.max(raise, level === 'critical' ? 2 : level === 'high' ? 1 : 0);
  }
  return SEVERITY_ORDER[Math.max(0, SEVERITY_ORDER.indexOf(base) - raise)];
}

export function linkedRisks(criterionId: string, risks: readonly RiskSignal[]): RiskSignal[] {
  return risks.filter((r) => r.criteria.includes(criterionId));
}

/** Days from the assessment's completion to a task's due date, by priority. */
export const DUE_DAYS: Readonly<Record<Severity, number>> = { critical: 30, high: 60, medium: 90, low: 180 };

/** The due date (YYYY-MM-DD, UTC) of a task of this priority created at `createdAt` (ISO 8601). */
export function dueDate(createdAt: string, priority: Severity): string {
  const at = new Date(createdAt);
  if (Number.isNaN(at.getTime())) throw new RangeError(`not a time: ${createdAt}`);
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return new Date(day + DUE_DAYS[priority] * 86_400_000).toISOString().slice(0, 10);
}
