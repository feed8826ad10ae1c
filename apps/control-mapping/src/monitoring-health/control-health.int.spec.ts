import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { controlSetIdFor } from '@attest/control-mapping-domain';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { ATTEST_PRODUCER_CONFIG, type EncodedRecord } from '@attest/messaging';
import {
  cleanUpKafka,
  contractExample,
  freshName,
  freshTopic,
  publishedRecord,
  testKafka,
  waitFor,
} from '@attest/messaging/testing';
import { publish } from '../testing/readiness-events';
import {
  ACME,
  GLOBEX,
  startControlMapping,
  USERS,
  type RunningControlMapping,
  type UserClient,
} from '../testing/control-mapping-test-app';
import { CONTROL_HEALTH_CHANGED } from './control-health-events.listener';

jest.setTimeout(180_000);

interface MatrixControl {
  controlId: string;
  code: string;
  health: string;
}
interface Matrix {
  criteria: {
    criterion: string;
    health: string;
    controls: MatrixControl[];
    pointsOfFocus: { controls: MatrixControl[] }[];
  }[];
  summary: { health: Record<string, number> };
}

/**
 * Monitoring's ControlHealthChanged events, published to Kafka (a fresh topic standing in for
 * attest.monitoring.events.v1, a fresh consumer group), reach the coverage matrix: each control shows its health and
 * each criterion the worst of its controls'; a redelivery or a late older event changes nothing, another tenant's
 * event never shows, and `asOf` answers the health of that moment. A control's own answer shows its health too, and
 * its ETag moves with it.
 */
describe('control-mapping showing monitoring’s control health (Kafka + PostgreSQL)', () => {
  const monitoringTopic = freshTopic('monitoring');
  const monitoringGroupId = freshName('attest.control-mapping.monitoring-events-test');
  const readinessTopic = freshTopic('readiness');
  const groupId = freshName('attest.control-mapping.readiness-events-test');
  const ids: Record<string, string> = {};
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;
  let service: RunningControlMapping;
  let api: UserClient;
  /** A moment while AC-03 was failing. */
  let asOfBeforeRecovery: string;
  /** The position of acme's last control-mapping event, before any health was reported. */
  let positionBeforeHealth: string;

  const healthChanged = (
    tenantId: string,
    code: string,
    health: string,
    streamVersion: number,
    changedAt = new Date().toISOString(),
  ): EncodedRecord =>
    publishedRecord({
      topic: monitoringTopic,
      tenantId,
      ceType: CONTROL_HEALTH_CHANGED,
      data: contractExample(CONTROL_HEALTH_CHANGED, { controlId: ids[code], health, changedAt }),
      streamVersion,
    });
  const matrix = async (query = ''): Promise<Matrix> => {
    const res = await api.get(`/coverage${query}`);
    if (res.status !== 200) throw new Error(`GET /coverage: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** Each matrix control's health by code (the same control shows the same health wherever it is listed). */
  const healthByCode = (m: Matrix) => {
    const seen: Record<string, Set<string>> = {};
    for (const c of m.criteria.flatMap((r) => [...r.controls, ...r.pointsOfFocus.flatMap((p) => p.controls)]))
      (seen[c.code] ??= new Set()).add(c.health);
    return Object.fromEntries(Object.entries(seen).map(([code, h]) => [code, [...h].join('|')]));
  };
  const criteriaOf = (m: Matrix, code: string) =>
    m.criteria.filter((r) => r.controls.some((c) => c.code === code));
  const waitForHealth = (what: string, expected: Record<string, string>) =>
    waitFor(what, async () => {
      const m = await matrix();
      const h = healthByCode(m);
      return Object.entries(expected).every(([code, health]) => h[code] === health) ? m : null;
    });

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_health');
    kafka = testKafka('control-mapping-health-test');
    producer = kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    service = await startControlMapping({
      pool: db.pool,
      messaging: { groupId, readinessTopic, monitoringGroupId, monitoringTopic, relay: false },
    });
    api = service.as(USERS.manager);
    expect((await api.post('/control-sets').send({ categories: [] })).status).toBe(201);
    const adopted = await api
      .post(`/control-sets/${controlSetIdFor(ACME)}/adopt`)
      .send({ mode: 'picked', catalogControlIds: ['AC-03', 'GOV-01', 'AC-05'] });
    expect(adopted.status).toBe(201);
    for (const a of adopted.body.adopted) ids[a.code] = a.controlId;
  });

  afterAll(async () => {
    await service?.close();
    await producer?.disconnect();
    if (kafka)
      await cleanUpKafka(
        kafka,
        [monitoringTopic, readinessTopic, `attest.dlq.${monitoringGroupId}`, `attest.dlq.${groupId}`],
        [monitoringGroupId, groupId],
      );
    await db?.drop();
  });

  it('shows every control and criterion as unknown before monitoring assessed anything', async () => {
    const m = await matrix();
    expect(healthByCode(m)).toEqual({ 'AC-03': 'unknown', 'GOV-01': 'unknown', 'AC-05': 'unknown' });
    expect(new Set(m.criteria.map((c) => c.health))).toEqual(new Set(['unknown']));
    expect(m.summary.health).toEqual({ healthy: 0, 'at-risk': 0, failing: 0, unknown: m.criteria.length });
    const last = await db.pool.query<{ position: string }>(
      'SELECT max(global_position) AS position FROM event_store.events WHERE tenant_id = $1',
      [ACME],
    );
    positionBeforeHealth = `position:${last.rows[0].position}`;
  });

  it('shows each control’s health and each criterion’s worst, counted in the summary', async () => {
    await publish(
      producer,
      healthChanged(ACME, 'GOV-01', 'healthy', 1),
      healthChanged(ACME, 'AC-05', 'at-risk', 1),
      healthChanged(ACME, 'AC-03', 'failing', 2),
    );
    const m = await waitForHealth('health of the three controls', {
      'GOV-01': 'healthy',
      'AC-05': 'at-risk',
      'AC-03': 'failing',
    });
    for (const c of criteriaOf(m, 'AC-03')) expect(c.health).toBe('failing');
    for (const c of criteriaOf(m, 'AC-05').filter((r) => !r.controls.some((x) => x.code === 'AC-03')))
      expect(c.health).toBe('at-risk');
    const onlyGov = criteriaOf(m, 'GOV-01').filter((r) => r.controls.every((x) => x.code === 'GOV-01'));
    expect(onlyGov.length).toBeGreaterThan(0);
    for (const c of onlyGov) expect(c.health).toBe('healthy');
    // Criteria without any of the three controls know nothing.
    for (const c of m.criteria.filter((r) => r.controls.length === 0)) expect(c.health).toBe('unknown');
    const counted: Record<string, number> = { healthy: 0, 'at-risk': 0, failing: 0, unknown: 0 };
    for (const c of m.criteria) counted[c.health] += 1;
    expect(m.summary.health).toEqual(counted);
    expect(counted.failing).toBeGreaterThan(0);
  });

  it('keeps the newest health: a late older event, a replayed position and another tenant’s change nothing', async () => {
    const before = new Date().toISOString();
    const events = [
      // AC-03's first assessment arriving after its second.
      healthChanged(ACME, 'AC-03', 'healthy', 1),
      // GOV-01's position 1 again under a new event id (e.g. published twice): the position is taken.
      healthChanged(ACME, 'GOV-01', 'failing', 1),
      // Globex's control of the same id (ids are per tenant; it is not acme's).
      healthChanged(GLOBEX, 'AC-05', 'failing', 7),
    ];
    await publish(producer, ...events);
    const eventIds = events.map((r) => r.message.headers.ce_id);
    await waitFor('the three events handled', async () => {
      const r = await db.pool.query(
        'SELECT count(*)::int AS n FROM messaging.inbox WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])',
        [monitoringGroupId, eventIds],
      );
      return r.rows[0].n === 3;
    });
    expect(healthByCode(await matrix())).toEqual({
      'AC-03': 'failing',
      'GOV-01': 'healthy',
      'AC-05': 'at-risk',
    });
    const rows = await db.pool.query(
      `SELECT tenant_id, control_id, stream_version, health FROM control_mapping_health.health_changes
       ORDER BY tenant_id, control_id, stream_version`,
    );
    expect(rows.rows).toEqual(
      [
        { tenant_id: ACME, control_id: ids['AC-03'], stream_version: 1, health: 'healthy' },
        { tenant_id: ACME, control_id: ids['AC-03'], stream_version: 2, health: 'failing' },
        { tenant_id: ACME, control_id: ids['AC-05'], stream_version: 1, health: 'at-risk' },
        { tenant_id: ACME, control_id: ids['GOV-01'], stream_version: 1, health: 'healthy' },
        { tenant_id: GLOBEX, control_id: ids['AC-05'], stream_version: 7, health: 'failing' },
      ].sort((a, b) =>
        `${a.tenant_id} ${a.control_id} ${a.stream_version}`.localeCompare(
          `${b.tenant_id} ${b.control_id} ${b.stream_version}`,
        ),
      ),
    );
    asOfBeforeRecovery = before;
  });

  it('shows a recovery, and as of a moment before it the failure', async () => {
    await publish(producer, healthChanged(ACME, 'AC-03', 'healthy', 3));
    const m = await waitForHealth('AC-03 recovered', { 'AC-03': 'healthy' });
    for (const c of criteriaOf(m, 'AC-03')) expect(c.health).not.toBe('failing');
    expect(m.summary.health.failing).toBe(0);
    const past = await matrix(`?asOf=${encodeURIComponent(asOfBeforeRecovery)}`);
    expect(healthByCode(past)).toEqual({ 'AC-03': 'failing', 'GOV-01': 'healthy', 'AC-05': 'at-risk' });
    for (const c of criteriaOf(past, 'AC-03')) expect(c.health).toBe('failing');
    // As of a position of the log: the health reported by the time this service recorded that event.
    expect(healthByCode(await matrix(`?asOf=${positionBeforeHealth}`))).toEqual({
      'AC-03': 'unknown',
      'GOV-01': 'unknown',
      'AC-05': 'unknown',
    });
  });

  // Last: the custom control it adds would show in the coverage matrices the cases above compare whole.
  it('shows a control’s health on GET /controls/:id with a new ETag, which a change takes by its version', async () => {
    const added = await api.post('/controls').send({
      code: 'ORB-01',
      name: 'Connection logging',
      description: 'The production database logs every connection.',
      controlType: 'detective',
      nature: 'automated',
      frequency: 'continuous',
      criteria: ['CC7.2'],
    });
    expect(added.status).toBe(201);
    ids['ORB-01'] = added.body.controlId;
    const path = `/controls/${ids['ORB-01']}`;
    const before = await api.get(path);
    expect([before.status, before.body.health, before.headers.etag]).toEqual([200, 'unknown', '"1"']);

    await publish(producer, healthChanged(ACME, 'ORB-01', 'failing', 1));
    const failing = await waitFor('ORB-01 failing on its own route', async () => {
      const res = await api.get(path);
      return res.body.health === 'failing' ? res : null;
    });
    // The control's stream did not move; its representation did.
    expect(failing.headers.etag).toBe('"1.1"');
    const listed = await api.get('/controls?origin=custom');
    expect(listed.body.items).toEqual([expect.objectContaining({ code: 'ORB-01', health: 'failing' })]);
    // A cache holding the answer from before the health change must not keep it.
    const revalidated = await api.get(path).set('If-None-Match', before.headers.etag);
    expect([revalidated.status, revalidated.body.health]).toEqual([200, 'failing']);
    expect((await api.get(path).set('If-None-Match', failing.headers.etag)).status).toBe(304);

    const owned = await api
      .put(`${path}/owner`)
      .set('If-Match', failing.headers.etag)
      .send({ personId: randomUUID() });
    expect([owned.status, owned.body.health, owned.headers.etag]).toEqual([200, 'failing', '"2.1"']);
    // The control moved on since that ETag: 412, whatever its health.
    const stale = await api
      .put(`${path}/owner`)
      .set('If-Match', failing.headers.etag)
      .send({ personId: randomUUID() });
    expect(stale.status).toBe(412);

    // A health change alone never makes a change based on the control's current version fail.
    await publish(producer, healthChanged(ACME, 'ORB-01', 'healthy', 2));
    const healthy = await waitFor('ORB-01 healthy', async () => {
      const res = await api.get(path);
      return res.body.health === 'healthy' ? res : null;
    });
    expect(healthy.headers.etag).toBe('"2.2"');
    const implementing = await api
      .put(`${path}/implementation`)
      .set('If-Match', owned.headers.etag)
      .send({ status: 'in-progress' });
    expect([implementing.status, implementing.body.health, implementing.headers.etag]).toEqual([
      200,
      'healthy',
      '"3.2"',
    ]);
  });
});
