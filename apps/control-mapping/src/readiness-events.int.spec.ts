import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { controlSetIdFor } from '@attest/control-mapping-domain';
import { topicFor } from '@attest/event-contracts';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { ATTEST_PRODUCER_CONFIG, consumerLag, messagingOf } from '@attest/messaging';
import {
  cleanUpKafka,
  freshName,
  freshTopic,
  readUntil,
  testKafka,
  topicEnds,
  waitFor,
  type SeenRecord,
  type TopicOffsets,
} from '@attest/messaging/testing';
import { gapIdentified, publish, taskCompleted } from './testing/readiness-events';
import {
  ACME,
  startControlMapping,
  USERS,
  type RunningControlMapping,
  type UserClient,
} from './testing/control-mapping-test-app';

const CONTROL_MAPPING_TOPIC = topicFor('control-mapping');

// Real servers, and for the cross-service test a second service to start: longer than the workspace default.
jest.setTimeout(180_000);

/**
 * Readiness events published to Kafka (a fresh topic standing in for attest.readiness.events.v1, a fresh consumer
 * group) reach control-mapping: gaps become proposed controls, completed remediation moves adopted controls to
 * in-progress; redeliveries and a restart have no second effect.
 */
describe('control-mapping consuming readiness events (Kafka + PostgreSQL)', () => {
  const tenant = ACME;
  const topic = freshTopic('readiness');
  const groupId = freshName('attest.control-mapping.readiness-events-test');
  const assessmentId = randomUUID();
  const gap = { g1: randomUUID(), g2: randomUUID(), g3: randomUUID(), g4: randomUUID() };
  const task = { t1: randomUUID(), t2: randomUUID(), t3: randomUUID() };
  const ids: Record<string, string> = {};
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;
  let service: RunningControlMapping;
  let api: UserClient;
  /** Where control-mapping's shared topic ended before this test: earlier runs' records are not read again. */
  let publishedFrom: TopicOffsets;
  const g1EventId = randomUUID();
  const t1EventId = randomUUID();

  const start = async () => {
    service = await startControlMapping({ pool: db.pool, messaging: { groupId, readinessTopic: topic } });
    api = service.as(USERS.manager);
  };
  const consumerStats = () => messagingOf(service.app, groupId).stats().consumer!;
  const countOf = async (type: string) =>
    Number(
      (await db.pool.query('SELECT count(*) AS n FROM event_store.events WHERE event_type = $1', [type]))
        .rows[0].n,
    );
  const control = async (code: string) => (await api.get(`/controls/${ids[code]}`)).body;
  const proposed = async () =>
    (await api.get('/proposed-controls')).body.items as {
      catalogControlId: string;
      gaps: { gapId: string }[];
    }[];

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_kafka');
    kafka = testKafka('control-mapping-test');
    producer = kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    publishedFrom = await topicEnds(kafka, [CONTROL_MAPPING_TOPIC]);
    await start();
    expect((await api.post('/control-sets').send({ categories: [] })).status).toBe(201);
    const adopted = await api
      .post(`/control-sets/${controlSetIdFor(tenant)}/adopt`)
      .send({ mode: 'picked', catalogControlIds: ['AC-03', 'GOV-01', 'AC-05'] });
    expect(adopted.status).toBe(201);
    for (const a of adopted.body.adopted) ids[a.code] = a.controlId;
  });

  afterAll(async () => {
    await service?.close();
    await producer?.disconnect();
    if (kafka) await cleanUpKafka(kafka, [topic, `attest.dlq.${groupId}`], [groupId]);
    await db?.drop();
  });

  it('a gap becomes proposed controls: the proposals not adopted yet, nothing adopted automatically', async () => {
    await publish(
      producer,
      gapIdentified(
        topic,
        tenant,
        {
          gapId: gap.g1,
          assessmentId,
          criterionId: 'CC6.1',
          pointOfFocusRef: 'CC6.1.4',
          proposedCatalogControlIds: ['AC-02', 'AC-03'],
        },
        g1EventId,
      ),
    );
    const items = await waitFor('AC-02 proposed', async () => {
      const list = await proposed();
      return list.some((p) => p.catalogControlId === 'AC-02') ? list : null;
    });
    expect(items).toEqual([
      expect.objectContaining({
        catalogControlId: 'AC-02',
        status: 'proposed',
        inCatalog: true,
        highestSeverity: 'high',
        gaps: [expect.objectContaining({ gapId: gap.g1, pointOfFocusRef: 'CC6.1.4' })],
      }),
    ]);
    expect((await api.get('/controls')).body.items).toHaveLength(3);
  });

  it('a completed remediation task moves the adopted controls proposed for its gaps to in-progress, as system:readiness', async () => {
    await publish(
      producer,
      taskCompleted(
        topic,
        tenant,
        {
          taskId: task.t1,
          assessmentId,
          gapIds: [gap.g1],
          resolution: 'remediated',
          completedAt: '2026-04-11T15:20:00.000Z',
        },
        t1EventId,
      ),
    );
    const ac03 = await waitFor('AC-03 in progress', async () => {
      const c = await control('AC-03');
      return c.implementation.status === 'in-progress' ? c : null;
    });
    expect(ac03.implementation).toMatchObject({
      changedAt: '2026-04-11T15:20:00.000Z',
      notes: expect.stringContaining(task.t1),
    });
    const event = await db.pool.query(
      `SELECT data, metadata FROM event_store.events WHERE stream_id = $1 AND event_type = 'ControlImplementationChanged'`,
      [ids['AC-03']],
    );
    expect(event.rows).toHaveLength(1);
    expect(event.rows[0].data).toMatchObject({
      from: 'not-started',
      to: 'in-progress',
      actor: { type: 'system', id: 'system:readiness' },
    });
    expect(event.rows[0].metadata).toMatchObject({ causationId: t1EventId });
    expect((await control('GOV-01')).implementation.status).toBe('not-started');
  });

  it('tolerates either order: a task completed before its gap arrives takes effect when the gap does', async () => {
    await publish(
      producer,
      taskCompleted(topic, tenant, {
        taskId: task.t2,
        assessmentId,
        gapIds: [gap.g2],
        resolution: 'remediated',
      }),
    );
    await waitFor('task t2 recorded', async () => (await countOf('GapRemediationRecorded')) === 2);
    expect((await control('GOV-01')).implementation.status).toBe('not-started');
    await publish(
      producer,
      gapIdentified(topic, tenant, {
        gapId: gap.g2,
        assessmentId,
        criterionId: 'CC1.1',
        pointOfFocusRef: 'CC1.1.1',
        severity: 'medium',
        proposedCatalogControlIds: ['GOV-01'],
      }),
    );
    await waitFor(
      'GOV-01 in progress',
      async () => (await control('GOV-01')).implementation.status === 'in-progress',
    );
  });

  it('accepting the risk moves nothing', async () => {
    await publish(
      producer,
      gapIdentified(topic, tenant, {
        gapId: gap.g3,
        assessmentId,
        criterionId: 'CC6.2',
        pointOfFocusRef: 'CC6.2.1',
        proposedCatalogControlIds: ['AC-05'],
      }),
      taskCompleted(topic, tenant, {
        taskId: task.t3,
        assessmentId,
        gapIds: [gap.g3],
        resolution: 'risk-accepted',
        riskId: randomUUID(),
      }),
    );
    await waitFor('task t3 recorded', async () => (await countOf('GapRemediationRecorded')) === 3);
    expect((await control('AC-05')).implementation.status).toBe('not-started');
  });

  it('a redelivered event (same ce_id) has no second effect; the same fact under a new id neither', async () => {
    const before = {
      events: await countOf('ControlImplementationChanged'),
      all: await db.pool.query('SELECT count(*) FROM event_store.events'),
    };
    const duplicates = consumerStats().duplicates;
    const handled = consumerStats().handled;
    await publish(
      producer,
      gapIdentified(
        topic,
        tenant,
        {
          gapId: gap.g1,
          assessmentId,
          criterionId: 'CC6.1',
          pointOfFocusRef: 'CC6.1.4',
          proposedCatalogControlIds: ['AC-02', 'AC-03'],
        },
        g1EventId,
      ),
      taskCompleted(
        topic,
        tenant,
        {
          taskId: task.t1,
          assessmentId,
          gapIds: [gap.g1],
          resolution: 'remediated',
          completedAt: '2026-04-11T15:20:00.000Z',
        },
        t1EventId,
      ),
    );
    await waitFor('both skipped by the inbox', () => consumerStats().duplicates >= duplicates + 2);
    // Past the inbox (a new ce_id), the same facts are recognised by the deciders and decide nothing.
    await publish(
      producer,
      taskCompleted(topic, tenant, {
        taskId: task.t1,
        assessmentId,
        gapIds: [gap.g1],
        resolution: 'remediated',
        completedAt: '2026-04-11T15:20:00.000Z',
      }),
    );
    await waitFor('the copy handled', () => consumerStats().handled >= handled + 1);
    expect(await countOf('ControlImplementationChanged')).toBe(before.events);
    expect((await db.pool.query('SELECT count(*) FROM event_store.events')).rows[0]).toEqual(
      before.all.rows[0],
    );
    expect((await proposed()).map((p) => [p.catalogControlId, p.gaps.length])).toEqual([['AC-02', 1]]);
  });

  it('a restarted service continues from its consumer offsets, inbox and projection checkpoints without double-applying', async () => {
    const counts = async () =>
      (
        await db.pool.query(
          'SELECT event_type, count(*)::int AS n FROM event_store.events GROUP BY event_type ORDER BY event_type',
        )
      ).rows;
    const checkpoints = async () =>
      (
        await db.pool.query(
          'SELECT projection, global_position FROM event_store.projection_checkpoints ORDER BY projection',
        )
      ).rows;
    await service.close();
    const before = await counts();
    // While the service is down, readiness goes on publishing.
    await publish(
      producer,
      gapIdentified(topic, tenant, {
        gapId: gap.g4,
        assessmentId,
        criterionId: 'CC8.1',
        pointOfFocusRef: 'CC8.1.1',
        severity: 'critical',
        proposedCatalogControlIds: ['CHG-01', 'AC-02'],
      }),
    );
    await start();
    const items = await waitFor('CHG-01 proposed', async () => {
      const list = await proposed();
      return list.some((p) => p.catalogControlId === 'CHG-01') ? list : null;
    });
    // Until the group has committed the end of every partition: whatever the restarted consumer was going to be
    // given again, it has been given by now.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor('the group to commit the end of the topic', async () => {
        const lag = await consumerLag(admin, groupId, [topic]);
        return lag.partitions.length > 0 && lag.total === 0;
      });
    } finally {
      await admin.disconnect();
    }
    expect(items.map((p) => [p.catalogControlId, p.gaps.map((g) => g.gapId)])).toEqual([
      ['AC-02', [gap.g4, gap.g1]],
      ['CHG-01', [gap.g4]],
    ]);
    const after = await counts();
    const delta = Object.fromEntries(
      after.map((r: { event_type: string; n: number }) => [
        r.event_type,
        r.n - (before.find((b: { event_type: string }) => b.event_type === r.event_type)?.n ?? 0),
      ]),
    );
    expect(delta).toMatchObject({
      GapProposalRecorded: 1,
      GapRemediationRecorded: 0,
      ControlImplementationChanged: 0,
      ControlAdopted: 0,
    });
    // Only the record published while it was down reached the restarted consumer: a redelivery of the earlier ones
    // (offsets lost or not committed) would count as duplicates, even though the inbox kept it from doing harm.
    expect(consumerStats()).toMatchObject({ handled: 1, duplicates: 0 });
    // The read models were not rebuilt or re-applied: one row per gap and per control.
    expect(
      Number((await db.pool.query('SELECT count(*) FROM control_mapping_read.gap_proposals')).rows[0].count),
    ).toBe(4);
    expect(
      Number((await db.pool.query('SELECT count(*) FROM control_mapping_read.controls')).rows[0].count),
    ).toBe(3);
    expect((await checkpoints()).length).toBe(4); // one per projection: controls, policies, readiness gaps, people
  });

  it('the relay publishes every control-mapping event once, including the ones caused by readiness', async () => {
    const leaving = (
      await db.pool.query<{ id: string; topic: string }>(
        'SELECT event_id::text AS id, topic FROM event_store.events WHERE topic IS NOT NULL',
      )
    ).rows;
    expect(new Set(leaving.map((e) => e.topic))).toEqual(new Set([CONTROL_MAPPING_TOPIC]));
    // This test's database holds this test's events only: its ids tell them apart from other runs' on the topic.
    const leavingIds = new Set(leaving.map((e) => e.id));
    const ours = (records: SeenRecord[]) => records.filter((r) => leavingIds.has(r.headers['ce_id']));
    // Read on to the end of the topic once all are there: a duplicate published meanwhile shows.
    const records = ours(
      await readUntil(kafka, [CONTROL_MAPPING_TOPIC], (rs) => ours(rs).length >= leavingIds.size, 60_000, {
        from: publishedFrom,
      }),
    );
    expect(records.map((r) => r.headers['ce_id']).sort()).toEqual([...leavingIds].sort());
    const changed = records.filter(
      (r) => r.headers['ce_type'] === 'io.attest.control-mapping.control-implementation-changed.v1',
    );
    expect(changed.map((r) => r.key).sort()).toEqual([ids['AC-03'], ids['GOV-01']].sort());
    expect(changed.map((r) => r.headers['ce_causationid'])).toContain(t1EventId);
  });
});
