import { MockActivityEnvironment } from '@temporalio/testing';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { CheckOccurrencesInput } from '@attest/workflow-contracts';
import type { SystemCall } from '../system-api/system-api-client';
import { lifecycleActivities } from './lifecycle-activities';

type Call = { service: string; tenantId: string } & SystemCall;

/** Services answering control-activity from `days` by service and control, and recording every call. */
function fakeServices(days: Record<string, Record<string, unknown[]>> = {}) {
  const calls: Call[] = [];
  return {
    calls,
    services: {
      call: async <T>(service: string, tenantId: string, call: SystemCall): Promise<T> => {
        calls.push({ service, tenantId, ...call });
        if (call.path === '/control-activity')
          return { days: days[service]?.[call.query!['controlId']!] ?? [] } as T;
        return { requestId: 'r1' } as T;
      },
    },
  };
}

function activitiesWith(services: ReturnType<typeof fakeServices>['services']) {
  return lifecycleActivities({
    recorder: { record: async () => ({ eventId: 'e1' }) },
    services,
    temporal: {} as Pick<Client, 'workflow'>,
    taskQueue: 'attest-audit-lifecycle',
    recordPeriod: async () => undefined,
    scheduleTenant: async () => undefined,
    knownTenants: async () => [],
  });
}

const step = { workflowId: 'audit-t1-2026-observation', tenantId: 't1' };

describe('lifecycle activities', () => {
  it('counts, per occurrence, the days evidence or monitoring show the control ran, heartbeating its progress', async () => {
    const { services, calls } = fakeServices({
      evidence: {
        backup: [
          { date: '2026-04-01', count: 0 },
          { date: '2026-04-02', count: 2 },
        ],
      },
      monitoring: { backup: [{ day: '2026-04-01', runs: [{}] }] },
    });
    const env = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => heartbeats.push(d));
    const input: CheckOccurrencesInput = {
      ...step,
      step: 'check-2026-04-03',
      dueOn: '2026-04-03',
      occurrences: [
        { controlId: 'backup', frequency: 'daily', from: '2026-04-01', to: '2026-04-02' },
        { controlId: 'review', frequency: 'quarterly', from: '2026-01-01', to: '2026-03-31' },
      ],
    };
    const checks = await env.run(activitiesWith(services).checkOccurrences, input);

    expect(checks).toEqual([
      { controlId: 'backup', found: 2 },
      { controlId: 'review', found: 0 },
    ]);
    expect(calls.map((c) => [c.service, c.method, c.path, c.query])).toEqual([
      ['evidence', 'GET', '/control-activity', { controlId: 'backup', from: '2026-04-01', to: '2026-04-02' }],
      [
        'monitoring',
        'GET',
        '/control-activity',
        { controlId: 'backup', from: '2026-04-01', to: '2026-04-02' },
      ],
      ['evidence', 'GET', '/control-activity', { controlId: 'review', from: '2026-01-01', to: '2026-03-31' }],
      [
        'monitoring',
        'GET',
        '/control-activity',
        { controlId: 'review', from: '2026-01-01', to: '2026-03-31' },
      ],
    ]);
    expect(heartbeats).toContainEqual([{ controlId: 'backup', found: 2 }]);
  });

  it('resumes a retried check after the occurrences its last heartbeat reported', async () => {
    const { services, calls } = fakeServices();
    const env = new MockActivityEnvironment({ heartbeatDetails: [{ controlId: 'backup', found: 1 }] });
    const checks = await env.run(activitiesWith(services).checkOccurrences, {
      ...step,
      step: 'check-2026-04-03',
      dueOn: '2026-04-03',
      occurrences: [
        { controlId: 'backup', frequency: 'daily' as const, from: '2026-04-01', to: '2026-04-02' },
        { controlId: 'review', frequency: 'quarterly' as const, from: '2026-01-01', to: '2026-03-31' },
      ],
    });
    expect(checks).toEqual([
      { controlId: 'backup', found: 1 },
      { controlId: 'review', found: 0 },
    ]);
    expect(calls.every((c) => c.query!['controlId'] === 'review')).toBe(true);
  });

  it("raises the missed occurrence in the engagement under the step's idempotency key", async () => {
    const { services, calls } = fakeServices();
    const answer = await new MockActivityEnvironment().run(
      activitiesWith(services).raiseMissedOccurrenceRequest,
      {
        ...step,
        step: 'missed-occurrence-request-2026-03-31-review',
        engagementId: 'e1',
        controlId: 'review',
        frequency: 'quarterly' as const,
        dueOn: '2026-03-31',
      },
    );
    expect(answer).toEqual({ requestId: 'r1' });
    expect(calls).toEqual([
      {
        service: 'auditor-engagement',
        tenantId: 't1',
        method: 'POST',
        path: '/engagements/e1/missed-occurrences',
        body: { controlId: 'review', frequency: 'quarterly' as const, dueOn: '2026-03-31' },
        idempotencyKey: 'audit-t1-2026-observation:missed-occurrence-request-2026-03-31-review',
      },
    ]);
  });

  it("reminds of the bridge letter in the engagement under the step's key, and without an engagement not at all", async () => {
    const { services, calls } = fakeServices();
    const remind = activitiesWith(services).issueBridgeLetterReminder;
    const reminder = { workflowId: 'audit-t1-2026', tenantId: 't1', step: 'bridge-letter-reminder' };
    await new MockActivityEnvironment().run(remind, {
      ...reminder,
      engagementId: 'e1',
      coveredUntil: '2026-03-31',
      reportIssuedAt: '2026-05-01T00:00:00.000Z',
    });
    await new MockActivityEnvironment().run(remind, {
      ...reminder,
      reportIssuedAt: '2026-05-01T00:00:00.000Z',
    });
    expect(calls).toEqual([
      {
        service: 'auditor-engagement',
        tenantId: 't1',
        method: 'POST',
        path: '/engagements/e1/bridge-letter-reminders',
        idempotencyKey: 'audit-t1-2026:bridge-letter-reminder',
      },
    ]);
  });

  it('makes the next period current, starts its lifecycle once however often the step is retried, and schedules the tenant', async () => {
    const log: string[] = [];
    let started = false;
    const activities = lifecycleActivities({
      recorder: { record: async () => ({ eventId: 'e1' }) },
      services: fakeServices().services,
      recordPeriod: async (tenantId, period) => void log.push(`period ${tenantId} ${period}`),
      scheduleTenant: async (tenantId) => void log.push(`schedules ${tenantId}`),
      knownTenants: async () => [],
      temporal: {
        workflow: {
          start: async (type: string, options: { workflowId: string; taskQueue: string }) => {
            log.push(`start ${type} ${options.workflowId} on ${options.taskQueue}`);
            if (started) throw new WorkflowExecutionAlreadyStartedError('started', options.workflowId, type);
            started = true;
          },
        },
      } as unknown as Pick<Client, 'workflow'>,
      taskQueue: 'attest-audit-lifecycle',
    });
    const input = {
      workflowId: 'audit-t1-2026',
      step: 'next-period',
      tenantId: 't1',
      period: '2027',
      input: {},
    };
    const env = new MockActivityEnvironment();

    expect(await env.run(activities.startNextPeriod, input)).toEqual({ workflowId: 'audit-t1-2027' });
    expect(await env.run(activities.startNextPeriod, input)).toEqual({ workflowId: 'audit-t1-2027' });
    expect(log).toEqual([
      'period t1 2027',
      'start auditLifecycle audit-t1-2027 on attest-audit-lifecycle',
      'schedules t1',
      'period t1 2027',
      'start auditLifecycle audit-t1-2027 on attest-audit-lifecycle',
      'schedules t1',
    ]);
  });
});
