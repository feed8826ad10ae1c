import { DomainError, type Decider } from '@attest/decider';
import type { Actor, RiskEvent, RiskPosition, RiskRating, Treatment, RiskRegisteredData } from './events';
import { riskRating } from './risk-rating';
import { sameValue } from './same-value';

/** Likelihood and impact, each 1-5; the score is computed. */
export interface RatingInput {
  likelihood: number;
  impact: number;
}

/** What `RiskRegistered` records, with the ratings given as likelihood and impact (the scores are computed). */
export interface RegisterRisk extends Omit<RiskRegisteredData, 'inherent' | 'residual'> {
  type: 'RegisterRisk';
  inherent: RatingInput;
  residual: RatingInput;
}

/** A review: what is given changes, what is left out is confirmed as it stands. */
export interface ReassessRisk {
  type: 'ReassessRisk';
  riskId: string;
  inherent?: RatingInput;
  residual?: RatingInput;
  treatment?: Treatment;
  linkedControlIds?: string[];
  rationale: string;
  nextReviewDate: string;
  riskAssessmentId?: string;
  reassessedAt: string;
  actor: Actor;
}

export type RiskCommand = RegisterRisk | ReassessRisk;

export type RiskState =
  | { status: 'none' }
  | {
      status: 'registered';
      riskId: string;
      position: RiskPosition;
      linkedControlIds: string[];
      criteria: string[];
      reviewDate: string;
    };

export const RISK_REFUSALS = {
  'risk-already-registered': 409,
  'risk-not-found': 404,
  'invalid-rating': 422,
  'residual-above-inherent': 422,
  'treatment-rationale-required': 422,
} as const;

/** The refusal for a risk the tenant's register does not have (no stream, or another tenant's or kind's). */
export function riskNotFound(riskId: string): DomainError {
  return new DomainError('risk-not-found', `no risk ${riskId} in the register`, { riskId });
}

/** A risk in the register (CC3): rated inherent and residual, treated, linked to controls, reviewed over time. */
export const riskDecider: Decider<RiskCommand, RiskEvent, RiskState> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterRisk':
        return register(command, state);
      case 'ReassessRisk':
        return reassess(command, state);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'RiskRegistered':
        return {
          status: 'registered',
          riskId: event.data.riskId,
          position: {
            inherent: event.data.inherent,
            residual: event.data.residual,
            treatment: event.data.treatment,
          },
          linkedControlIds: event.data.linkedControlIds,
          criteria: event.data.criteria ?? [],
          reviewDate: event.data.reviewDate,
        };
      case 'RiskReassessed':
        if (state.status === 'none') return state;
        return {
          ...state,
          position: event.data.current,
          linkedControlIds: event.data.linkedControlIds,
          reviewDate: event.data.nextReviewDate,
        };
    }
  },
};

/** Controls can lower a risk, never raise it: the residual score may not exceed the inherent one. */
function assertResidualWithinInherent(inherent: RiskRating, residual: RiskRating): void {
  if (residual.score > inherent.score)
    throw new DomainError(
      'residual-above-inherent',
      `the residual score (${residual.score}) exceeds the inherent score (${inherent.score})`,
      { inherent: inherent.score, residual: residual.score },
    );
}

/**
 * A rating of the command, with its score. The decider does not trust its input: a rating that is missing or not
 * two integers from 1 to 5 is refused, never a crash.
 */
function ratingOf(name: 'inherent' | 'residual', input: RatingInput | undefined): RiskRating {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new DomainError('invalid-rating', `the ${name} rating is missing`, { rating: name });
  try {
    return riskRating(input.likelihood, input.impact);
  } catch (err) {
    if (err instanceof RangeError)
      throw new DomainError('invalid-rating', `the ${name} rating: ${err.message}`, { rating: name });
    throw err;
  }
}

function register(command: RegisterRisk, state: RiskState): RiskEvent[] {
  if (state.status !== 'none')
    throw new DomainError('risk-already-registered', `risk ${command.riskId} is already in the register`);
  const inherent = ratingOf('inherent', command.inherent);
  const residual = ratingOf('residual', command.residual);
  assertResidualWithinInherent(inherent, residual);
  if (command.treatment === 'accept' && !command.treatmentRationale?.trim())
    throw new DomainError('treatment-rationale-required', 'accepting a risk needs a rationale');
  return [
    {
      type: 'RiskRegistered',
      data: {
        riskId: command.riskId,
        title: command.title,
        description: command.description,
        category: command.category,
        ...(command.threat ? { threat: command.threat } : {}),
        ...(command.vulnerability ? { vulnerability: command.vulnerability } : {}),
        inherent,
        residual,
        treatment: command.treatment,
        ...(command.treatmentRationale ? { treatmentRationale: command.treatmentRationale } : {}),
        linkedControlIds: command.linkedControlIds,
        ...(command.criteria ? { criteria: command.criteria } : {}),
        owner: command.owner,
        reviewDate: command.reviewDate,
        ...(command.riskAssessmentId ? { riskAssessmentId: command.riskAssessmentId } : {}),
        registeredAt: command.registeredAt,
        actor: command.actor,
      },
    },
  ];
}

function reassess(command: ReassessRisk, state: RiskState): RiskEvent[] {
  if (state.status === 'none') throw riskNotFound(command.riskId);
  const previous = state.position;
  const current: RiskPosition = {
    inherent: command.inherent !== undefined ? ratingOf('inherent', command.inherent) : previous.inherent,
    residual: command.residual !== undefined ? ratingOf('residual', command.residual) : previous.residual,
    treatment: command.treatment ?? previous.treatment,
  };
  assertResidualWithinInherent(current.inherent, current.residual);
  return [
    {
      type: 'RiskReassessed',
      data: {
        riskId: state.riskId,
        previous,
        current,
        linkedControlIds: command.linkedControlIds ?? state.linkedControlIds,
        rationale: command.rationale,
        nextReviewDate: command.nextReviewDate,
        ...(command.riskAssessmentId ? { riskAssessmentId: command.riskAssessmentId } : {}),
        reassessedAt: command.reassessedAt,
        actor: command.actor,
      },
    },
  ];
}

/** Whether a review changed the ratings or the treatment (not only confirmed them). */
export function positionChanged(previous: RiskPosition, current: RiskPosition): boolean {
  return !sameValue(previous, current);
}
