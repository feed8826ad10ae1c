import { randomUUID } from 'node:crypto';
import type { Kafka, Message } from 'kafkajs';
import { createTestDatabase, type RecordedEvent, type TestDatabase } from '@attest/event-store';
import { encodeCloudEvent } from './cloud-event-codec';
import { consumerLag } from './consumer-lag';
import { EventConsumer, type EventConsumerOptions, type EventHandler } from './event-consumer';
import { JsonSchemaEventValidator } from './event-validator';
import { ATTEST_PRODUCER_CONFIG } from './kafka-client';
import { silentLogger } from './messaging-logger';
import { cleanUpKafka, freshName, freshTopic, readUntil, testKafka, waitFor } from './test-kafka';
import { deadLetterTopic, ensureTopics } from './topics';
import { TransientError } from './transient-error';

const CE_TYPE = 'io.attest.consumertest.sample.recorded.v1';
const validate = new JsonSchemaEventValidator({
  [CE_TYPE]: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
}).validate;

let sequence = 0;
function recorded(streamId: string, version: number, data: unknown): RecordedEvent {
  sequence++;
  return {
    eventId: randomUUID(),
    tenantId: 'tenant-1',
    streamId,
    streamType: 'sample',
    streamVersion: version,
    tenantSequence: sequence,
    type: 'SampleRecorded',
    data,
    metadata: { correlationId: `corr-${version}` },
    recordedAt: new Date().toISOString(),
    position: { transactionId: '1', globalPosition: sequence },
    prevHash: '0'.repeat(64),
    hash: String(sequence).padStart(64, '0'),
  };
}

function encode(event: RecordedEvent, topic: string) {
  return encodeCloudEvent(event, { source: '/attest/consumertest', ceType: CE_TYPE, topic }).message;
}

describe('EventConsumer (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  const topics: string[] = [];
  const groups: string[] = [];
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('attest_msg');
    await db.pool.query(`CREATE TABLE handled (
      seq serial PRIMARY KEY, group_id text NOT NULL, event_id uuid NOT NULL, n int, attempt int NOT NULL)`);
    kafka = testKafka();
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });
  afterAll(async () => {
    await cleanUpKafka(kafka, topics, groups);
    await db.drop();
  });

  /** A fresh one-partition topic holding `messages`, and a fresh group to read it. */
  async function given(messages: Message[]) {
    const topic = freshTopic('consumer');
    const groupId = freshName('attest-test-consumer');
    topics.push(topic, deadLetterTopic(groupId));
    groups.push(groupId);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic], { partitions: 1 });
    await admin.disconnect();
    const producer = kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    await producer.send({ topic, messages, acks: -1 });
    await producer.disconnect();
    return { topic, groupId };
  }

  async function consume(
    topic: string,
    groupId: string,
    handler: EventHandler,
    options: Partial<EventConsumerOptions> = {},
  ) {
    const consumer = new EventConsumer({
      kafka,
      pool: db.pool,
      groupId,
      topics: [topic],
      handler,
      validate,
      retry: { maxAttempts: 3, initialMs: 20, maxMs: 100 },
      logger: silentLogger,
      ...options,
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  /** Records the event in the handler's transaction, so it commits with the inbox row or not at all. */
  const record: EventHandler = async (event, ctx) => {
    await ctx.tx.query('INSERT INTO handled (group_id, event_id, n, attempt) VALUES ($1, $2, $3, $4)', [
      ctx.groupId,
      event.id,
      (event.data as { n: number }).n,
      ctx.attempt,
    ]);
  };

  const handledBy = async (groupId: string) =>
    (
      await db.pool.query<{ n: number; attempt: number; event_id: string }>(
        'SELECT n, attempt, event_id FROM handled WHERE group_id = $1 ORDER BY seq',
        [groupId],
      )
    ).rows;

  it('dead-letters poison records with the reason and original headers, and moves on along the partition', async () => {
    const stream = `sample-${randomUUID()}`;
    const events = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => recorded(stream, n, { n }));
    const badJson = { ...encode(events[4], 'x'), value: '{"n": 5,' };
    const invalid = encode(recorded(stream, 6, { n: 'six' }), 'x');
    const { topic, groupId } = await given([
      encode(events[0], 'x'),
      encode(events[1], 'x'), // the handler refuses it for good
      encode(events[2], 'x'),
      encode(events[3], 'x'), // fails once, transiently
      badJson,
      invalid,
      encode(events[6], 'x'), // always fails transiently: retries run out
      encode(events[7], 'x'),
      encode(events[0], 'x'), // a redelivery of the first
    ]);
    const attempts = new Map<number, number[]>();
    const consumer = await consume(topic, groupId, async (event, ctx) => {
      const { n } = event.data as { n: number };
      attempts.set(n, [...(attempts.get(n) ?? []), ctx.attempt]);
      await record(event, ctx);
      if (n === 2) throw new Error('ledger rejected the sample');
      if (n === 4 && ctx.attempt === 1) throw new TransientError('search index busy');
      if (n === 7) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
    });

    await waitFor('every record to be handled or dead-lettered', () => {
      const s = consumer.stats();
      return s.handled + s.deadLettered + s.duplicates === 9;
    });
    expect(consumer.stats()).toEqual({
      delivered: 9,
      handled: 4,
      duplicates: 1,
      deadLettered: 4,
      retries: 3,
    });
    // Failed attempts rolled back their writes; the transient one committed once, on its second attempt.
    expect((await handledBy(groupId)).map((r) => [r.n, r.attempt])).toEqual([
      [1, 1],
      [3, 1],
      [4, 2],
      [8, 1],
    ]);
    expect(attempts.get(4)).toEqual([1, 2]);
    expect(attempts.get(7)).toEqual([1, 2, 3]);
    const inbox = await db.pool.query('SELECT event_id FROM messaging.inbox WHERE consumer_group = $1', [
      groupId,
    ]);
    expect(inbox.rows.map((r) => r.event_id).sort()).toEqual(
      [events[0], events[2], events[3], events[7]].map((e) => e.eventId).sort(),
    );

    const dead = await readUntil(kafka, [deadLetterTopic(groupId)], (r) => r.length >= 4);
    expect(
      dead.map((d) => [d.headers['dlq_reason'], d.headers['dlq_source_offset'], d.headers['dlq_attempts']]),
    ).toEqual([
      ['handler', '1', '1'],
      ['decode', '4', '1'],
      ['validation', '5', '1'],
      ['retries-exhausted', '6', '3'],
    ]);
    const [refused, undecodable, invalidRecord, exhausted] = dead;
    const original = encode(events[1], 'x');
    expect(refused.key).toBe(stream);
    expect(refused.value).toBe(original.value);
    expect(refused.headers).toEqual({
      ...original.headers,
      dlq_reason: 'handler',
      dlq_error: 'Error: ledger rejected the sample',
      dlq_attempts: '1',
      dlq_source_topic: topic,
      dlq_source_partition: '0',
      dlq_source_offset: '1',
      dlq_failed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(undecodable.value).toBe('{"n": 5,');
    expect(undecodable.headers['ce_id']).toBe(events[4].eventId);
    expect(undecodable.headers['dlq_error']).toMatch(/value is not JSON/);
    expect(invalidRecord.headers['dlq_error']).toBe('/n must be integer');
    expect(exhausted.headers['dlq_error']).toBe('Error: could not serialize access');

    // Everything was committed: the group is not behind.
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(
      'offsets to be committed',
      async () => (await consumerLag(admin, groupId, [topic])).total === 0,
    );
    await admin.disconnect();
  });

  it('finishes the record in flight when stopped, and commits it', async () => {
    const stream = `sample-${randomUUID()}`;
    const { topic, groupId } = await given([
      encode(recorded(stream, 1, { n: 1 }), 'x'),
      encode(recorded(stream, 2, { n: 2 }), 'x'),
    ]);
    let started!: () => void;
    const inHandler = new Promise<void>((resolve) => (started = resolve));
    const consumer = await consume(topic, groupId, async (event, ctx) => {
      started();
      await new Promise((r) => setTimeout(r, 1_500));
      await record(event, ctx);
    });
    await inHandler;
    await consumer.stop();

    expect((await handledBy(groupId)).map((r) => r.n)).toEqual([1]);
    const admin = kafka.admin();
    await admin.connect();
    const lag = await consumerLag(admin, groupId, [topic]);
    await admin.disconnect();
    expect(lag.partitions).toEqual([
      expect.objectContaining({ committedOffset: 1, highWatermark: 2, lag: 1 }),
    ]);
  });

  it('heartbeats through a handler that outlasts the session timeout, keeping its partition', async () => {
    const stream = `sample-${randomUUID()}`;
    const { topic, groupId } = await given([
      encode(recorded(stream, 1, { n: 1 }), 'x'),
      encode(recorded(stream, 2, { n: 2 }), 'x'),
    ]);
    const consumer = await consume(
      topic,
      groupId,
      async (event, ctx) => {
        if ((event.data as { n: number }).n === 1) await new Promise((r) => setTimeout(r, 8_000));
        await record(event, ctx);
      },
      { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000 },
    );
    await waitFor('both records to be handled', () => consumer.stats().handled === 2, 30_000);
    // Thrown out of the group, the member would have lost its commit and seen the first record again.
    expect(consumer.stats()).toMatchObject({ delivered: 2, handled: 2, duplicates: 0 });
  }, 60_000);
});
