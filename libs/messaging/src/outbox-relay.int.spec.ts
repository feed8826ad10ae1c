import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { OutboxStore, PostgresEventStore } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { decodeCloudEvent } from './cloud-event-codec';
import { readDeadLetter } from './dead-letter';
import { eventTypeRegistry, outboxRouteFor } from './event-type-registry';
import { silentLogger } from './messaging-logger';
import { OutboxRelay } from './outbox-relay';
import {
  cleanUpKafka,
  freshName,
  freshTopic,
  readUntil,
  type SeenRecord,
  testKafka,
  waitFor,
} from './test-kafka';
import { ensureTopics } from './topics';

const SOURCE = '/attest/relaytest';
const CE_TESTED = 'io.attest.relaytest.control.tested.v1';
const CE_NOTED = 'io.attest.relaytest.control.note-taken.v1';
/** Larger than the broker's largest message (`message.max.bytes`, 1 MiB by default). */
const TOO_LARGE = 1_200_000;

describe('OutboxRelay (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  const topics: string[] = [];
  const relays: OutboxRelay[] = [];

  async function setup(extraTypes: { storeType: string; ceType: string; topic: string }[] = []) {
    const topic = freshTopic('relay');
    const dlq = `attest.dlq.${freshName('outbox')}`;
    topics.push(topic, dlq);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic, dlq]);
    await admin.disconnect();
    const registry = eventTypeRegistry([
      { storeType: 'ControlTested', ceType: CE_TESTED, topic },
      { storeType: 'ControlNoteTaken', ceType: CE_NOTED, topic },
      ...extraTypes,
    ]);
    const store = new PostgresEventStore(db.pool, { source: SOURCE, outbox: outboxRouteFor(registry) });
    const relay = (options: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) => {
      const r = new OutboxRelay({
        pool: db.pool,
        kafka,
        deadLetterTopic: dlq,
        logger: silentLogger,
        ...options,
      });
      relays.push(r);
      return r;
    };
    /** Appends one event to a new stream, to be waited for: everything appended before it is published with it. */
    const sentinel = async () => {
      const { events } = await store.append({
        tenantId: 'tenant-sentinel',
        streamId: `sentinel-${randomUUID()}`,
        streamType: 'control',
        expectedVersion: 'no-stream',
        events: [{ type: 'ControlTested', data: { sentinel: true } }],
      });
      return events[0].eventId;
    };
    return { topic, dlq, store, relay, sentinel };
  }

  /** Until the relay's checkpoint has passed every committed event, so Kafka acknowledged all of them. */
  const allPublished = () =>
    waitFor(
      'the relay to publish everything',
      async () => (await new OutboxStore(db.pool).pendingCount()) === 0,
    );

  /** Every record on the topics up to a sentinel Kafka already acknowledged, and to the end of every partition. */
  const drainTo = (topicNames: string[], sentinelId: string) =>
    readUntil(kafka, topicNames, (r) => r.some((record) => record.headers['ce_id'] === sentinelId));

  beforeAll(async () => {
    db = await createTestDatabase('attest_msg');
    await new PostgresEventStore(db.pool).migrate();
    kafka = testKafka();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await cleanUpKafka(kafka, topics);
    await db.drop();
  });

  // Old reader stopped at the N-th record, so a duplicate published later was never seen: this one reads to a
  // sentinel and to the end of every partition, then expects exactly N records with N distinct ce_id.
  it('publishes each event once as a CloudEvent keyed by stream id, with its stored JSON text, in stream order', async () => {
    const { topic, store, relay, sentinel } = await setup();
    await relay().start();
    const streams = ['control-a', 'control-b', 'control-c'].map((s) => `${s}-${randomUUID()}`);
    for (let round = 0; round < 3; round++) {
      for (const streamId of streams) {
        await store.append({
          tenantId: 'tenant-1',
          streamId,
          streamType: 'control',
          expectedVersion: round === 0 ? 'no-stream' : round * 2,
          events: [
            { type: 'ControlTested', data: { round, n: 1 }, metadata: { correlationId: `corr-${round}` } },
            { type: 'ControlNoteTaken', data: { round, note: 'ünïcode ✓' } },
          ],
        });
      }
    }
    const last = await sentinel();
    await allPublished();
    const records = await drainTo([topic], last);
    expect(records).toHaveLength(19);
    expect(new Set(records.map((r) => r.headers['ce_id'])).size).toBe(19);

    for (const streamId of streams) {
      const { events } = await store.readStream(streamId);
      const ofStream = records.filter((r) => r.key === streamId);
      expect(new Set(ofStream.map((r) => r.partition)).size).toBe(1);
      expect(ofStream.map((r) => Number(r.headers['ce_streamversion']))).toEqual([1, 2, 3, 4, 5, 6]);
      for (const [i, record] of ofStream.entries()) {
        const e = events[i];
        const stored = await db.pool.query<{ data: string }>(
          'SELECT data::text AS data FROM event_store.events WHERE event_id = $1',
          [e.eventId],
        );
        expect(record.value).toBe(stored.rows[0].data);
        expect(record.headers).toMatchObject({
          ce_id: e.eventId,
          ce_source: SOURCE,
          ce_type: e.type === 'ControlTested' ? CE_TESTED : CE_NOTED,
          ce_specversion: '1.0',
          ce_time: e.recordedAt,
          ce_subject: streamId,
          ce_tenantid: 'tenant-1',
          ce_streamversion: String(e.streamVersion),
          ce_tenantsequence: String(e.tenantSequence),
          ce_globalposition: String(e.position.globalPosition),
          ce_schemaversion: '1',
          ce_attesthash: e.hash,
          ce_attestprevhash: e.prevHash,
          'content-type': 'application/json',
        });
        expect(decodeCloudEvent(asMessage(record)).data).toEqual(e.data);
      }
    }
  }, 120_000);

  // Old relay retried every error forever, so one event Kafka refuses blocked everything after it.
  it('dead-letters an event larger than Kafka accepts, with its reason, and publishes the events around it', async () => {
    const { topic, dlq, store, relay } = await setup();
    const streamId = `control-${randomUUID()}`;
    const { events } = await store.append({
      tenantId: 'tenant-2',
      streamId,
      streamType: 'control',
      expectedVersion: 'no-stream',
      events: [{ n: 1 }, { n: 2, blob: 'x'.repeat(TOO_LARGE) }, { n: 3 }].map((data) => ({
        type: 'ControlTested',
        data,
      })),
    });
    const r = relay();
    await r.start();
    await allPublished();

    // One stream, one partition: Kafka takes or refuses a partition's records of one request together.
    const published = await drainTo([topic], events[2].eventId);
    expect(published.map((rec) => JSON.parse(rec.value!).n)).toEqual([1, 3]);
    const deadLetters = await readUntil(kafka, [dlq], (got) => got.length >= 1);
    expect(deadLetters).toHaveLength(1);
    const [dead] = deadLetters;
    expect(dead.key).toBe(streamId);
    // The value was what Kafka refused, so the dead letter goes without it, and says so.
    expect(dead.value).toBeNull();
    expect(dead.headers).toMatchObject({
      ce_id: events[1].eventId,
      ce_type: CE_TESTED,
      ce_streamversion: '2',
      dlq_reason: 'refused',
      dlq_source_topic: topic,
      dlq_value_omitted: 'MESSAGE_TOO_LARGE',
    });
    expect(dead.headers['dlq_error']).toMatch(/^MESSAGE_TOO_LARGE: /);
    expect(readDeadLetter(asMessage(dead).headers)?.globalPosition).toBe(events[1].position.globalPosition);
    const rows = await db.pool.query(
      'SELECT event_id, topic, reason, error FROM event_store.relay_dead_letters',
    );
    expect(rows.rows).toEqual([
      {
        event_id: events[1].eventId,
        topic,
        reason: 'refused',
        error: expect.stringMatching(/^MESSAGE_TOO_LARGE: /),
      },
    ]);
    expect(r.stats()).toMatchObject({ deadLettered: 1, published: 2 });
  }, 120_000);

  it('dead-letters an event routed to a topic that cannot exist and publishes the events around it', async () => {
    const badTopic = 'attest.no such topic!';
    const { topic, dlq, store, relay } = await setup([
      { storeType: 'ControlMisrouted', ceType: 'io.attest.relaytest.control.misrouted.v1', topic: badTopic },
    ]);
    const streamId = `control-${randomUUID()}`;
    const { events } = await store.append({
      tenantId: 'tenant-2',
      streamId,
      streamType: 'control',
      expectedVersion: 'no-stream',
      events: [
        { type: 'ControlTested', data: { n: 1 } },
        { type: 'ControlMisrouted', data: { n: 2 } },
        { type: 'ControlTested', data: { n: 3 } },
      ],
    });
    await relay().start();
    await allPublished();

    const published = await drainTo([topic], events[2].eventId);
    expect(published.map((rec) => JSON.parse(rec.value!).n)).toEqual([1, 3]);
    const [dead] = await readUntil(kafka, [dlq], (got) => got.length >= 1);
    expect(JSON.parse(dead.value!)).toEqual({ n: 2 });
    expect(dead.headers).toMatchObject({
      ce_id: events[1].eventId,
      dlq_reason: 'refused',
      dlq_source_topic: badTopic,
    });
    expect(dead.headers['dlq_error']).toMatch(/^INVALID_TOPIC_EXCEPTION: /);
    expect(dead.headers['dlq_value_omitted']).toBeUndefined();
  }, 120_000);

  it('publishes an event recorded before the store kept its source and public type with the service settings', async () => {
    const { topic, dlq, store, relay } = await setup();
    const streamId = `control-${randomUUID()}`;
    const { events } = await store.append({
      tenantId: 'tenant-5',
      streamId,
      streamType: 'control',
      expectedVersion: 'no-stream',
      events: [
        { type: 'ControlTested', data: { n: 1 } },
        { type: 'ControlNoteTaken', data: { n: 2 } },
      ],
    });
    // As migration 2 left rows recorded before it: no source, the store type standing in for the public type.
    await db.pool.query(
      `UPDATE event_store.events SET source = '', ce_type = event_type WHERE stream_id = $1`,
      [streamId],
    );
    const legacyTypes = eventTypeRegistry([{ storeType: 'ControlTested', ceType: CE_TESTED, topic }]);
    await relay({ source: '/attest/legacy', registry: legacyTypes }).start();
    await allPublished();

    const [published] = await drainTo([topic], events[0].eventId);
    expect(published.headers).toMatchObject({
      ce_id: events[0].eventId,
      ce_source: '/attest/legacy',
      ce_type: CE_TESTED,
    });
    // No public type known for the other one: parked, not published under its internal name.
    const [dead] = await readUntil(kafka, [dlq], (got) => got.length >= 1);
    expect(dead.headers).toMatchObject({ ce_id: events[1].eventId, dlq_reason: 'unencodable' });
    expect(JSON.parse(dead.value!)).toEqual({ n: 2 });
  }, 120_000);

  it('retries with backoff while Kafka is unreachable, losing, duplicating and reordering nothing', async () => {
    const { topic, store, relay, sentinel } = await setup();
    let refusals = 3;
    // The first sends fail as a broker outage would; the relay must keep the batch and try again.
    const flaky = {
      admin: () => kafka.admin(),
      producer: (config?: Parameters<Kafka['producer']>[0]) => {
        const producer = kafka.producer(config);
        const sendBatch = producer.sendBatch.bind(producer);
        producer.sendBatch = async (batch) => {
          if (refusals-- > 0)
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { retriable: true });
          return sendBatch(batch);
        };
        return producer;
      },
    };
    const streamId = `control-${randomUUID()}`;
    await store.append({
      tenantId: 'tenant-3',
      streamId,
      streamType: 'control',
      expectedVersion: 'no-stream',
      events: Array.from({ length: 10 }, (_, n) => ({ type: 'ControlTested', data: { n } })),
    });
    const last = await sentinel();
    const r = relay({ kafka: flaky, backoff: { initialMs: 50, maxMs: 200 } });
    await r.start();
    await allPublished();

    const records = await drainTo([topic], last);
    expect(records.filter((rec) => rec.key === streamId).map((rec) => JSON.parse(rec.value!).n)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(records).toHaveLength(11);
    expect(r.stats().failedAttempts).toBe(3);
  }, 120_000);

  // Old test slept 300 ms and asserted the second relay did not hold the lease, which held even if it never asked.
  it('lets one relay hold the lease while another keeps asking; the other takes over when it stops', async () => {
    const { topic, store, relay, sentinel } = await setup();
    const first = relay();
    await first.start();
    await waitFor('the first relay to hold the lease', () => first.stats().holdsLease);
    const second = relay({ leaseRetryMs: 50 });
    await second.start();
    await waitFor(
      'the second relay to ask for the lease three times',
      () => second.stats().leaseAttempts >= 3,
    );
    const whileFirstHolds = await sentinel();
    await allPublished();
    expect(second.stats()).toMatchObject({ holdsLease: false, published: 0 });
    expect(first.stats().published).toBe(1);

    await first.stop();
    await waitFor('the second relay to take over', () => second.stats().holdsLease);
    const streamId = `control-${randomUUID()}`;
    await store.append({
      tenantId: 'tenant-4',
      streamId,
      streamType: 'control',
      expectedVersion: 'no-stream',
      events: [{ type: 'ControlTested', data: { n: 1 } }],
    });
    const last = await sentinel();
    await allPublished();
    const records = await drainTo([topic], last);
    expect(records).toHaveLength(3);
    expect(new Set(records.map((r) => r.headers['ce_id']))).toEqual(
      new Set([whileFirstHolds, records.find((r) => r.key === streamId)?.headers['ce_id'], last]),
    );
    expect(second.stats().published).toBe(2);
  }, 120_000);
});

function asMessage(record: SeenRecord) {
  return {
    value: record.value === null ? null : Buffer.from(record.value),
    headers: Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}
