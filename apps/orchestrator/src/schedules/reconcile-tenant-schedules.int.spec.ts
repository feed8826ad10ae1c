import { randomUUID } from 'node:crypto';
import { Client, Connection, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { infraEndpoints } from '@attest/platform-config';
import type { ReconciledTenantSchedules } from '@attest/workflow-contracts';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '@attest/workflows/bundling';
import { lifecycleActivities } from '../activities/lifecycle-activities';
import { recordAuditPeriod, setUpAuditPeriods } from '../bridge/audit-periods';
import type { SystemCall } from '../system-api/system-api-client';
import { untilTenantSchedulesListed } from '../testing/tenant-schedules-listed';
import { knownTenants } from './known-tenants';
import { RECONCILE_SCHEDULE_ID, reconcileSchedule } from './reconcile-schedule';
import { ensureSchedule } from './ensure-schedule';
import { tenantSchedulePrefix } from './tenant-schedules';
import { evidenceStoredCollectors, tenantScheduler, type ScheduleIntervals } from './tenant-scheduler';

// Against the real dev server and PostgreSQL (infra/local), with a database, a task queue and a reconcile schedule
// of this test's own, so neither a running orchestrator nor another test sees its runs.
const run = randomUUID().slice(0, 8);
const tenant = `rc-${run}-a`;
/** Recorded too, but evidence answers 503 for it. */
const broken = `rc-${run}-b`;
const taskQueue = `reconcile-test-${run}`;
const scheduleId = `${RECONCILE_SCHEDULE_ID}-test-${run}`;
const DAY = 86_400_000;
// Long enough that no scheduled job fires during the test; the reconcile runs are triggered.
const intervals: ScheduleIntervals = {
  collectorRunMs: 7 * DAY,
  monitoringSweepMs: 7 * DAY,
  deadlineSweepMs: 7 * DAY,
};
const SCHEDULES_WITHOUT_COLLECTORS = 5; // the monitoring sweep and four deadline sweeps

describe('reconcileTenantSchedules on the dev server', () => {
  let db: TestDatabase;
  let connection: Connection;
  let native: NativeConnection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  /** The evidence service's stored collector configurations of `tenant`. */
  let stored = ['github-main'];
  const id = (job: string) => `${tenantSchedulePrefix(tenant)}${job}`;

  beforeAll(async () => {
    db = await createTestDatabase('attest_orchestrator_reconcile');
    await setUpAuditPeriods(db.pool);
    // Recorded as before schedules were switched on: periods, no schedules.
    await recordAuditPeriod(db.pool, tenant, '2025', new Date('2025-01-01T00:00:00Z'));
    await recordAuditPeriod(db.pool, tenant, '2026', new Date('2026-01-01T00:00:00Z'));
    await recordAuditPeriod(db.pool, broken, '2026', new Date('2026-01-01T00:00:00Z'));
    const { temporalAddress, temporalNamespace } = infraEndpoints();
    connection = await Connection.connect({ address: temporalAddress });
    native = await NativeConnection.connect({ address: temporalAddress });
    client = new Client({ connection, namespace: temporalNamespace });
    const services = {
      call: async <T>(_service: string, tenantId: string, _call: SystemCall): Promise<T> => {
        if (tenantId === broken) throw new Error('evidence answered 503');
        return { collectors: stored.map((collectorId) => ({ collectorId })) } as T;
      },
    };
    worker = await Worker.create({
      connection: native,
      namespace: temporalNamespace,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      bundlerOptions: workflowBundlerOptions(),
      activities: lifecycleActivities({
        recorder: { record: async () => ({ eventId: 'unused' }) },
        services,
        temporal: client,
        taskQueue,
        recordPeriod: async () => undefined,
        scheduleTenant: tenantScheduler(client, evidenceStoredCollectors(services), intervals, taskQueue),
        knownTenants: knownTenants(db.pool),
      }),
    });
    running = worker.run();
    await ensureSchedule(client, reconcileSchedule(DAY, taskQueue, scheduleId));
  });

  afterAll(async () => {
    await client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    for await (const s of client.schedule.list({ query: `AttestTenantId = '${tenant}'` }))
      await client.schedule
        .getHandle(s.scheduleId)
        .delete()
        .catch(() => undefined);
    for (const job of ['collector-github-main', 'collector-okta'])
      await client.schedule
        .getHandle(id(job))
        .delete()
        .catch(() => undefined);
    worker?.shutdown();
    await running;
    await native?.close();
    await connection?.close();
    await db?.drop();
  });

  /** Triggers the reconcile schedule once and waits for the run's counts. */
  async function reconcileOnce(): Promise<ReconciledTenantSchedules> {
    const handle = client.schedule.getHandle(scheduleId);
    const before = (await handle.describe()).info.recentActions.length;
    await handle.trigger();
    const deadline = Date.now() + 15_000;
    for (;;) {
      const actions = (await handle.describe()).info.recentActions;
      const started = actions.length > before ? actions[actions.length - 1] : undefined;
      if (started?.action.type === 'startWorkflow') {
        const { workflowId, firstExecutionRunId } = started.action.workflow;
        return client.workflow.getHandle(workflowId, firstExecutionRunId).result();
      }
      if (Date.now() > deadline) throw new Error('the triggered reconcile run did not start in 15s');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('pages through the tenants with a recorded period, each once', async () => {
    const page = knownTenants(db.pool);
    expect(await page(undefined, 1)).toEqual([tenant]);
    expect(await page(tenant, 10)).toEqual([broken]);
    expect(await page(broken, 10)).toEqual([]);
  });

  it('is a schedule that skips an overlapping run and starts the reconcile workflow on the queue', async () => {
    const described = await client.schedule.getHandle(scheduleId).describe();
    expect(described.spec.intervals).toMatchObject([{ every: DAY }]);
    expect(described.policies).toMatchObject({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: DAY });
    expect(described.action).toMatchObject({ workflowType: 'reconcileTenantSchedules', taskQueue });
  });

  it('schedules a tenant recorded without schedules, and counts the one evidence failed for', async () => {
    await expect(client.schedule.getHandle(id('monitoring-sweep')).describe()).rejects.toBeInstanceOf(
      ScheduleNotFoundError,
    );

    expect(await reconcileOnce()).toEqual({
      tenants: 2,
      created: 1 + SCHEDULES_WITHOUT_COLLECTORS,
      updated: 0,
      deleted: 0,
      failed: 1,
    });
    const collector = await client.schedule.getHandle(id('collector-github-main')).describe();
    expect(collector.action).toMatchObject({
      workflowType: 'collectorRun',
      args: [{ tenantId: tenant, collectorId: 'github-main' }],
      taskQueue,
    });
    await client.schedule.getHandle(id('monitoring-sweep')).describe();
  });

  it('at the next run, schedules a collector configuration stored since', async () => {
    stored = ['github-main', 'okta'];

    expect(await reconcileOnce()).toMatchObject({
      created: 1,
      updated: 1 + SCHEDULES_WITHOUT_COLLECTORS,
      deleted: 0,
    });
    const okta = await client.schedule.getHandle(id('collector-okta')).describe();
    expect(okta.spec.intervals).toMatchObject([{ every: intervals.collectorRunMs }]);
  });

  it('at the next run, deletes the schedule of a collector configuration removed since', async () => {
    await untilTenantSchedulesListed(client, tenant, 2 + SCHEDULES_WITHOUT_COLLECTORS);
    stored = ['okta'];

    expect(await reconcileOnce()).toMatchObject({
      created: 0,
      updated: 1 + SCHEDULES_WITHOUT_COLLECTORS,
      deleted: 1,
    });
    await expect(client.schedule.getHandle(id('collector-github-main')).describe()).rejects.toBeInstanceOf(
      ScheduleNotFoundError,
    );
    await client.schedule.getHandle(id('collector-okta')).describe();
  });
});
