import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Kafka } from 'kafkajs';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { ATTEST_PRODUCER_CONFIG, silentLogger } from '@attest/messaging';
import {
  cleanUpKafka,
  contractExample,
  freshName,
  freshTopic,
  publishedRecord,
  testKafka,
  waitFor,
} from '@attest/messaging/testing';
import { infraEndpoints } from '@attest/platform-config';
import type { RecordLifecycleEventInput } from '@attest/workflow-contracts';
import { type DomainEventSignal, LIFECYCLE_EVENT_TYPES, phaseQuery, timelineQuery } from '@attest/workflows';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '@attest/workflows/bundling';
import { tenantScheduler, tenantSchedules, type ScheduleIntervals } from '../schedules';
import { AUDIT_PERIODS_TABLE, recordAuditPeriod, setUpAuditPeriods } from './audit-periods';
import { LifecycleBridge } from './lifecycle-bridge';

// Against the real servers (infra/local): Kafka, PostgreSQL, and the Temporal dev server with a worker running the
// real auditLifecycle on a task queue of this test's own, its activities stubbed (no service is called).
const tenantId = `bridge-${randomUUID().slice(0, 8)}`;
const taskQueue = `lifecycle-bridge-test-${tenantId}`;
const topic = freshTopic('bridge');
const assessmentCompleted = LIFECYCLE_EVENT_TYPES.assessmentCompleted;
// A week: no schedule comes due while the test runs (the worker has no activity for the jobs).
const WEEK = 7 * 86_400_000;
const intervals: ScheduleIntervals = { collectorRunMs: WEEK, monitoringSweepMs: WEEK, deadlineSweepMs: WEEK };

describe('Kafka → Temporal lifecycle bridge (real Kafka, PostgreSQL and Temporal dev server)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let connection: Connection;
  let client: Client;
  let workerConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const bridges: LifecycleBridge[] = [];
  const groups: string[] = [];
  const recorded: RecordLifecycleEventInput[] = [];
  /** The tenants whose stored collector configurations were read: each one scheduled. */
  const collectorReads: string[] = [];
  /** The bridge as deployed: one group on the topic, for the whole file. */
  let main: { bridge: LifecycleBridge; groupId: string };

  const startBridge = async () => {
    const groupId = freshName('attest.orchestrator.bridge-test');
    groups.push(groupId);
    const bridge = new LifecycleBridge({
      pool: db.pool,
      temporal: client,
      kafka,
      taskQueue,
      subscriptions: [{ groupId, topic }],
      logger: silentLogger,
      scheduleTenant: tenantScheduler(
        client,
        async (t) => {
          collectorReads.push(t);
          return ['github-main'];
        },
        intervals,
        taskQueue,
      ),
    });
    bridges.push(bridge);
    await bridge.start();
    return { bridge, groupId };
  };

  const publish = async (eventId: string, ceType: string, data: Record<string, unknown> = {}) => {
    const producer = kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: [
          publishedRecord({ topic, tenantId, ceType, data: contractExample(ceType, data), eventId }).message,
        ],
      });
    } finally {
      await producer.disconnect();
    }
  };

  /** The `domainEvent` signals in the workflow's history (every run: a run continued as new has its own). */
  const domainEventSignals = async (workflowId: string): Promise<DomainEventSignal[]> => {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap(({ workflowExecutionSignaledEventAttributes: a }) =>
      a?.signalName === 'domainEvent' && a.input?.payloads?.length
        ? [defaultPayloadConverter.fromPayload<DomainEventSignal>(a.input.payloads[0])]
        : [],
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase('attest_orchestrator_bridge');
    // As the orchestrator module does before its bridge starts.
    await setUpAuditPeriods(db.pool);
    kafka = testKafka('attest-orchestrator-bridge-test');
    const { temporalAddress, temporalNamespace } = infraEndpoints();
    connection = await Connection.connect({ address: temporalAddress });
    client = new Client({ connection, namespace: temporalNamespace });
    workerConnection = await NativeConnection.connect({ address: temporalAddress });
    worker = await Worker.create({
      connection: workerConnection,
      namespace: temporalNamespace,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      bundlerOptions: workflowBundlerOptions(),
      activities: {
        async recordLifecycleEvent(input: RecordLifecycleEventInput) {
          recorded.push(input);
          return { eventId: `${input.workflowId}:${input.step}` };
        },
      },
    });
    running = worker.run();
  }, 180_000);

  afterAll(async () => {
    for (const b of bridges) await b.stop();
    for (const { scheduleId } of plannedSchedules())
      await client?.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
    for (const period of ['2026', '2027', '2028'])
      await client?.workflow
        .getHandle(`audit-${tenantId}-${period}`)
        .terminate('lifecycle bridge test done')
        .catch(() => undefined);
    worker?.shutdown();
    await running;
    await workerConnection?.close();
    await connection?.close();
    if (kafka) await cleanUpKafka(kafka, [topic], groups);
    await db?.drop();
  });

  it('signals-with-start the tenant’s current audit once for a record delivered twice (same ce_id)', async () => {
    main = await startBridge();
    const { bridge, groupId } = main;
    const eventId = randomUUID();
    // The relay publishes a record again when it dies between Kafka's ack and marking it published.
    await publish(eventId, assessmentCompleted);
    await publish(eventId, assessmentCompleted);
    await waitFor('the bridge to take both records', () => {
      const s = bridge.stats()[groupId];
      return s.handled === 1 && s.duplicates === 1;
    });

    // Started by the signal, in the period of the event's year (no period recorded yet), on the test's queue.
    const workflowId = `audit-${tenantId}-2026`;
    const signals = await domainEventSignals(workflowId);
    expect(signals).toEqual([
      expect.objectContaining({
        eventId,
        type: assessmentCompleted,
        tenantId,
        time: '2026-03-02T10:00:00.000Z',
      }),
    ]);
    const periods = await db.pool.query(`SELECT period FROM ${AUDIT_PERIODS_TABLE} WHERE tenant_id = $1`, [
      tenantId,
    ]);
    expect(periods.rows).toEqual([{ period: '2026' }]);
    // The workflow took it: one entry of that event in its timeline, and the assessment moved it on.
    const handle = client.workflow.getHandle(workflowId);
    const timeline = await waitFor('the workflow to take the event', async () => {
      const entries = await handle.query(timelineQuery);
      return entries.some((e) => e.eventId === eventId) ? entries : null;
    });
    expect(timeline.filter((e) => e.eventId === eventId)).toHaveLength(1);
    expect((await handle.query(phaseQuery)).phase).not.toBe('readiness');
  });

  it('creates the tenant’s Temporal Schedules with its first lifecycle event, from its stored collectors', async () => {
    expect(collectorReads).toEqual([tenantId]);
    for (const planned of plannedSchedules()) {
      const schedule = await client.schedule.getHandle(planned.scheduleId).describe();
      expect(schedule.action).toMatchObject({
        workflowType: planned.action.workflowType,
        args: planned.action.args,
        taskQueue,
      });
      expect(schedule.spec.intervals).toMatchObject([{ every: WEEK }]);
    }
    expect(plannedSchedules().map((p) => p.action.workflowType)).toContain('collectorRun');
  });

  it('leaves it to the workflow when a signal gets through twice (a try whose commit failed): counted once', async () => {
    const workflowId = `audit-${tenantId}-2026`;
    const [first] = await domainEventSignals(workflowId);
    // A group with an inbox of its own stands in for the try whose transaction did not commit: it signals again.
    const { bridge, groupId } = await startBridge();
    await waitFor('the second group to take the record', () => bridge.stats()[groupId].handled >= 1);
    await bridge.stop();
    const signals = await domainEventSignals(workflowId);
    expect(signals.filter((s) => s.eventId === first.eventId)).toHaveLength(2);
    const timeline = await client.workflow.getHandle(workflowId).query(timelineQuery);
    expect(timeline.filter((e) => e.eventId === first.eventId)).toHaveLength(1);
  });

  it('never reopens a closed lifecycle, and signals the period recorded as started next', async () => {
    const { bridge, groupId } = main;
    const closed = client.workflow.getHandle(`audit-${tenantId}-2026`);
    await closed.terminate('period closed by the test');
    const closedRun = (await closed.describe()).runId;

    const late = randomUUID();
    await publish(late, LIFECYCLE_EVENT_TYPES.assessmentCompleted);
    await waitFor('the bridge to take the late event', () => bridge.stats()[groupId].handled >= 2);
    const afterLate = await closed.describe();
    expect(afterLate).toMatchObject({ runId: closedRun, status: { name: 'TERMINATED' } });
    expect((await domainEventSignals(closed.workflowId)).map((s) => s.eventId)).not.toContain(late);

    // As startNextPeriod records it when a period hands over.
    await recordAuditPeriod(db.pool, tenantId, '2027', new Date());
    const next = randomUUID();
    await publish(next, LIFECYCLE_EVENT_TYPES.assessmentCompleted);
    await waitFor('the bridge to take the next period’s event', () => bridge.stats()[groupId].handled >= 3);
    expect((await domainEventSignals(`audit-${tenantId}-2027`)).map((s) => s.eventId)).toEqual([next]);
    // Only the tenant's first event scheduled it (the next period's schedules are startNextPeriod's).
    expect(collectorReads).toEqual([tenantId]);
  });

  it('signals an engagement’s events to the period it was planned in, also after the next period started', async () => {
    const { bridge, groupId } = main;
    const handled = bridge.stats()[groupId].handled;
    const engagementId = randomUUID();
    const planned = randomUUID();
    await publish(planned, LIFECYCLE_EVENT_TYPES.engagementPlanned, { engagementId });
    await waitFor('the bridge to take the engagement', () => bridge.stats()[groupId].handled > handled);
    // The report hands the tenant over to its next period; the bridge letter issued afterwards bridges the audit
    // the report closed, so it must reach that one, while a new engagement belongs to the new period.
    await recordAuditPeriod(db.pool, tenantId, '2028', new Date());
    const letter = randomUUID();
    const nextEngagement = randomUUID();
    await publish(letter, LIFECYCLE_EVENT_TYPES.bridgeLetterIssued, { engagementId });
    await publish(nextEngagement, LIFECYCLE_EVENT_TYPES.engagementPlanned, { engagementId: randomUUID() });
    await waitFor('the bridge to take both', () => bridge.stats()[groupId].handled >= handled + 3);

    const planning = (await domainEventSignals(`audit-${tenantId}-2027`)).map((s) => s.eventId);
    expect(planning).toEqual(expect.arrayContaining([planned, letter]));
    expect(planning).not.toContain(nextEngagement);
    expect((await domainEventSignals(`audit-${tenantId}-2028`)).map((s) => s.eventId)).toEqual([
      nextEngagement,
    ]);
  });
});

/** The schedules the tenant's first event creates: its one stored collector, the sweeps. */
function plannedSchedules() {
  return tenantSchedules(
    tenantId,
    {
      collectors: [{ collectorId: 'github-main', every: WEEK }],
      monitoringSweepEvery: WEEK,
      deadlineSweepEvery: WEEK,
    },
    taskQueue,
  );
}
