import { deciderSpec } from '@attest/decider';
import { foldEvents } from '@attest/decider';
import type { RemediationTaskCreated, RemediationTaskEvent, RiskEvent } from './events';
import { remediationTaskDecider, type UpdateRemediationTask } from './remediation-task';
import { riskDecider, type RiskState } from './risk';
import {
  ASSESSMENT_ID,
  dana,
  expectContractValid,
  GAP_ID,
  marcus,
  priya,
  RISK_ID,
  TASK_ID,
} from './test-fixtures';

const spec = () => deciderSpec(remediationTaskDecider);
const AT = '2026-05-10T08:00:00.000Z';

const created: RemediationTaskCreated = {
  type: 'RemediationTaskCreated',
  data: {
    taskId: TASK_ID,
    assessmentId: ASSESSMENT_ID,
    gapIds: [GAP_ID],
    title: 'Close 1 gap in CC6.2 User Access',
    priority: 'critical',
    owner: marcus,
    dueDate: '2026-05-31',
    createdAt: '2026-05-01T10:00:00.000Z',
    actor: priya,
  },
};

const riskRegistered: RiskEvent = {
  type: 'RiskRegistered',
  data: {
    riskId: RISK_ID,
    title: 'Legacy consoles keep local accounts',
    description: 'Local accounts survive offboarding.',
    category: 'security',
    inherent: { likelihood: 3, impact: 5, score: 15 },
    residual: { likelihood: 2, impact: 4, score: 8 },
    treatment: 'avoid',
    treatmentRationale: 'Retire the consoles',
    linkedControlIds: [],
    owner: marcus,
    reviewDate: '2026-09-30',
    registeredAt: '2026-03-12T11:05:00.000Z',
    actor: priya,
  },
};
/** Accepted on 14 April 2026 until 1 June 2026 (the tasks complete on 10 May). */
const acceptedRisk: RiskEvent[] = [
  riskRegistered,
  {
    type: 'RiskAccepted',
    data: {
      riskId: RISK_ID,
      approver: priya,
      reason: 'Consoles are retired in Q2',
      expiresOn: '2026-06-01',
      acceptedAt: '2026-04-14T09:00:00.000Z',
      actor: priya,
    },
  },
];
const acceptanceExpired: RiskEvent = {
  type: 'RiskAcceptanceExpired',
  data: {
    riskId: RISK_ID,
    expiredOn: '2026-05-01',
    expiredAt: '2026-05-01T02:00:00.000Z',
    actor: { type: 'system', id: 'system:risk-acceptance-expiry' },
  },
};
const riskClosed: RiskEvent = {
  type: 'RiskClosed',
  data: { riskId: RISK_ID, reason: 'Consoles retired', closedAt: '2026-05-02T00:00:00.000Z', actor: priya },
};

function riskAfter(events: RiskEvent[]): RiskState {
  return foldEvents(riskDecider, events);
}

const statusChanged = (from: string, to: string, reason?: string): RemediationTaskEvent =>
  ({
    type: 'RemediationTaskStatusChanged',
    data: {
      taskId: TASK_ID,
      assessmentId: ASSESSMENT_ID,
      from,
      to,
      ...(reason ? { reason } : {}),
      changedAt: AT,
      actor: priya,
    },
  }) as RemediationTaskEvent;

const completed: RemediationTaskEvent = {
  type: 'RemediationTaskCompleted',
  data: {
    taskId: TASK_ID,
    assessmentId: ASSESSMENT_ID,
    gapIds: [GAP_ID],
    resolution: 'remediated',
    completedAt: AT,
    actor: priya,
  },
};

const update = (fields: Partial<UpdateRemediationTask>): UpdateRemediationTask => ({
  type: 'UpdateRemediationTask',
  taskId: TASK_ID,
  at: AT,
  actor: priya,
  ...fields,
});

describe('remediation task decider', () => {
  describe('UpdateRemediationTask', () => {
    it('starts work on an open task', () => {
      const events = spec()
        .given([created])
        .when(update({ status: 'in-progress' }))
        .then([statusChanged('open', 'in-progress')]);
      expectContractValid(events);
    });

    it('blocks and unblocks a task over time', () => {
      const events = spec()
        .given([created, statusChanged('open', 'in-progress')])
        .when(update({ status: 'blocked', reason: 'Waiting for the Okta contract' }))
        .then([statusChanged('in-progress', 'blocked', 'Waiting for the Okta contract')]);
      expectContractValid(events);
      spec()
        .given([created, statusChanged('open', 'in-progress'), statusChanged('in-progress', 'blocked', 'x')])
        .when(update({ status: 'in-progress' }))
        .then([statusChanged('blocked', 'in-progress')]);
    });

    it('cancels with a reason and reopens a cancelled or done task', () => {
      spec()
        .given([created])
        .when(update({ status: 'cancelled', reason: 'Covered by another task' }))
        .then([statusChanged('open', 'cancelled', 'Covered by another task')]);
      spec()
        .given([created, statusChanged('open', 'cancelled', 'dup')])
        .when(update({ status: 'open' }))
        .then([statusChanged('cancelled', 'open')]);
      const events = spec()
        .given([created, completed])
        .when(update({ status: 'open' }))
        .then([statusChanged('done', 'open')]);
      expectContractValid(events);
    });

    it('changes the owner and the due date (an internal event)', () => {
      spec()
        .given([created])
        .when(update({ owner: dana, dueDate: '2026-06-15', reason: 'Marcus is on leave' }))
        .then([
          {
            type: 'RemediationTaskReplanned',
            data: {
              taskId: TASK_ID,
              assessmentId: ASSESSMENT_ID,
              owner: dana,
              dueDate: '2026-06-15',
              reason: 'Marcus is on leave',
              replannedAt: AT,
              actor: priya,
            },
          },
        ]);
    });

    it('changes status and plan in one command, and only what differs', () => {
      spec()
        .given([created])
        .when(update({ status: 'in-progress', owner: marcus, dueDate: '2026-06-01' }))
        .then([
          statusChanged('open', 'in-progress'),
          {
            type: 'RemediationTaskReplanned',
            data: {
              taskId: TASK_ID,
              assessmentId: ASSESSMENT_ID,
              dueDate: '2026-06-01',
              replannedAt: AT,
              actor: priya,
            },
          },
        ]);
    });

    it('records nothing when nothing changes', () => {
      spec()
        .given([created])
        .when(update({ status: 'open', owner: { ...marcus }, dueDate: '2026-05-31' }))
        .then([]);
    });

    it('reopens a done task and replans it in the same command', () => {
      spec()
        .given([created, completed])
        .when(update({ status: 'open', dueDate: '2026-07-01' }))
        .then([
          statusChanged('done', 'open'),
          {
            type: 'RemediationTaskReplanned',
            data: {
              taskId: TASK_ID,
              assessmentId: ASSESSMENT_ID,
              dueDate: '2026-07-01',
              replannedAt: AT,
              actor: priya,
            },
          },
        ]);
    });

    it('refuses an unknown task', () => {
      spec()
        .given([])
        .when(update({ status: 'in-progress' }))
        .thenRefuses('task-not-found');
    });

    it('refuses transitions that skip reopening', () => {
      const err = spec()
        .given([created, completed])
        .when(update({ status: 'in-progress' }))
        .thenRefuses('invalid-status-transition');
      expect(err.details).toEqual({ from: 'done', to: 'in-progress', allowed: ['open'] });
      spec()
        .given([created, statusChanged('open', 'cancelled', 'dup')])
        .when(update({ status: 'blocked', reason: 'x' }))
        .thenRefuses('invalid-status-transition');
    });

    it('refuses to block or cancel without a reason', () => {
      spec()
        .given([created])
        .when(update({ status: 'blocked' }))
        .thenRefuses('reason-required');
      spec()
        .given([created])
        .when(update({ status: 'cancelled', reason: ' ' }))
        .thenRefuses('reason-required');
    });

    it('refuses to replan a closed task', () => {
      spec()
        .given([created, completed])
        .when(update({ owner: dana }))
        .thenRefuses('task-closed');
      spec()
        .given([created, statusChanged('open', 'cancelled', 'dup')])
        .when(update({ dueDate: '2026-09-01' }))
        .thenRefuses('task-closed');
    });
  });

  describe('CompleteRemediationTask', () => {
    it('completes the task and closes its gaps', () => {
      const events = spec()
        .given([created, statusChanged('open', 'in-progress')])
        .when({
          type: 'CompleteRemediationTask',
          taskId: TASK_ID,
          resolution: 'remediated',
          resolutionNotes: 'Quarterly access review in place',
          controlIds: ['6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f'],
          evidenceReferences: [{ kind: 'document', title: 'Q2 access review sign-off' }],
          completedAt: AT,
          actor: priya,
        })
        .then([
          {
            type: 'RemediationTaskCompleted',
            data: {
              taskId: TASK_ID,
              assessmentId: ASSESSMENT_ID,
              gapIds: [GAP_ID],
              resolution: 'remediated',
              resolutionNotes: 'Quarterly access review in place',
              controlIds: ['6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f'],
              evidenceReferences: [{ kind: 'document', title: 'Q2 access review sign-off' }],
              completedAt: AT,
              actor: priya,
            },
          },
        ]);
      expectContractValid(events);
    });

    it('completes with a risk an approver accepted', () => {
      const events = spec()
        .given([created])
        .when({
          type: 'CompleteRemediationTask',
          taskId: TASK_ID,
          resolution: 'risk-accepted',
          riskId: RISK_ID,
          risk: riskAfter(acceptedRisk),
          completedAt: AT,
          actor: priya,
        })
        .then([
          {
            type: 'RemediationTaskCompleted',
            data: {
              taskId: TASK_ID,
              assessmentId: ASSESSMENT_ID,
              gapIds: [GAP_ID],
              resolution: 'risk-accepted',
              riskId: RISK_ID,
              completedAt: AT,
              actor: priya,
            },
          },
        ]);
      expectContractValid(events);
    });

    const complete = {
      type: 'CompleteRemediationTask' as const,
      taskId: TASK_ID,
      resolution: 'remediated' as const,
      completedAt: AT,
      actor: priya,
    };

    it('refuses an unknown task', () => {
      spec().given([]).when(complete).thenRefuses('task-not-found');
    });

    it('refuses to complete twice', () => {
      spec().given([created, completed]).when(complete).thenRefuses('task-already-completed');
    });

    it('refuses to complete a cancelled task', () => {
      spec()
        .given([created, statusChanged('open', 'cancelled', 'dup')])
        .when(complete)
        .thenRefuses('task-cancelled');
    });

    it('refuses an accepted risk without naming it', () => {
      spec()
        .given([created])
        .when({ ...complete, resolution: 'risk-accepted' })
        .thenRefuses('risk-required');
    });

    const acceptingWith = (risk: RiskState | undefined) => ({
      ...complete,
      resolution: 'risk-accepted' as const,
      riskId: RISK_ID,
      ...(risk ? { risk } : {}),
    });

    it('refuses a risk the organization does not have', () => {
      spec().given([created]).when(acceptingWith(undefined)).thenRefuses('risk-not-found');
      spec().given([created]).when(acceptingWith(riskDecider.initialState())).thenRefuses('risk-not-found');
    });

    it.each([
      ['not accepted by an approver', [riskRegistered], 'not-accepted'],
      ['whose acceptance expired', [...acceptedRisk, acceptanceExpired], 'expired'],
      ['closed', [...acceptedRisk, riskClosed], 'closed'],
    ])('refuses a risk %s', (_name, history, standing) => {
      const err = spec()
        .given([created])
        .when(acceptingWith(riskAfter(history as RiskEvent[])))
        .thenRefuses('risk-not-accepted');
      expect(err.details).toEqual({ riskId: RISK_ID, standing });
    });

    it('refuses an acceptance whose expiry day has come, even before the expiry is recorded', () => {
      const err = spec()
        .given([created])
        .when({ ...acceptingWith(riskAfter(acceptedRisk)), completedAt: '2026-06-01T00:00:00.000Z' })
        .thenRefuses('risk-not-accepted');
      expect(err.details).toMatchObject({ standing: 'expired' });
    });
  });
});
