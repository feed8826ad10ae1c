import { DomainError, type Decider } from '@attest/decider';
import type { RiskAssessmentCompletedData, RiskAssessmentEvent, Treatment } from './events';
import { DEFAULT_RISK_APPETITE_SCORE } from './risk-rating';

/** A risk of the register as the annual assessment sees it (the service reads it from its read model). */
export interface RegisterEntry {
  riskId: string;
  residualScore: number;
  treatment: Treatment;
  /** The risk assessment during which the risk was registered, if any. */
  registeredInRiskAssessmentId?: string;
  /** The risk assessments during which a review changed the risk's ratings or treatment. */
  changedInRiskAssessmentIds: string[];
}

/** What `RiskAssessmentCompleted` records, but the counts (computed from the register). */
export interface CompleteRiskAssessment extends Omit<RiskAssessmentCompletedData, 'counts' | 'byTreatment'> {
  type: 'CompleteRiskAssessment';
  /** The whole risk register at completion. */
  register: RegisterEntry[];
}

export type RiskAssessmentCommand = CompleteRiskAssessment;

export type RiskAssessmentState =
  { status: 'none' } | { status: 'completed'; riskAssessmentId: string; completedAt: string };

export const RISK_ASSESSMENT_REFUSALS = {
  'risk-assessment-not-found': 404,
  'risk-assessment-already-completed': 409,
  'invalid-period': 422,
  'unknown-risks': 422,
  'risks-not-reviewed': 422,
  'next-assessment-before-period-end': 422,
} as const;

/**
 * The refusal for a risk assessment the tenant does not have. Its id may be the caller's: one taken by another
 * tenant is refused with this too (never as already completed, which would tell that the other tenant has it).
 */
export function riskAssessmentNotFound(riskAssessmentId: string): DomainError {
  return new DomainError('risk-assessment-not-found', `no risk assessment ${riskAssessmentId}`, {
    riskAssessmentId,
  });
}

/**
 * What the annual risk assessment did to the register:
 * - risksReviewed: the reviewed risks; risksAdded: risks registered during this assessment; risksChanged: risks
 *   whose ratings or treatment a review during this assessment changed; risksClosed: 0 (the register has no closing
 *   yet); aboveAppetite: risks whose residual score is above the appetite;
 * - byTreatment: every risk of the register by its current treatment.
 */
export function summarizeRiskAssessment(
  riskAssessmentId: string,
  register: readonly RegisterEntry[],
  reviewedRiskIds: readonly string[],
  riskAppetiteScore: number,
): Pick<RiskAssessmentCompletedData, 'counts' | 'byTreatment'> {
  const byTreatment: Record<Treatment, number> = { mitigate: 0, accept: 0, transfer: 0, avoid: 0 };
  for (const r of register) byTreatment[r.treatment] += 1;
  return {
    counts: {
      risksReviewed: new Set(reviewedRiskIds).size,
      risksAdded: register.filter((r) => r.registeredInRiskAssessmentId === riskAssessmentId).length,
      risksChanged: register.filter((r) => r.changedInRiskAssessmentIds.includes(riskAssessmentId)).length,
      risksClosed: 0,
      aboveAppetite: register.filter((r) => r.residualScore > riskAppetiteScore).length,
    },
    byTreatment,
  };
}

/** The periodic (annual) risk assessment of CC3, recorded once when management approves it. */
export const riskAssessmentDecider: Decider<RiskAssessmentCommand, RiskAssessmentEvent, RiskAssessmentState> =
  {
    initialState: () => ({ status: 'none' }),
    evolve: (_state, event) => ({
      status: 'completed',
      riskAssessmentId: event.data.riskAssessmentId,
      completedAt: event.data.completedAt,
    }),
    decide: (command, state) => {
      if (state.status === 'completed')
        throw new DomainError(
          'risk-assessment-already-completed',
          `risk assessment ${command.riskAssessmentId} was completed at ${state.completedAt}`,
        );
      if (command.periodEnd < command.periodStart)
        throw new DomainError('invalid-period', 'the period ends before it starts', {
          periodStart: command.periodStart,
          periodEnd: command.periodEnd,
        });
      if (command.nextAssessmentDue <= command.periodEnd)
        throw new DomainError(
          'next-assessment-before-period-end',
          'the next risk assessment must be due after the period this one covers',
          { periodEnd: command.periodEnd, nextAssessmentDue: command.nextAssessmentDue },
        );
      const known = new Set(command.register.map((r) => r.riskId));
      const reviewed = [...new Set(command.reviewedRiskIds)];
      const unknown = reviewed.filter((id) => !known.has(id));
      if (unknown.length)
        throw new DomainError('unknown-risks', `${unknown.length} reviewed risks are not in the register`, {
          riskIds: unknown,
        });
      const notReviewed = command.register.map((r) => r.riskId).filter((id) => !reviewed.includes(id));
      if (notReviewed.length)
        throw new DomainError(
          'risks-not-reviewed',
          `every register entry must be reviewed; ${notReviewed.length} were not`,
          { riskIds: notReviewed },
        );
      const appetite = command.riskAppetiteScore ?? DEFAULT_RISK_APPETITE_SCORE;
      const summary = summarizeRiskAssessment(command.riskAssessmentId, command.register, reviewed, appetite);
      return [
        {
          type: 'RiskAssessmentCompleted',
          data: {
            riskAssessmentId: command.riskAssessmentId,
            periodStart: command.periodStart,
            periodEnd: command.periodEnd,
            ...(command.methodology ? { methodology: command.methodology } : {}),
            riskAppetiteScore: appetite,
            counts: summary.counts,
            byTreatment: summary.byTreatment,
            reviewedRiskIds: reviewed,
            fraudRiskConsidered: command.fraudRiskConsidered,
            significantChangesConsidered: command.significantChangesConsidered,
            ...(command.approvedBy ? { approvedBy: command.approvedBy } : {}),
            nextAssessmentDue: command.nextAssessmentDue,
            completedAt: command.completedAt,
            actor: command.actor,
          },
        },
      ];
    },
  };
