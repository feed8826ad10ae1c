import { FREQUENCIES } from '@attest/catalog';
import { DomainError, optionalText, requiredText, type Decider } from '@attest/decider';
import { dayOf, isCalendarDate } from './engagement-dates';
import {
  AUDIT_REQUEST_STREAM_TYPE,
  EVIDENCE_REF_KINDS,
  REQUEST_ORIGINS,
  REQUEST_RAISED_FOR,
  type Actor,
  type AuditRequestEvent,
  type EvidenceRef,
  type OccurrenceDue,
  type OwnerRole,
  type RequestCreatedData,
  type RequestOrigin,
  type RequestRaisedFor,
} from './engagement-events';

/** open → submitted → accepted, or submitted → returned → submitted (a resubmission) → … */
export const REQUEST_STATUSES = ['open', 'submitted', 'accepted', 'returned'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export type AuditRequestState =
  | { kind: 'none' }
  | {
      kind: 'request';
      requestId: string;
      engagementId: string;
      status: RequestStatus;
      dueOn: string;
      /** The due date a RequestOverdue was raised for, if any: once per due date. */
      overdueFor: string | null;
    };

interface CommandBase {
  requestId: string;
  at: string;
  actor: Actor;
}

export type AuditRequestCommand =
  | (CommandBase & {
      type: 'CreateRequest';
      engagementId: string;
      origin: RequestOrigin;
      controlId?: string;
      evidenceType?: string;
      sampleId?: string;
      occurrenceId?: string;
      /** Absent for an ordinary request; `missed-occurrence` names the occurrence in `missedOccurrence`. */
      raisedFor?: RequestRaisedFor;
      missedOccurrence?: OccurrenceDue;
      title: string;
      description: string;
      owner: { role?: OwnerRole };
      dueOn: string;
    })
  | (CommandBase & {
      type: 'SubmitRequest';
      evidence: EvidenceRef[];
      /** `system`: the service links evidence it already holds, by itself; `person`: someone answered. */
      submittedBy: 'system' | 'person';
      note?: string;
    })
  | (CommandBase & { type: 'AcceptRequest' })
  | (CommandBase & { type: 'ReturnRequest'; comment: string })
  | (CommandBase & { type: 'MarkRequestOverdue' })
  | (CommandBase & { type: 'CommentOnRequest'; comment: string });

const TITLE_MAX = 300;
const TEXT_MAX = 4000;
const NOTE_MAX = 2000;
const LABEL_MAX = 500;
const EVIDENCE_MAX = 500;

export function requestNotFound(requestId: string): DomainError {
  return new DomainError('request-not-found', `the engagement has no request ${requestId}`, { requestId });
}

function existing(state: AuditRequestState, requestId: string) {
  if (state.kind === 'none') throw requestNotFound(requestId);
  return state;
}

function invalidRequest(message: string): DomainError {
  return new DomainError('invalid-request', message);
}

/** The origin of each kind of request the system raises: a missed occurrence's is its control's, a letter's none. */
const RAISED_FOR_ORIGIN: Record<RequestRaisedFor, RequestOrigin> = {
  'missed-occurrence': 'control',
  'bridge-letter': 'auditor',
};

/** Why the system raised the request and, for a missed occurrence (and only then), which occurrence. */
function raisedFields(
  command: Extract<AuditRequestCommand, { type: 'CreateRequest' }>,
): Pick<RequestCreatedData, 'raisedFor' | 'missedOccurrence'> {
  const { raisedFor, missedOccurrence, origin } = command;
  if (missedOccurrence && raisedFor !== 'missed-occurrence')
    throw invalidRequest("only a missed occurrence's request names the occurrence");
  if (raisedFor === undefined) return {};
  if (!REQUEST_RAISED_FOR.includes(raisedFor))
    throw invalidRequest(`unknown reason '${raisedFor}' for a request`);
  if (origin !== RAISED_FOR_ORIGIN[raisedFor])
    throw invalidRequest(`a ${raisedFor} request has origin '${RAISED_FOR_ORIGIN[raisedFor]}'`);
  if (raisedFor !== 'missed-occurrence') return { raisedFor };
  if (
    !missedOccurrence ||
    !isCalendarDate(missedOccurrence.dueOn) ||
    !FREQUENCIES.includes(missedOccurrence.frequency)
  )
    throw invalidRequest("a missed occurrence's request names the occurrence: its due day and frequency");
  return {
    raisedFor,
    missedOccurrence: { dueOn: missedOccurrence.dueOn, frequency: missedOccurrence.frequency },
  };
}

function checkedEvidence(evidence: EvidenceRef[]): EvidenceRef[] {
  if (!Array.isArray(evidence) || evidence.length === 0)
    throw new DomainError('evidence-required', 'an answer links at least one piece of evidence');
  if (evidence.length > EVIDENCE_MAX)
    throw new DomainError('evidence-required', `an answer links at most ${EVIDENCE_MAX} pieces of evidence`);
  return evidence.map((ref) => {
    if (!EVIDENCE_REF_KINDS.includes(ref.kind) || typeof ref.id !== 'string' || !ref.id)
      throw new DomainError('evidence-required', `evidence is referenced by kind and id`, { kind: ref.kind });
    return {
      kind: ref.kind,
      id: ref.id,
      ...(ref.version !== undefined ? { version: ref.version } : {}),
      label: requiredText('evidence.label', ref.label, LABEL_MAX),
      ...(ref.at ? { at: ref.at } : {}),
    };
  });
}

function decide(command: AuditRequestCommand, state: AuditRequestState): AuditRequestEvent[] {
  const { requestId, at, actor } = command;
  switch (command.type) {
    case 'CreateRequest': {
      // Generated requests have derived ids: generating the list again finds them already created.
      if (state.kind !== 'none') return [];
      const { engagementId, origin, controlId, evidenceType, sampleId, occurrenceId, owner, dueOn } = command;
      if (!REQUEST_ORIGINS.includes(origin)) throw invalidRequest(`unknown request origin '${origin}'`);
      if (origin === 'control' && !controlId)
        throw invalidRequest('a request from the list names its control');
      if (origin === 'sample' && !(sampleId && occurrenceId && controlId))
        throw invalidRequest('a request for a sample item names the control, the sample and the occurrence');
      if (!isCalendarDate(dueOn))
        throw new DomainError('invalid-due-date', 'a due date is a calendar day (YYYY-MM-DD)', { dueOn });
      return [
        {
          type: 'RequestCreated',
          data: {
            engagementId,
            requestId,
            origin,
            ...(controlId ? { controlId } : {}),
            ...(evidenceType ? { evidenceType } : {}),
            ...(sampleId ? { sampleId } : {}),
            ...(occurrenceId ? { occurrenceId } : {}),
            ...raisedFields(command),
            title: requiredText('title', command.title, TITLE_MAX).trim(),
            description: requiredText('description', command.description, TEXT_MAX),
            owner: owner?.role ? { role: owner.role } : {},
            dueOn,
            createdAt: at,
            actor,
          },
        },
      ];
    }
    case 'SubmitRequest': {
      const request = existing(state, requestId);
      // The system links evidence by itself whenever its inputs change: an answered request, or one the auditor
      // returned (the system's evidence did not satisfy them), is left to people.
      if (command.submittedBy === 'system' && request.status !== 'open') return [];
      if (request.status !== 'open' && request.status !== 'returned')
        throw new DomainError('request-not-open', `a ${request.status} request takes no answer`, {
          status: request.status,
        });
      const evidence = checkedEvidence(command.evidence);
      const note = optionalText('note', command.note, NOTE_MAX);
      return [
        {
          type: 'RequestSubmitted',
          data: {
            engagementId: request.engagementId,
            requestId,
            evidence,
            submittedBy: command.submittedBy,
            resubmission: request.status === 'returned',
            ...(note ? { note } : {}),
            submittedAt: at,
            actor,
          },
        },
      ];
    }
    case 'AcceptRequest':
    case 'ReturnRequest': {
      const request = existing(state, requestId);
      if (request.status !== 'submitted')
        throw new DomainError('request-not-submitted', `only a submitted answer is accepted or returned`, {
          status: request.status,
        });
      const { engagementId } = request;
      return command.type === 'AcceptRequest'
        ? [{ type: 'RequestAccepted', data: { engagementId, requestId, acceptedAt: at, actor } }]
        : [
            {
              type: 'RequestReturned',
              data: {
                engagementId,
                requestId,
                comment: requiredText('comment', command.comment, TEXT_MAX),
                returnedAt: at,
                actor,
              },
            },
          ];
    }
    case 'MarkRequestOverdue': {
      const request = existing(state, requestId);
      // The sweep asks for every request it finds late; one that was answered meanwhile, is not late yet, or was
      // already reported for its due date gets nothing.
      const waiting = request.status === 'open' || request.status === 'returned';
      if (!waiting || dayOf(at) <= request.dueOn || request.overdueFor === request.dueOn) return [];
      return [
        {
          type: 'RequestOverdue',
          data: {
            engagementId: request.engagementId,
            requestId,
            dueOn: request.dueOn,
            overdueAt: at,
            actor,
          },
        },
      ];
    }
    case 'CommentOnRequest': {
      const request = existing(state, requestId);
      return [
        {
          type: 'RequestCommented',
          data: {
            engagementId: request.engagementId,
            requestId,
            comment: requiredText('comment', command.comment, TEXT_MAX),
            commentedAt: at,
            actor,
          },
        },
      ];
    }
  }
}

function evolve(state: AuditRequestState, event: AuditRequestEvent): AuditRequestState {
  if (event.type === 'RequestCreated')
    return {
      kind: 'request',
      requestId: event.data.requestId,
      engagementId: event.data.engagementId,
      status: 'open',
      dueOn: event.data.dueOn,
      overdueFor: null,
    };
  if (state.kind === 'none') return state;
  switch (event.type) {
    case 'RequestSubmitted':
      return { ...state, status: 'submitted' };
    case 'RequestAccepted':
      return { ...state, status: 'accepted' };
    case 'RequestReturned':
      return { ...state, status: 'returned' };
    case 'RequestOverdue':
      return { ...state, overdueFor: event.data.dueOn };
    case 'RequestCommented':
      return state;
  }
}

/**
 * A request for evidence (stream `audit-request`, requestId): an item of the engagement's provided-by-client list.
 * It is answered with references to evidence (by the system from what the services already hold, or by a person),
 * accepted or returned with a comment by the auditor, answered again, and reported overdue once per due date while
 * it waits for an answer.
 */
export const auditRequestDecider: Decider<AuditRequestCommand, AuditRequestEvent, AuditRequestState> = {
  initialState: () => ({ kind: 'none' }),
  evolve,
  decide,
};

/** The audit request aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const auditRequestAggregate = {
  streamType: AUDIT_REQUEST_STREAM_TYPE,
  decider: auditRequestDecider,
  streamIdOf: (command: AuditRequestCommand) => command.requestId,
  notFound: requestNotFound,
};
