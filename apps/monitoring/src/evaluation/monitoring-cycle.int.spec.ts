import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { ATTEST_PRODUCER_CONFIG, messagingOf, type EncodedRecord } from '@attest/messaging';
import {
  cleanUpKafka,
  contractExample,
  freshName,
  freshTopic,
  publishedRecord,
  readUntil,
  testKafka,
  waitFor,
} from '@attest/messaging/testing';
import { alertIdOf, shippedTest, type ResourceFact } from '@attest/monitoring-domain';
import { CONTROL_ADOPTED } from '@attest/service-kit';
import { settableClock } from '@attest/service-kit/testing';
import { ACME, startMonitoring, USERS, type RunningMonitoring } from '../testing/monitoring-test-app';
import { COLLECTOR_RUN_SUCCEEDED, EVIDENCE_EXPIRED, EVIDENCE_SUBMITTED } from './evidence-events.listener';
import { unexceptedSince } from './failure-alerts';
import { MonitoringSweep } from './monitoring-sweep';

jest.setTimeout(180_000);

const LOG_CONNECTIONS = 'postgresql-log-connections-enabled';
function fixturesOf(testId: string) {
  const test = shippedTest(testId);
  if (!test) throw new Error(`no shipped test ${testId}`);
  return test.fixtures;
}
/** The pass fixture is a hardened server; the fail fixture the same server with log_connections off. */
const { pass: hardened, fail: broken } = fixturesOf(LOG_CONNECTIONS);

/** The latest results the tenant recorded for the test. */
const latestResults = async (db: TestDatabase, testId: string) =>
  (await recorded(db, 'TestResultsRecorded')).filter((e) => e.data.testId === testId).at(-1)?.data;

/** Events the service recorded for the tenant, oldest first. */
async function recorded(
  db: TestDatabase,
  type?: string,
): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const r = await db.pool.query<{ event_type: string; data: Record<string, unknown> }>(
    `SELECT event_type, data FROM event_store.events WHERE tenant_id = $1 AND ($2::text IS NULL OR event_type = $2)
     ORDER BY global_position`,
    [ACME, type ?? null],
  );
  return r.rows.map((row) => ({ type: row.event_type, data: row.data }));
}

const healthOf = async (db: TestDatabase, controlId: string) =>
  (await recorded(db, 'ControlHealthChanged'))
    .filter((e) => e.data.controlId === controlId)
    .map((e) => e.data);

/**
 * The evaluation on the real servers: evidence and control-mapping events published to Kafka as their services
 * would, the monitoring service's consumers turning collector runs into results, failures, alerts and control
 * health, in the consumer's transaction (a redelivered record records nothing new; a broken one is dead-lettered).
 */
describe('monitoring evaluates collector runs (Kafka + PostgreSQL)', () => {
  const evidenceTopic = freshTopic('evidence');
  const controlMappingTopic = freshTopic('control-mapping');
  const groupId = freshName('attest.monitoring.evidence-events-test');
  const controlMappingGroupId = freshName('attest.monitoring.control-mapping-events-test');
  const clock = settableClock('2026-07-01T09:00:00.000Z');
  const controlId = randomUUID();
  const itemId = randomUUID();
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;
  let service: RunningMonitoring;
  let taken = { evidence: 0, controls: 0 };

  const consumer = (group: string) => {
    const stats = messagingOf(service.app, group).stats().consumer;
    if (!stats) throw new Error(`the consumer of ${group} is not running`);
    return stats;
  };
  /** Publishes records to one topic and waits until its consumer took them all (handled, duplicate or dead). */
  const publish = async (which: 'evidence' | 'controls', ...records: EncodedRecord[]) => {
    for (const record of records) await producer.send({ topic: record.topic, messages: [record.message] });
    const group = which === 'evidence' ? groupId : controlMappingGroupId;
    taken[which] += records.length;
    await waitFor(`${taken[which]} records taken by ${group}`, () => {
      const s = consumer(group);
      return s.handled + s.duplicates + s.deadLettered === taken[which];
    });
  };
  const evidenceRecord = (ceType: string, data: Record<string, unknown>, eventId?: string) =>
    publishedRecord({ topic: evidenceTopic, tenantId: ACME, ceType, data, ...(eventId ? { eventId } : {}) });
  const runData = (finishedAt: string, facts: ResourceFact[]) =>
    contractExample(COLLECTOR_RUN_SUCCEEDED, {
      runId: randomUUID(),
      collectorId: 'postgresql-security',
      facts,
      finishedAt,
      actor: { type: 'system', id: 'system:collector-schedule' },
    });
  const run = (finishedAt: string, facts: ResourceFact[]) =>
    evidenceRecord(COLLECTOR_RUN_SUCCEEDED, runData(finishedAt, facts));

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_cycle');
    kafka = testKafka('monitoring-cycle-test');
    producer = kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    service = await startMonitoring({
      pool: db.pool,
      clock,
      messaging: { groupId, evidenceTopic, controlMappingTopic, controlMappingGroupId, relay: false },
    });
    taken = { evidence: 0, controls: 0 };
    // The tenant adopted AC-12 (which the shipped PostgreSQL logging tests prove) and linked evidence to it.
    await publish(
      'controls',
      publishedRecord({
        topic: controlMappingTopic,
        tenantId: ACME,
        ceType: CONTROL_ADOPTED,
        data: contractExample(CONTROL_ADOPTED, {
          controlId,
          catalogControlId: 'AC-12',
          code: 'AC-12',
          criteria: ['CC7.2'],
        }),
      }),
    );
    await publish(
      'evidence',
      evidenceRecord(
        EVIDENCE_SUBMITTED,
        contractExample(EVIDENCE_SUBMITTED, { itemId, controlIds: [controlId] }),
      ),
    );
  });
  afterAll(async () => {
    await service?.close();
    await producer?.disconnect();
    if (kafka)
      await cleanUpKafka(
        kafka,
        [evidenceTopic, controlMappingTopic, `attest.dlq.${groupId}`, `attest.dlq.${controlMappingGroupId}`],
        [groupId, controlMappingGroupId],
      );
    await db?.drop();
  });

  it('records results, a failure with its alert and the health drop; a redelivered run records nothing new', async () => {
    // Fresh evidence alone makes the adopted control healthy.
    expect((await healthOf(db, controlId)).map((h) => h.health)).toEqual(['unknown', 'healthy']);

    await publish('evidence', run('2026-07-01T06:00:00.000Z', [hardened]));
    const first = await recorded(db, 'TestResultsRecorded');
    expect(await latestResults(db, LOG_CONNECTIONS)).toMatchObject({
      collectorId: 'postgresql-security',
      counts: { pass: 1, fail: 0, error: 0, notApplicable: 0, excepted: 0 },
      results: [{ resourceId: hardened.resourceId, outcome: 'pass', previousOutcome: null, excepted: false }],
    });
    // Every shipped test reading postgresql.server facts ran; none reading other types did.
    const serverTests = first.map((e) => e.data.testId);
    expect(serverTests.length).toBeGreaterThan(1);
    expect(serverTests).not.toContain('repo-codeowners-file-present');
    expect((await healthOf(db, controlId)).at(-1)).toMatchObject({
      health: 'healthy',
      criteria: ['CC7.2'],
      reasons: { failingTests: [], testsPassing: expect.any(Number) },
    });

    const brokenData = runData('2026-07-02T06:00:00.000Z', [broken]);
    const brokenRun = evidenceRecord(COLLECTOR_RUN_SUCCEEDED, brokenData);
    await publish('evidence', brokenRun);
    const failing = await recorded(db, 'TestFailing');
    expect(failing.map((e) => e.data)).toEqual([
      expect.objectContaining({
        testId: LOG_CONNECTIONS,
        resourceId: broken.resourceId,
        severity: 'medium',
        controlIds: [controlId],
        failingSince: '2026-07-02T06:00:00.000Z',
        excepted: false,
      }),
    ]);
    const alerts = await recorded(db, 'AlertRaised');
    expect(alerts.map((e) => e.data)).toEqual([
      expect.objectContaining({
        alertId: alertIdOf(ACME, LOG_CONNECTIONS, broken.resourceId, '2026-07-02T06:00:00.000Z'),
        testId: LOG_CONNECTIONS,
        controlIds: [controlId],
        actor: { type: 'system', id: 'system:monitoring' },
      }),
    ]);
    expect((await healthOf(db, controlId)).at(-1)).toMatchObject({
      previous: 'healthy',
      health: 'failing',
      reasons: { failingTests: [{ testId: LOG_CONNECTIONS, failing: 1 }] },
    });

    // The same Kafka record again (same event id): a duplicate, nothing appended.
    const before = await recorded(db);
    await publish('evidence', brokenRun);
    expect(consumer(groupId).duplicates).toBe(1);
    expect(await recorded(db)).toEqual(before);
    // The same run published as a new event: the results decider knows the run, nothing appended either.
    await publish('evidence', evidenceRecord(COLLECTOR_RUN_SUCCEEDED, brokenData));
    expect(await recorded(db)).toEqual(before);
  });

  it('counts expired evidence against the control', async () => {
    await publish(
      'evidence',
      evidenceRecord(
        EVIDENCE_EXPIRED,
        contractExample(EVIDENCE_EXPIRED, { itemId, version: 1, controlIds: [controlId] }),
      ),
    );
    expect((await healthOf(db, controlId)).at(-1)).toMatchObject({
      health: 'failing',
      reasons: { expiredEvidence: [itemId], failingTests: [{ testId: LOG_CONNECTIONS, failing: 1 }] },
    });
  });

  it('an accepted exception resolves the alert and stops counting the failure; at its expiry the alert is raised again', async () => {
    const firstAlert = alertIdOf(ACME, LOG_CONNECTIONS, broken.resourceId, '2026-07-02T06:00:00.000Z');
    await service
      .as(USERS.manager)
      .post('/exceptions')
      .send({
        testId: LOG_CONNECTIONS,
        resourceId: broken.resourceId,
        reason: 'Replica being rebuilt; connection logging returns with it.',
        expiresOn: '2026-07-10',
      })
      .expect(201);
    expect((await recorded(db, 'AlertResolved')).map((e) => e.data)).toEqual([
      expect.objectContaining({ alertId: firstAlert, resolution: 'excepted' }),
    ]);
    expect((await healthOf(db, controlId)).at(-1)).toMatchObject({
      reasons: { failingTests: [], openExceptions: 1, expiredEvidence: [itemId] },
    });

    // Still failing on the next run: counted as excepted, no new alert.
    await publish('evidence', run('2026-07-05T06:00:00.000Z', [broken]));
    expect(await latestResults(db, LOG_CONNECTIONS)).toMatchObject({ counts: { fail: 1, excepted: 1 } });
    expect(await recorded(db, 'AlertRaised')).toHaveLength(1);

    // The sweep before the expiry day does nothing; on it, the exception expires and the failure is alerted again.
    const sweep = service.app.get(MonitoringSweep);
    expect(await sweep.run({ now: new Date('2026-07-09T23:00:00.000Z'), tenantId: ACME })).toMatchObject({
      expired: 0,
    });
    expect(await sweep.run({ now: new Date('2026-07-10T01:00:00.000Z'), tenantId: ACME })).toMatchObject({
      expired: 1,
      alertsRaised: 1,
      failures: [],
    });
    expect(await sweep.run({ now: new Date('2026-07-10T02:00:00.000Z'), tenantId: ACME })).toMatchObject({
      expired: 0,
    });
    const reRaised = alertIdOf(ACME, LOG_CONNECTIONS, broken.resourceId, unexceptedSince('2026-07-10'));
    expect((await recorded(db, 'AlertRaised')).map((e) => e.data.alertId)).toEqual([firstAlert, reRaised]);
    expect((await healthOf(db, controlId)).at(-1)).toMatchObject({
      health: 'failing',
      reasons: { failingTests: [{ testId: LOG_CONNECTIONS, failing: 1 }], openExceptions: 0 },
    });

    // Fixed: the resource recovers and the open alert resolves.
    await publish('evidence', run('2026-07-11T06:00:00.000Z', [hardened]));
    expect((await recorded(db, 'TestRecovered')).map((e) => e.data)).toEqual([
      expect.objectContaining({
        testId: LOG_CONNECTIONS,
        failingSince: '2026-07-02T06:00:00.000Z',
        recoveredAt: '2026-07-11T06:00:00.000Z',
      }),
    ]);
    expect((await recorded(db, 'AlertResolved')).map((e) => e.data)).toEqual([
      expect.objectContaining({ alertId: firstAlert, resolution: 'excepted' }),
      expect.objectContaining({ alertId: reRaised, resolution: 'recovered' }),
    ]);
  });

  it('dead-letters a run that breaks its contract, with the reason, and records nothing', async () => {
    const before = await recorded(db);
    const invalid = evidenceRecord(COLLECTOR_RUN_SUCCEEDED, {
      runId: randomUUID(),
      collectorId: 'postgresql-security',
      finishedAt: '2026-07-12T06:00:00.000Z',
    });
    await publish('evidence', invalid);
    expect(consumer(groupId).deadLettered).toBe(1);
    const [dead] = await readUntil(kafka, [`attest.dlq.${groupId}`], (r) => r.length === 1);
    expect(dead.headers).toMatchObject({
      dlq_reason: 'validation',
      dlq_error: expect.stringMatching(/facts/),
    });
    expect(await recorded(db)).toEqual(before);
  });
});
