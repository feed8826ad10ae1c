import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { readinessGapStreamIdFor } from '@attest/control-mapping-domain';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { ATTEST_PRODUCER_CONFIG, messagingOf } from '@attest/messaging';
import {
  cleanUpKafka,
  freshName,
  freshTopic,
  readUntil,
  testKafka,
  waitFor,
} from '@attest/messaging/testing';
import { publish, taskCompleted } from './testing/readiness-events';
import { ACME, startControlMapping, type RunningControlMapping } from './testing/control-mapping-test-app';

jest.setTimeout(120_000);

/**
 * The readiness listener's commands run in the consumer's transaction: a readiness event whose handling fails half
 * way leaves none of its events behind, and its redelivery records each fact once.
 */
describe('control-mapping handles a readiness event all or nothing (Kafka + PostgreSQL)', () => {
  const topic = freshTopic('readiness');
  const groupId = freshName('attest.control-mapping.readiness-atomic-test');
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;
  let service: RunningControlMapping | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_atomic');
    kafka = testKafka('control-mapping-atomic-test');
    producer = kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
  });
  afterAll(async () => {
    await service?.close();
    await producer?.disconnect();
    if (kafka) await cleanUpKafka(kafka, [topic, `attest.dlq.${groupId}`], [groupId]);
    await db?.drop();
  });

  it('a task completed for two gaps, failing at the second gap, records neither; its redelivery records both once', async () => {
    // Old behaviour: each command appended through appendBatch and committed at once, so the first gap's
    // GapRemediationRecorded stayed although the event was dead-lettered and its inbox record rolled back.
    const running = await startControlMapping({
      pool: db.pool,
      messaging: { groupId, readinessTopic: topic },
    });
    service = running;
    const consumer = () => {
      const stats = messagingOf(running.app, groupId).stats().consumer;
      if (!stats) throw new Error('the consumer is not running');
      return stats;
    };
    const [g1, g2] = [randomUUID(), randomUUID()];
    const gapStreams = [g1, g2].map((g) => readinessGapStreamIdFor(ACME, g));
    const recordedOn = async () =>
      (
        await db.pool.query<{ stream_id: string; n: string }>(
          `SELECT stream_id, count(*) AS n FROM event_store.events WHERE stream_id = ANY($1) GROUP BY stream_id`,
          [gapStreams],
        )
      ).rows
        .map((r) => [gapStreams.indexOf(r.stream_id), Number(r.n)])
        .sort();

    // The second gap's append fails in the database (a non-transient error: the record is dead-lettered at once).
    await db.pool.query(`
      CREATE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
      CREATE TRIGGER refuse_second_gap BEFORE INSERT ON event_store.events FOR EACH ROW
        WHEN (NEW.stream_id = '${gapStreams[1]}') EXECUTE FUNCTION refuse_for_test();
    `);
    const completed = taskCompleted(
      topic,
      ACME,
      { taskId: randomUUID(), assessmentId: randomUUID(), gapIds: [g1, g2], resolution: 'remediated' },
      randomUUID(),
    );
    await publish(producer, completed);
    await waitFor('the event to be dead-lettered', () => consumer().deadLettered === 1);
    const [dead] = await readUntil(kafka, [`attest.dlq.${groupId}`], (r) => r.length === 1);
    expect(dead.headers).toMatchObject({
      dlq_reason: 'handler',
      dlq_error: expect.stringMatching(/refused for the test/),
    });
    expect(await recordedOn()).toEqual([]);

    // Replayed once the cause is gone (the same ce_id, as a replay from the dead-letter topic sends it).
    await db.pool.query('DROP TRIGGER refuse_second_gap ON event_store.events');
    await publish(producer, completed, completed);
    await waitFor(
      'the replay and its duplicate to be taken',
      () => consumer().handled + consumer().duplicates === 2,
    );
    expect(consumer()).toMatchObject({ handled: 1, duplicates: 1, deadLettered: 1 });
    expect(await recordedOn()).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });
});
