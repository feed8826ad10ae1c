import { DomainError, type Decider } from '@attest/decider';
import { addCalendarMonths } from '@attest/deadlines';
import { dayOf } from './calendar';
import type { RiskAssessmentCompletedData, RiskAssessmentEvent, Treatment } from './events';
import { DEFAULT_RISK_MATRIX, type RiskMatrix } from './risk-matrix';

/** A risk of the register as the annual assessment sees it (the service reads it from its read model). */
export interface RegisterEntry {
  riskId: string;
  status: 'open' | 'closed';
  residualScore: number;
  treatment: Treatment;
  registeredAt: string;
  /** The last documented review (RiskReviewed). */
  lastReviewedAt?: string;
  /** The last change of its ratings or treatment (a review that changed it, a treatment change, an acceptance). */
  lastChangedAt?: string;
  closedAt?: string;
}

/**
 * What `RiskAssessmentCompleted` records, but what is computed: the counts and reviewed risks (from the register),
 * the appetite (the organization's matrix) and the approver (the actor, who holds the approval permission).
 */
export interface CompleteRiskAssessment extends Omit<
  RiskAssessmentCompletedData,
  'counts' | 'byTreatment' | 'reviewedRiskIds' | 'riskAppetiteScore' | 'approvedBy' | 'approver'
> {
  type: 'CompleteRiskAssessment';
  fraudRiskNotes: string;
  significantChangesNotes: string;
  /** The whole risk register at completion, closed risks included. */
  register: RegisterEntry[];
  /** The organization's matrix, whose appetite the counts use (the service loads it); absent, the default one. */
  matrix?: RiskMatrix;
}

export type RiskAssessmentCommand = CompleteRiskAssessment;

export type RiskAssessmentState =
  | { status: 'none' }
  | { status: 'completed'; riskAssessmentId: string; completedAt: string; nextAssessmentDue: string };

export const RISK_ASSESSMENT_REFUSALS = {
  'risk-assessment-not-found': 404,
  'risk-assessment-already-completed': 409,
  'invalid-period': 422,
  'considerations-required': 422,
  'risks-not-reviewed': 422,
  'next-assessment-before-period-end': 422,
  'next-assessment-too-late': 422,
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

/** Whether an instant falls on or after the first day of the period (and so within the assessment's work). */
const since = (periodStart: string, instant: string | undefined) =>
  instant !== undefined && dayOf(instant) >= periodStart;

/**
 * What happened to the register from the start of the period until completion, from the risks' own events:
 * - reviewedRiskIds / risksReviewed: risks with a documented review (RiskReviewed) in that time, closed ones too;
 * - risksAdded: registered in that time; risksChanged: ratings or treatment changed in that time; risksClosed:
 *   closed in that time; aboveAppetite: open risks whose residual score is above the appetite;
 * - byTreatment: the open risks by their current treatment.
 */
export function summarizeRiskAssessment(
  register: readonly RegisterEntry[],
  periodStart: string,
  riskAppetiteScore: number,
): Pick<RiskAssessmentCompletedData, 'counts' | 'byTreatment' | 'reviewedRiskIds'> {
  const open = register.filter((r) => r.status === 'open');
  const byTreatment: Record<Treatment, number> = { mitigate: 0, accept: 0, transfer: 0, avoid: 0 };
  for (const r of open) byTreatment[r.treatment] += 1;
  const reviewedRiskIds = register.filter((r) => since(periodStart, r.lastReviewedAt)).map((r) => r.riskId);
  return {
    counts: {
      risksReviewed: reviewedRiskIds.length,
      risksAdded: register.filter((r) => since(periodStart, r.registeredAt)).length,
      risksChanged: register.filter((r) => since(periodStart, r.lastChangedAt)).length,
      risksClosed: register.filter((r) => r.status === 'closed' && since(periodStart, r.closedAt)).length,
      aboveAppetite: open.filter((r) => r.residualScore > riskAppetiteScore).length,
    },
    byTreatment,
    reviewedRiskIds,
  };
}

/**
 * The periodic (annual) risk assessment of CC3, recorded once when management approves it: every open risk was
 * reviewed since the period began, fraud risk (CC3.3) and significant changes (CC3.4) were considered and how is
 * written down, and the next one is due after the period and within 12 months.
 */
export const riskAssessmentDecider: Decider<RiskAssessmentCommand, RiskAssessmentEvent, RiskAssessmentState> =
  {
    initialState: () => ({ status: 'none' }),
    evolve: (_state, event) => ({
      status: 'completed',
      riskAssessmentId: event.data.riskAssessmentId,
      completedAt: event.data.completedAt,
      nextAssessmentDue: event.data.nextAssessmentDue,
    }),
    decide: (command, state) => {
      if (state.status === 'completed')
        throw new DomainError(
          'risk-assessment-already-completed',
          `risk assessment ${command.riskAssessmentId} was completed at ${state.completedAt}`,
        );
      const completedOn = dayOf(command.completedAt);
      if (command.periodEnd < command.periodStart || command.periodStart > completedOn)
        throw new DomainError('invalid-period', 'the period ends before it starts, or has not started yet', {
          periodStart: command.periodStart,
          periodEnd: command.periodEnd,
        });
      const missing = [
        ...(command.fraudRiskConsidered === true && command.fraudRiskNotes?.trim() ? [] : ['fraudRisk']),
        ...(command.significantChangesConsidered === true && command.significantChangesNotes?.trim()
          ? []
          : ['significantChanges']),
      ];
      if (missing.length)
        throw new DomainError(
          'considerations-required',
          'fraud risk (CC3.3) and significant changes (CC3.4) must be considered, with notes on how',
          { missing },
        );
      if (command.nextAssessmentDue <= command.periodEnd)
        throw new DomainError(
          'next-assessment-before-period-end',
          'the next risk assessment must be due after the period this one covers',
          { periodEnd: command.periodEnd, nextAssessmentDue: command.nextAssessmentDue },
        );
      const latest = addCalendarMonths(completedOn, 12);
      if (command.nextAssessmentDue > latest)
        throw new DomainError(
          'next-assessment-too-late',
          'the next risk assessment is due within 12 months',
          {
            nextAssessmentDue: command.nextAssessmentDue,
            latest,
          },
        );
      const notReviewed = command.register
        .filter((r) => r.status === 'open' && !since(command.periodStart, r.lastReviewedAt))
        .map((r) => r.riskId);
      if (notReviewed.length)
        throw new DomainError(
          'risks-not-reviewed',
          `every open risk needs a documented review since ${command.periodStart}; ${notReviewed.length} have none`,
          { riskIds: notReviewed },
        );
      const appetite = (command.matrix ?? DEFAULT_RISK_MATRIX).appetiteScore;
      const summary = summarizeRiskAssessment(command.register, command.periodStart, appetite);
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
            reviewedRiskIds: summary.reviewedRiskIds,
            fraudRiskConsidered: true,
            fraudRiskNotes: command.fraudRiskNotes.trim(),
            significantChangesConsidered: true,
            significantChangesNotes: command.significantChangesNotes.trim(),
            approver: command.actor,
            nextAssessmentDue: command.nextAssessmentDue,
            completedAt: command.completedAt,
            actor: command.actor,
          },
        },
      ];
    },
  };
