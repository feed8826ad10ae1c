import { randomUUID } from 'node:crypto';
import { Client, Connection, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { infraEndpoints } from '@attest/platform-config';
import type { LifecycleActivities } from '@attest/workflow-contracts';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '@attest/workflows/bundling';
import { untilTenantSchedulesListed } from '../testing/tenant-schedules-listed';
import { ensureTenantSchedules } from './ensure-tenant-schedules';
import { tenantScheduler } from './tenant-scheduler';
import { tenantSchedulePrefix, tenantSchedules, TenantScheduleSpec } from './tenant-schedules';

// Against the real dev server (infra/local). A queue of its own, so the orchestrator's worker, if running, never
// picks up these runs.
const tenantId = `w7-${randomUUID().slice(0, 8)}`;
const taskQueue = `schedules-test-${tenantId}`;
const first: TenantScheduleSpec = {
  collectors: [
    { collectorId: 'github-main', every: '6 hours' },
    { collectorId: 'aws-prod', every: '1 day' },
  ],
  monitoringSweepEvery: '1 hour',
  deadlineSweepEvery: '30 minutes',
};
const second: TenantScheduleSpec = {
  collectors: [{ collectorId: 'github-main', every: '12 hours' }],
  monitoringSweepEvery: '2 hours',
  deadlineSweepEvery: '20 minutes',
};

describe('ensureTenantSchedules on the dev server', () => {
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    const { temporalAddress, temporalNamespace } = infraEndpoints();
    connection = await Connection.connect({ address: temporalAddress });
    client = new Client({ connection, namespace: temporalNamespace });
  });

  afterAll(async () => {
    for await (const s of client.schedule.list({ query: `AttestTenantId = '${tenantId}'` })) {
      await client.schedule
        .getHandle(s.scheduleId)
        .delete()
        .catch(() => undefined);
    }
    await connection?.close();
  });

  it('ensured twice, keeps one schedule per job with the second interval, and drops a removed collector', async () => {
    const created = await ensureTenantSchedules(client, tenantId, first, taskQueue);
    expect(created.created).toHaveLength(7);
    await untilTenantSchedulesListed(client, tenantId, 7);

    const again = await ensureTenantSchedules(client, tenantId, second, taskQueue);

    const planned = tenantSchedules(tenantId, second, taskQueue).map((p) => p.scheduleId);
    expect(again).toEqual({
      created: [],
      updated: planned,
      deleted: [`${tenantSchedulePrefix(tenantId)}collector-aws-prod`],
    });
    await expect(client.schedule.getHandle(again.deleted[0]).describe()).rejects.toBeInstanceOf(
      ScheduleNotFoundError,
    );
    const collector = await client.schedule
      .getHandle(`${tenantSchedulePrefix(tenantId)}collector-github-main`)
      .describe();
    expect(collector.spec.intervals).toMatchObject([{ every: 12 * 3_600_000 }]);
    expect(collector.policies).toMatchObject({
      overlap: ScheduleOverlapPolicy.SKIP,
      catchupWindow: 12 * 3_600_000,
    });
    const sweep = await client.schedule
      .getHandle(`${tenantSchedulePrefix(tenantId)}deadline-sweep-auditor-engagement`)
      .describe();
    expect(sweep.spec.intervals).toMatchObject([{ every: 20 * 60_000 }]);
    expect(sweep.policies).toMatchObject({
      overlap: ScheduleOverlapPolicy.BUFFER_ONE,
      catchupWindow: 20 * 60_000,
    });
    expect(sweep.action).toMatchObject({
      workflowType: 'deadlineSweep',
      args: [{ tenantId, service: 'auditor-engagement' }],
      taskQueue,
    });
  });

  it('keeps an operator pause across an update', async () => {
    const id = `${tenantSchedulePrefix(tenantId)}monitoring-sweep`;
    await client.schedule.getHandle(id).pause('provider outage');
    await ensureTenantSchedules(client, tenantId, second, taskQueue);
    expect((await client.schedule.getHandle(id).describe()).state).toMatchObject({
      paused: true,
      note: 'provider outage',
    });
    await client.schedule.getHandle(id).unpause();
  });

  it("schedules a tenant from its stored collector configurations, at the orchestrator's intervals", async () => {
    const scheduleTenant = tenantScheduler(
      client,
      async () => ['github-main', 'okta'],
      { collectorRunMs: 4 * 3_600_000, monitoringSweepMs: 3_600_000, deadlineSweepMs: 10 * 60_000 },
      taskQueue,
    );
    const ensured = await scheduleTenant(tenantId);
    expect(ensured.created).toEqual([`${tenantSchedulePrefix(tenantId)}collector-okta`]);
    const okta = await client.schedule
      .getHandle(`${tenantSchedulePrefix(tenantId)}collector-okta`)
      .describe();
    expect(okta.spec.intervals).toMatchObject([{ every: 4 * 3_600_000 }]);
    expect(okta.action).toMatchObject({
      workflowType: 'collectorRun',
      args: [{ tenantId, collectorId: 'okta' }],
    });
  });

  it('runs the scheduled workflow, which calls its activity with the tenant and an idempotency step', async () => {
    const calls: { workflowId: string }[] = [];
    let called!: () => void;
    const activityCalled = new Promise<void>((resolve) => (called = resolve));
    const stubs: Pick<LifecycleActivities, 'runDeadlineSweep'> = {
      async runDeadlineSweep(input) {
        calls.push(input);
        called();
      },
    };
    const nativeConnection = await NativeConnection.connect({ address: infraEndpoints().temporalAddress });
    try {
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace: client.options.namespace,
        taskQueue,
        workflowsPath: WORKFLOWS_PATH,
        bundlerOptions: workflowBundlerOptions(),
        activities: stubs,
      });
      const handle = client.schedule.getHandle(`${tenantSchedulePrefix(tenantId)}deadline-sweep-readiness`);
      await worker.runUntil(async () => {
        await handle.trigger();
        await activityCalled;
        await client.workflow.getHandle(calls[0]?.workflowId).result();
      });
      expect(calls).toEqual([
        {
          tenantId,
          service: 'readiness',
          step: 'run',
          workflowId: expect.stringMatching(
            new RegExp(`^${tenantSchedulePrefix(tenantId)}deadline-sweep-readiness-`),
          ),
        },
      ]);
    } finally {
      await nativeConnection.close();
    }
  });
});
