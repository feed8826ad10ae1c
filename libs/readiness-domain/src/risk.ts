import { DomainError, type Decider } from '@attest/decider';
import { addCalendarMonths } from '@attest/deadlines';
import { dayOf } from './calendar';
import type {
  Actor,
  PlannedTreatment,
  RiskEvent,
  RiskPosition,
  RiskRating,
  RiskRegisteredData,
  RiskReviewOutcome,
} from './events';
import { DEFAULT_RISK_MATRIX, RISK_MATRIX_REFUSALS, type RiskMatrix } from './risk-matrix';
import { riskRating } from './risk-rating';
import { sameValue } from './same-value';

/** A rating as given: likelihood and impact on the organization's matrix; the score is computed. */
export interface RatingInput {
  likelihood: number;
  impact: number;
}

/**
 * How a risk is treated without an approval, with what that takes: mitigate names the controls and/or remediation
 * tasks that reduce it (at least one); transfer names who bears it (`transferredTo`) and how (`treatmentRationale`);
 * avoid says how (`treatmentRationale`). Accepting a risk is an approver's act (`AcceptRisk`).
 */
export interface TreatmentPlan {
  treatment: PlannedTreatment;
  treatmentRationale?: string;
  linkedControlIds?: string[];
  remediationTaskIds?: string[];
  transferredTo?: string;
}

/** What the service adds to a command naming remediation tasks: those of them the organization has (none: absent). */
interface KnownTasks {
  existingRemediationTaskIds?: string[];
}

/** What `RiskRegistered` records, with the ratings given as likelihood and impact on the organization's matrix. */
export interface RegisterRisk
  extends Omit<RiskRegisteredData, 'inherent' | 'residual' | keyof TreatmentPlan>, TreatmentPlan, KnownTasks {
  type: 'RegisterRisk';
  inherent: RatingInput;
  residual: RatingInput;
  /** The organization's matrix (the service loads it); absent, the default one. */
  matrix?: RiskMatrix;
}

/**
 * A documented review (who: the actor; when; outcome; notes). `unchanged` confirms the ratings; `changed` gives the
 * new inherent and/or residual rating; `closed` closes the risk (the notes say why). Every outcome but `closed` sets
 * the next review date, within 12 months.
 */
export interface ReviewRisk {
  type: 'ReviewRisk';
  riskId: string;
  outcome: RiskReviewOutcome;
  notes: string;
  nextReviewDate?: string;
  inherent?: RatingInput;
  residual?: RatingInput;
  riskAssessmentId?: string;
  reviewedAt: string;
  actor: Actor;
  /** The organization's matrix (the service loads it); absent, the default one. */
  matrix?: RiskMatrix;
}

export interface ChangeRiskTreatment extends TreatmentPlan, KnownTasks {
  type: 'ChangeRiskTreatment';
  riskId: string;
  changedAt: string;
  actor: Actor;
}

/** The actor accepts the risk: the service lets only holders of the approval permission send it. */
export interface AcceptRisk {
  type: 'AcceptRisk';
  riskId: string;
  reason: string;
  expiresOn: string;
  acceptedAt: string;
  actor: Actor;
}

/** Sent by Attest itself: an acceptance whose expiry day has come runs out (nothing happens otherwise). */
export interface ExpireRiskAcceptance {
  type: 'ExpireRiskAcceptance';
  riskId: string;
  at: string;
  actor: Actor;
}

export interface CloseRisk {
  type: 'CloseRisk';
  riskId: string;
  reason: string;
  closedAt: string;
  actor: Actor;
}

export type RiskCommand =
  RegisterRisk | ReviewRisk | ChangeRiskTreatment | AcceptRisk | ExpireRiskAcceptance | CloseRisk;

export interface RiskAcceptance {
  approver: Actor;
  reason: string;
  expiresOn: string;
  acceptedAt: string;
  /** Ran out (RiskAcceptanceExpired); an acceptance past its day also no longer holds before the sweep records it. */
  expired: boolean;
}

export type RiskState =
  | { status: 'none' }
  | {
      status: 'open' | 'closed';
      riskId: string;
      position: RiskPosition;
      treatmentRationale?: string;
      linkedControlIds: string[];
      remediationTaskIds: string[];
      transferredTo?: string;
      /** The approved acceptance; absent for a risk registered as accepted by an earlier release without approval. */
      acceptance?: RiskAcceptance;
      criteria: string[];
      reviewDate: string;
    };

type ExistingRisk = Exclude<RiskState, { status: 'none' }>;

export const RISK_REFUSALS = {
  'risk-already-registered': 409,
  'risk-not-found': 404,
  'risk-closed': 409,
  'invalid-rating': 422,
  'residual-above-inherent': 422,
  'treatment-details-required': 422,
  'unknown-remediation-tasks': 422,
  'acceptance-needs-approval': 422,
  'invalid-acceptance-expiry': 422,
  'reason-required': 422,
  'review-outcome-mismatch': 422,
  'next-review-date-required': 422,
  'invalid-next-review-date': 422,
  ...RISK_MATRIX_REFUSALS,
} as const;

/** The refusal for a risk the tenant's register does not have (no stream, or another tenant's or kind's). */
export function riskNotFound(riskId: string): DomainError {
  return new DomainError('risk-not-found', `no risk ${riskId} in the register`, { riskId });
}

/** Where a risk stands as an accepted risk on a day: what a task closed as `risk-accepted` relies on. */
export type AcceptanceStanding = 'accepted' | 'not-accepted' | 'expired' | 'closed';

export function acceptanceStanding(state: ExistingRisk, day: string): AcceptanceStanding {
  if (state.status === 'closed') return 'closed';
  const { acceptance } = state;
  if (state.position.treatment !== 'accept' || !acceptance) return 'not-accepted';
  return acceptanceHolds(acceptance, day) ? 'accepted' : 'expired';
}

/** Whether an acceptance holds on `day`: not recorded as expired, and before its expiry day. */
export function acceptanceHolds(
  acceptance: Pick<RiskAcceptance, 'expired' | 'expiresOn'>,
  day: string,
): boolean {
  return !acceptance.expired && day < acceptance.expiresOn;
}

/**
 * A risk in the register (CC3): rated inherent and residual on the organization's matrix, treated (mitigate,
 * accept with an approval until an expiry, transfer, avoid), reviewed over time, closed when it no longer applies.
 * A closed risk refuses every change.
 */
export const riskDecider: Decider<RiskCommand, RiskEvent, RiskState> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    if (command.type === 'RegisterRisk') return register(command, state);
    if (state.status === 'none') throw riskNotFound(command.riskId);
    if (command.type === 'ExpireRiskAcceptance') return expire(command, state);
    if (state.status === 'closed')
      throw new DomainError('risk-closed', `risk ${state.riskId} is closed`, { riskId: state.riskId });
    switch (command.type) {
      case 'ReviewRisk':
        return review(command, state);
      case 'ChangeRiskTreatment':
        return changeTreatment(command, state);
      case 'AcceptRisk':
        return accept(command, state);
      case 'CloseRisk':
        return [closed(state.riskId, required(command.reason, 'reason'), command.closedAt, command.actor)];
    }
  },
  evolve: (state, event) => {
    if (event.type === 'RiskRegistered') {
      const d = event.data;
      return {
        status: 'open',
        riskId: d.riskId,
        position: { inherent: d.inherent, residual: d.residual, treatment: d.treatment },
        ...(d.treatmentRationale ? { treatmentRationale: d.treatmentRationale } : {}),
        linkedControlIds: d.linkedControlIds,
        remediationTaskIds: d.remediationTaskIds ?? [],
        ...(d.transferredTo ? { transferredTo: d.transferredTo } : {}),
        criteria: d.criteria ?? [],
        reviewDate: d.reviewDate,
      };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'RiskReassessed':
        return {
          ...state,
          position: event.data.current,
          linkedControlIds: event.data.linkedControlIds,
          reviewDate: event.data.nextReviewDate,
        };
      case 'RiskTreatmentChanged': {
        const { acceptance: _dropped, treatmentRationale: _was, transferredTo: _to, ...rest } = state;
        const d = event.data;
        return {
          ...rest,
          position: { ...state.position, treatment: d.treatment },
          ...(d.treatmentRationale ? { treatmentRationale: d.treatmentRationale } : {}),
          linkedControlIds: d.linkedControlIds,
          remediationTaskIds: d.remediationTaskIds,
          ...(d.transferredTo ? { transferredTo: d.transferredTo } : {}),
        };
      }
      case 'RiskAccepted': {
        const { approver, reason, expiresOn, acceptedAt } = event.data;
        return {
          ...state,
          position: { ...state.position, treatment: 'accept' },
          acceptance: { approver, reason, expiresOn, acceptedAt, expired: false },
        };
      }
      case 'RiskAcceptanceExpired':
        return state.acceptance ? { ...state, acceptance: { ...state.acceptance, expired: true } } : state;
      case 'RiskClosed':
        return { ...state, status: 'closed' };
      case 'RiskReviewed':
        return event.data.nextReviewDate ? { ...state, reviewDate: event.data.nextReviewDate } : state;
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
 * A rating of the command on the matrix, with its score. The decider does not trust its input: a rating that is
 * missing or outside the matrix's scales is refused, never a crash.
 */
function ratingOf(
  name: 'inherent' | 'residual',
  input: RatingInput | undefined,
  matrix: RiskMatrix = DEFAULT_RISK_MATRIX,
): RiskRating {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new DomainError('invalid-rating', `the ${name} rating is missing`, { rating: name });
  try {
    return riskRating(input.likelihood, input.impact, matrix);
  } catch (err) {
    if (err instanceof RangeError)
      throw new DomainError('invalid-rating', `the ${name} rating: ${err.message}`, { rating: name });
    throw err;
  }
}

/** A text the command must carry (`what` it is), trimmed; blank is refused. */
function required(text: string | undefined, what: string): string {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (!trimmed) throw new DomainError('reason-required', `${what} is required`, { field: what });
  return trimmed;
}

/** The treatment plan as an event records it, after its rules: each treatment with what it takes. */
function plannedTreatment(
  plan: TreatmentPlan,
  existingTaskIds: readonly string[] = [],
): Required<Pick<TreatmentPlan, 'treatment' | 'linkedControlIds' | 'remediationTaskIds'>> &
  Pick<TreatmentPlan, 'treatmentRationale' | 'transferredTo'> {
  const { treatment } = plan;
  if ((treatment as string) === 'accept')
    throw new DomainError(
      'acceptance-needs-approval',
      'a risk is accepted by an approver, with a reason and an expiry (POST /v1/risks/{id}/acceptance)',
    );
  const linkedControlIds = [...new Set(plan.linkedControlIds ?? [])];
  const remediationTaskIds = [...new Set(plan.remediationTaskIds ?? [])];
  const rationale = plan.treatmentRationale?.trim() || undefined;
  const transferredTo = plan.transferredTo?.trim() || undefined;
  const missing: string[] = [];
  if (treatment === 'mitigate' && linkedControlIds.length + remediationTaskIds.length === 0)
    missing.push('linkedControlIds or remediationTaskIds');
  if (treatment === 'transfer' && !transferredTo) missing.push('transferredTo');
  if ((treatment === 'transfer' || treatment === 'avoid') && !rationale) missing.push('treatmentRationale');
  if (missing.length)
    throw new DomainError(
      'treatment-details-required',
      `to ${treatment} a risk, give ${missing.join(', ')}`,
      {
        treatment,
        missing,
      },
    );
  const unknown = remediationTaskIds.filter((id) => !existingTaskIds.includes(id));
  if (unknown.length)
    throw new DomainError(
      'unknown-remediation-tasks',
      `${unknown.length} remediation tasks are not the organization's`,
      { taskIds: unknown },
    );
  return {
    treatment,
    linkedControlIds,
    remediationTaskIds,
    ...(rationale ? { treatmentRationale: rationale } : {}),
    // Only a transfer has a party that bears the risk.
    ...(transferredTo && treatment === 'transfer' ? { transferredTo } : {}),
  };
}

function register(command: RegisterRisk, state: RiskState): RiskEvent[] {
  if (state.status !== 'none')
    throw new DomainError('risk-already-registered', `risk ${command.riskId} is already in the register`);
  const inherent = ratingOf('inherent', command.inherent, command.matrix);
  const residual = ratingOf('residual', command.residual, command.matrix);
  assertResidualWithinInherent(inherent, residual);
  const plan = plannedTreatment(command, command.existingRemediationTaskIds);
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
        treatment: plan.treatment,
        ...(plan.treatmentRationale ? { treatmentRationale: plan.treatmentRationale } : {}),
        linkedControlIds: plan.linkedControlIds,
        ...(plan.remediationTaskIds.length ? { remediationTaskIds: plan.remediationTaskIds } : {}),
        ...(plan.transferredTo ? { transferredTo: plan.transferredTo } : {}),
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

/** A next date (review, expiry) after `at`'s day and at most 12 months later. */
function withinTwelveMonths(date: string, at: string): boolean {
  const day = dayOf(at);
  return date > day && date <= addCalendarMonths(day, 12);
}

function review(command: ReviewRisk, state: ExistingRisk): RiskEvent[] {
  const notes = required(command.notes, 'notes');
  const previous = state.position;
  const current: RiskPosition = {
    inherent:
      command.inherent !== undefined
        ? ratingOf('inherent', command.inherent, command.matrix)
        : previous.inherent,
    residual:
      command.residual !== undefined
        ? ratingOf('residual', command.residual, command.matrix)
        : previous.residual,
    treatment: previous.treatment,
  };
  assertResidualWithinInherent(current.inherent, current.residual);
  const changed = !sameValue(previous, current);
  if (changed !== (command.outcome === 'changed'))
    throw new DomainError(
      'review-outcome-mismatch',
      command.outcome === 'changed'
        ? 'a review that changed the risk gives its new inherent or residual rating'
        : `a review with outcome ${command.outcome} leaves the ratings as they are`,
      { outcome: command.outcome },
    );
  const closes = command.outcome === 'closed';
  if (!closes && !command.nextReviewDate)
    throw new DomainError('next-review-date-required', 'a risk that stays open needs its next review date');
  if (!closes && !withinTwelveMonths(command.nextReviewDate as string, command.reviewedAt))
    throw new DomainError(
      'invalid-next-review-date',
      'the next review is after this one and within 12 months of it',
      { nextReviewDate: command.nextReviewDate, latest: addCalendarMonths(dayOf(command.reviewedAt), 12) },
    );
  const assessment = command.riskAssessmentId ? { riskAssessmentId: command.riskAssessmentId } : {};
  const events: RiskEvent[] = [];
  if (changed)
    events.push({
      type: 'RiskReassessed',
      data: {
        riskId: state.riskId,
        previous,
        current,
        linkedControlIds: state.linkedControlIds,
        rationale: notes,
        nextReviewDate: command.nextReviewDate as string,
        ...assessment,
        reassessedAt: command.reviewedAt,
        actor: command.actor,
      },
    });
  events.push({
    type: 'RiskReviewed',
    data: {
      riskId: state.riskId,
      reviewer: command.actor,
      outcome: command.outcome,
      notes,
      reviewedAt: command.reviewedAt,
      ...(closes ? {} : { nextReviewDate: command.nextReviewDate }),
      ...assessment,
      actor: command.actor,
    },
  });
  if (closes) events.push(closed(state.riskId, notes, command.reviewedAt, command.actor));
  return events;
}

function changeTreatment(command: ChangeRiskTreatment, state: ExistingRisk): RiskEvent[] {
  const plan = plannedTreatment(command, command.existingRemediationTaskIds);
  const current = {
    treatment: state.position.treatment,
    linkedControlIds: state.linkedControlIds,
    remediationTaskIds: state.remediationTaskIds,
    treatmentRationale: state.treatmentRationale,
    transferredTo: state.transferredTo,
  };
  if (sameValue(plan, current)) return [];
  return [
    {
      type: 'RiskTreatmentChanged',
      data: {
        riskId: state.riskId,
        previousTreatment: state.position.treatment,
        ...plan,
        changedAt: command.changedAt,
        actor: command.actor,
      },
    },
  ];
}

function accept(command: AcceptRisk, state: ExistingRisk): RiskEvent[] {
  const reason = required(command.reason, 'reason');
  if (typeof command.expiresOn !== 'string' || !withinTwelveMonths(command.expiresOn, command.acceptedAt))
    throw new DomainError(
      'invalid-acceptance-expiry',
      'an acceptance expires after the day it is given and within 12 months of it',
      { expiresOn: command.expiresOn, latest: addCalendarMonths(dayOf(command.acceptedAt), 12) },
    );
  const standing = acceptanceStanding(state, dayOf(command.acceptedAt));
  const { acceptance } = state;
  // Accepting again as it stands changes nothing; a new reason or expiry renews the acceptance.
  if (standing === 'accepted' && acceptance?.reason === reason && acceptance.expiresOn === command.expiresOn)
    return [];
  return [
    {
      type: 'RiskAccepted',
      data: {
        riskId: state.riskId,
        approver: command.actor,
        reason,
        expiresOn: command.expiresOn,
        acceptedAt: command.acceptedAt,
        actor: command.actor,
      },
    },
  ];
}

function expire(command: ExpireRiskAcceptance, state: ExistingRisk): RiskEvent[] {
  const { acceptance } = state;
  if (state.status === 'closed' || state.position.treatment !== 'accept' || !acceptance || acceptance.expired)
    return [];
  if (dayOf(command.at) < acceptance.expiresOn) return [];
  return [
    {
      type: 'RiskAcceptanceExpired',
      data: {
        riskId: state.riskId,
        expiredOn: acceptance.expiresOn,
        expiredAt: command.at,
        actor: command.actor,
      },
    },
  ];
}

function closed(riskId: string, reason: string, closedAt: string, actor: Actor): RiskEvent {
  return { type: 'RiskClosed', data: { riskId, reason, closedAt, actor } };
}

/** Whether a review changed the ratings or the treatment (not only confirmed them). */
export function positionChanged(previous: RiskPosition, current: RiskPosition): boolean {
  return !sameValue(previous, current);
}
