import { auditRequestDecider, type AuditRequestCommand } from './audit-request-decider';
import { checkedSpec, CONTROL_A, dana, ENGAGEMENT, priya, sweep, T0, T1 } from './decider-test-support';
import type { AuditRequestEvent, EvidenceRef, RequestCreated } from './engagement-events';
import {
  bridgeLetterRequestId,
  controlRequestId,
  missedOccurrenceId,
  missedOccurrenceRequestId,
} from './engagement-ids';

const REQUEST = controlRequestId(ENGAGEMENT, CONTROL_A, 'config-snapshot');
const spec = checkedSpec(auditRequestDecider, REQUEST);
const fulfilment = { type: 'system' as const, id: 'system:request-fulfilment' };

const create: AuditRequestCommand = {
  type: 'CreateRequest',
  requestId: REQUEST,
  engagementId: ENGAGEMENT,
  origin: 'control',
  controlId: CONTROL_A,
  evidenceType: 'config-snapshot',
  title: 'Database connection logging',
  description: 'Configuration showing connection logging on production databases.',
  owner: { role: 'devops-lead' },
  dueOn: '2026-07-15',
  at: T0,
  actor: dana,
};
const created: RequestCreated = {
  type: 'RequestCreated',
  data: {
    engagementId: ENGAGEMENT,
    requestId: REQUEST,
    origin: 'control',
    controlId: CONTROL_A,
    evidenceType: 'config-snapshot',
    title: 'Database connection logging',
    description: 'Configuration showing connection logging on production databases.',
    owner: { role: 'devops-lead' },
    dueOn: '2026-07-15',
    createdAt: T0,
    actor: dana,
  },
};
const snapshot: EvidenceRef = { kind: 'evidence-item', id: CONTROL_A, version: 2, label: 'pg settings' };
const submit = (submittedBy: 'system' | 'person', actor = submittedBy === 'system' ? fulfilment : priya) =>
  ({
    type: 'SubmitRequest',
    requestId: REQUEST,
    evidence: [snapshot],
    submittedBy,
    at: T1,
    actor,
  }) satisfies AuditRequestCommand;
const submitted = (
  resubmission: boolean,
  submittedBy: 'system' | 'person' = 'system',
): AuditRequestEvent => ({
  type: 'RequestSubmitted',
  data: {
    engagementId: ENGAGEMENT,
    requestId: REQUEST,
    evidence: [snapshot],
    submittedBy,
    resubmission,
    submittedAt: T1,
    actor: submittedBy === 'system' ? fulfilment : priya,
  },
});
const returned: AuditRequestEvent = {
  type: 'RequestReturned',
  data: {
    engagementId: ENGAGEMENT,
    requestId: REQUEST,
    comment: 'From before the window.',
    returnedAt: T1,
    actor: dana,
  },
};
const accepted: AuditRequestEvent = {
  type: 'RequestAccepted',
  data: { engagementId: ENGAGEMENT, requestId: REQUEST, acceptedAt: T1, actor: dana },
};
const overdue = (at: string): AuditRequestCommand => ({
  type: 'MarkRequestOverdue',
  requestId: REQUEST,
  at,
  actor: sweep,
});

describe('audit requests', () => {
  it('creates a request once: generating the list again finds it', () => {
    spec.given([]).when(create).then([created]);
    spec.given([created]).when(create).then([]);
    spec
      .given([])
      .when({ ...create, dueOn: '15/07/2026' })
      .thenRefuses('invalid-due-date');
    spec
      .given([])
      .when({ ...create, origin: 'sample' })
      .thenRefuses('invalid-request');
    spec
      .given([])
      .when({ ...create, title: '' })
      .thenRefuses('text-required');
  });

  it('marks what the system raised a request for: a missed occurrence with the occurrence, a bridge letter', () => {
    const observation = { type: 'system' as const, id: 'system:observation' };
    const MISSED = missedOccurrenceRequestId(ENGAGEMENT, CONTROL_A, '2026-03-31');
    const { evidenceType: _type, ...ordinary } = create;
    checkedSpec(auditRequestDecider, MISSED)
      .given([])
      .when({
        ...ordinary,
        requestId: MISSED,
        occurrenceId: missedOccurrenceId('2026-03-31'),
        raisedFor: 'missed-occurrence',
        missedOccurrence: { dueOn: '2026-03-31', frequency: 'quarterly' },
        actor: observation,
      })
      .then([
        {
          type: 'RequestCreated',
          data: {
            engagementId: ENGAGEMENT,
            requestId: MISSED,
            origin: 'control',
            controlId: CONTROL_A,
            occurrenceId: 'missed:2026-03-31',
            raisedFor: 'missed-occurrence',
            missedOccurrence: { dueOn: '2026-03-31', frequency: 'quarterly' },
            title: create.title,
            description: create.description,
            owner: { role: 'devops-lead' },
            dueOn: '2026-07-15',
            createdAt: T0,
            actor: observation,
          },
        },
      ]);

    const lifecycle = { type: 'system' as const, id: 'system:audit-lifecycle' };
    const LETTER = bridgeLetterRequestId(ENGAGEMENT, '2026-06-30');
    const { controlId: _control, ...engagementWide } = ordinary;
    checkedSpec(auditRequestDecider, LETTER)
      .given([])
      .when({
        ...engagementWide,
        requestId: LETTER,
        origin: 'auditor',
        raisedFor: 'bridge-letter',
        owner: {},
        actor: lifecycle,
      })
      .then([
        {
          type: 'RequestCreated',
          data: {
            engagementId: ENGAGEMENT,
            requestId: LETTER,
            origin: 'auditor',
            raisedFor: 'bridge-letter',
            title: create.title,
            description: create.description,
            owner: {},
            dueOn: '2026-07-15',
            createdAt: T0,
            actor: lifecycle,
          },
        },
      ]);
  });

  it('refuses a raised request without its occurrence, of another origin, or an occurrence on another request', () => {
    const missed = { dueOn: '2026-03-31', frequency: 'quarterly' as const };
    for (const wrong of [
      { raisedFor: 'missed-occurrence' as const },
      { raisedFor: 'missed-occurrence' as const, missedOccurrence: { ...missed, dueOn: '31/03/2026' } },
      {
        raisedFor: 'missed-occurrence' as const,
        missedOccurrence: { ...missed, frequency: 'hourly' as never },
      },
      { raisedFor: 'bridge-letter' as const },
      { raisedFor: 'bridge-letter' as const, origin: 'auditor' as const, missedOccurrence: missed },
      { missedOccurrence: missed },
      { raisedFor: 'reminder' as never },
    ])
      spec
        .given([])
        .when({ ...create, ...wrong })
        .thenRefuses('invalid-request');
  });

  it('is answered by the system with evidence it holds, accepted, and then takes no more answers', () => {
    spec
      .given([created])
      .when(submit('system'))
      .then([submitted(false)]);
    spec
      .given([created, submitted(false)])
      .when(submit('system'))
      .then([]);
    spec
      .given([created, submitted(false)])
      .when(submit('person'))
      .thenRefuses('request-not-open');
    spec
      .given([created, submitted(false)])
      .when({ type: 'AcceptRequest', requestId: REQUEST, at: T1, actor: dana })
      .then([accepted]);
    spec
      .given([created, submitted(false), accepted])
      .when({ type: 'AcceptRequest', requestId: REQUEST, at: T1, actor: dana })
      .thenRefuses('request-not-submitted');
    spec
      .given([created])
      .when({ ...submit('person'), evidence: [] })
      .thenRefuses('evidence-required');
  });

  it('goes back to the company when returned with a comment, and the next answer is a resubmission by a person', () => {
    const returnIt: AuditRequestCommand = {
      type: 'ReturnRequest',
      requestId: REQUEST,
      comment: 'From before the window.',
      at: T1,
      actor: dana,
    };
    spec
      .given([created, submitted(false)])
      .when(returnIt)
      .then([returned]);
    spec.given([created]).when(returnIt).thenRefuses('request-not-submitted');
    spec
      .given([created, submitted(false)])
      .when({ ...returnIt, comment: ' ' })
      .thenRefuses('text-required');
    // The system's evidence did not satisfy the auditor: it does not answer with it again.
    spec
      .given([created, submitted(false), returned])
      .when(submit('system'))
      .then([]);
    spec
      .given([created, submitted(false), returned])
      .when(submit('person'))
      .then([submitted(true, 'person')]);
  });

  it('is reported overdue once per due date, only while it waits for an answer', () => {
    const raised: AuditRequestEvent = {
      type: 'RequestOverdue',
      data: {
        engagementId: ENGAGEMENT,
        requestId: REQUEST,
        dueOn: '2026-07-15',
        overdueAt: '2026-07-16T00:05:00.000Z',
        actor: sweep,
      },
    };
    spec.given([created]).when(overdue('2026-07-15T23:59:59.000Z')).then([]);
    spec.given([created]).when(overdue('2026-07-16T00:05:00.000Z')).then([raised]);
    spec.given([created, raised]).when(overdue('2026-07-17T00:05:00.000Z')).then([]);
    spec
      .given([created, submitted(false)])
      .when(overdue('2026-07-16T00:05:00.000Z'))
      .then([]);
    spec
      .given([created, submitted(false), returned])
      .when(overdue('2026-07-16T00:05:00.000Z'))
      .then([raised]);
  });

  it('takes comments in any status, and refuses a request the engagement does not have', () => {
    const comment: AuditRequestCommand = {
      type: 'CommentOnRequest',
      requestId: REQUEST,
      comment: 'Which databases are in scope?',
      at: T1,
      actor: dana,
    };
    spec
      .given([created, submitted(false), accepted])
      .when(comment)
      .then([
        {
          type: 'RequestCommented',
          data: {
            engagementId: ENGAGEMENT,
            requestId: REQUEST,
            comment: 'Which databases are in scope?',
            commentedAt: T1,
            actor: dana,
          },
        },
      ]);
    spec.given([]).when(comment).thenRefuses('request-not-found');
    spec.given([]).when(submit('system')).thenRefuses('request-not-found');
  });
});
