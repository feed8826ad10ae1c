import { deciderSpec } from '@attest/decider';
import {
  contractForStoreType,
  validateEventData,
  withPlaceholderTokens,
  type EventContext,
} from '@attest/event-contracts';
import { deadlineIdFor, type Deadline } from './deadline';
import { deadlineDecider, type RaiseDeadlineStage } from './deadline-decider';
import type { DeadlineEvent } from './deadline-events';
import type { DeadlineStage } from './deadline-stage';

const SWEEP = { type: 'system', id: 'system:deadline-sweep' } as const;
const task: Deadline = {
  kind: 'remediation-task',
  taskId: '4a6c8e0b-2d4f-4a6b-8c0d-1e3f5a7b9c2d',
  assessmentId: '3f1c9a52-8d4e-4b7a-9c21-5e6f7a8b9c0d',
  dueDate: '2026-04-15',
};
const deadlineId = deadlineIdFor('acme', task);

const raise = (stage: DeadlineStage, at: string, deadline: Deadline = task): RaiseDeadlineStage => ({
  type: 'RaiseDeadlineStage',
  deadlineId: deadlineIdFor('acme', deadline),
  deadline,
  stage,
  at,
  actor: SWEEP,
});

const dueSoon: DeadlineEvent = {
  type: 'RemediationTaskDueSoon',
  data: {
    deadlineId,
    taskId: task.taskId,
    assessmentId: task.assessmentId,
    dueDate: '2026-04-15',
    daysLeft: 5,
    raisedAt: '2026-04-10T06:00:00.000Z',
    actor: SWEEP,
  },
};
const overdue: DeadlineEvent = {
  type: 'RemediationTaskOverdue',
  data: {
    deadlineId,
    taskId: task.taskId,
    assessmentId: task.assessmentId,
    dueDate: '2026-04-15',
    daysOverdue: 3,
    raisedAt: '2026-04-18T06:00:00.000Z',
    actor: SWEEP,
  },
};

/** Fails unless the event, once published, is exactly its contract's payload (in the context that publishes it). */
function expectWithinContract(event: DeadlineEvent): void {
  const contexts: EventContext[] = ['readiness', 'control-mapping', 'evidence'];
  const contract = contexts.map((c) => contractForStoreType(c, event.type)).find(Boolean);
  if (!contract) throw new Error(`no contract for ${event.type}`);
  expect(contract.streamType).toBe('deadline');
  expect(validateEventData(contract.ceType, withPlaceholderTokens(contract.ceType, event.data))).toEqual([]);
}

describe('the deadline decider', () => {
  it('announces a deadline due soon with the days left, then overdue with the days past', () => {
    const [first] = deciderSpec(deadlineDecider)
      .given([])
      .when(raise('due-soon', '2026-04-10T06:00:00.000Z'))
      .then([dueSoon]);
    const [second] = deciderSpec(deadlineDecider)
      .given([dueSoon])
      .when(raise('overdue', '2026-04-18T06:00:00.000Z'))
      .then([overdue]);
    expectWithinContract(first);
    expectWithinContract(second);
  });

  it('announces each stage once: the same stage again, or an earlier one, decides nothing', () => {
    deciderSpec(deadlineDecider)
      .given([dueSoon])
      .when(raise('due-soon', '2026-04-12T06:00:00.000Z'))
      .then([]);
    deciderSpec(deadlineDecider)
      .given([dueSoon, overdue])
      .when(raise('overdue', '2026-04-20T06:00:00.000Z'))
      .then([]);
    deciderSpec(deadlineDecider)
      .given([overdue])
      .when(raise('due-soon', '2026-04-15T06:00:00.000Z'))
      .then([]);
  });

  it('announces a deadline first found past its due day as overdue alone', () => {
    deciderSpec(deadlineDecider).given([]).when(raise('overdue', '2026-04-18T06:00:00.000Z')).then([overdue]);
  });

  it('refuses a stage the due date does not support', () => {
    deciderSpec(deadlineDecider)
      .given([])
      .when(raise('overdue', '2026-04-15T23:00:00.000Z'))
      .thenRefuses('deadline-not-passed');
    deciderSpec(deadlineDecider)
      .given([])
      .when(raise('due-soon', '2026-04-16T00:00:00.000Z'))
      .thenRefuses('deadline-passed');
  });

  const others: Deadline[] = [
    { kind: 'risk-review', riskId: '7b2d4f6a-8c0e-4a1b-9d3f-5e7a9c1b3d5f', dueDate: '2026-04-15' },
    {
      kind: 'risk-assessment',
      riskAssessmentId: '5c7e9a1b-3d5f-4b7a-8c9e-1f3a5b7c9d0e',
      dueDate: '2026-04-15',
    },
    {
      kind: 'policy-review',
      policyId: '8e0a2c4d-6f8b-4d1e-9a3c-5b7d9f1a3c5e',
      version: '1.2.0',
      dueDate: '2026-04-15',
    },
    {
      kind: 'policy-acceptance',
      policyId: '8e0a2c4d-6f8b-4d1e-9a3c-5b7d9f1a3c5e',
      version: '1.2.0',
      personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c',
      dueDate: '2026-04-15T09:30:00.000Z',
    },
  ];

  it.each(others.map((d) => [d.kind, d] as const))(
    'raises %s events that are exactly their contracts, with ids only',
    (_kind, deadline) => {
      const events = [
        ...deadlineDecider.decide(raise('due-soon', '2026-04-10T06:00:00.000Z', deadline), { raised: null }),
        ...deadlineDecider.decide(raise('overdue', '2026-04-18T06:00:00.000Z', deadline), {
          raised: 'due-soon',
        }),
      ];
      expect(events.map((e) => e.data)).toEqual([
        expect.objectContaining({ dueDate: '2026-04-15', daysLeft: 5 }),
        expect.objectContaining({ dueDate: '2026-04-15', daysOverdue: 3 }),
      ]);
      events.forEach(expectWithinContract);
    },
  );

  it('raises evidence expiry events with the valid-until day, the version and the controls', () => {
    const expiry: Deadline = {
      kind: 'evidence-expiry',
      itemId: '3b8f2c1d-5e6a-4f7b-9c8d-0e1f2a3b4c5d',
      version: 2,
      controlIds: ['5c3e1a9b-7d5f-4b3a-9e1c-8f6d4b2a0c9e'],
      dueDate: '2026-04-15',
    };
    const id = deadlineIdFor('acme', expiry);
    const [expiring] = deciderSpec(deadlineDecider)
      .given([])
      .when(raise('due-soon', '2026-04-10T06:00:00.000Z', expiry))
      .then([
        {
          type: 'EvidenceExpiring',
          data: {
            deadlineId: id,
            itemId: expiry.itemId,
            version: 2,
            controlIds: expiry.controlIds,
            validUntil: '2026-04-15',
            daysLeft: 5,
            raisedAt: '2026-04-10T06:00:00.000Z',
            actor: SWEEP,
          },
        },
      ]);
    const [expired] = deadlineDecider.decide(raise('overdue', '2026-04-18T06:00:00.000Z', expiry), {
      raised: 'due-soon',
    });
    expect(expired).toMatchObject({
      type: 'EvidenceExpired',
      data: { validUntil: '2026-04-15', daysOverdue: 3 },
    });
    expect(expired.data).not.toHaveProperty('dueDate');
    expectWithinContract(expiring);
    expectWithinContract(expired);
  });
});
