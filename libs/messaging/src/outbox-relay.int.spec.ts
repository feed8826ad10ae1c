import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createTestDatabase, OutboxStore, PostgresEventStore, type TestDatabase } from '@attest/event-store';
import { decodeCloudEvent } from './cloud-event-codec';
import { readDeadLetter } from './dead-letter';
import { eventTypeRegistry, outboxRouteFor } from './event-type-registry';
import { JsonSchemaEventValidator } from './event-validator';
import { silentLogger } from './messaging-logger';
import { ensureTopics } from './topics';
import { OutboxRelay } from './outbox-relay';
import { cleanUpKafka, freshName, freshTopic, readUntil, SeenRecord, testKafka, waitFor } from './test-kafka';

const CE_TYPE = 'io.attest.relaytest.control.tested.v1';

describe('OutboxRelay (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  const topics: string[] = [];
  const relays: OutboxRelay[] = [];

  async function setup() {
    const topic = freshTopic('relay');
    const dlq = `attest.dlq.${freshName('outbox')}`;
    topics.push(topic, dlq);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic, dlq]);
    await admin.disconnect();
    const registry = eventTypeRegistry([{ storeType: 'ControlTested', ceType: CE_TYPE, topic }]);
    const store = new PostgresEventStore(db.pool, { outbox: outboxRouteFor(registry) });
    const relay = (options: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) => {
      const r = new OutboxRelay({
        pool: db.pool,
        kafka,
        source: '/attest/relaytest',
        registry,
        deadLetterTopic: dlq,
        logger: silentLogger,
        ...options,
      });
      relays.push(r);
      return r;
    };
    return { topic, dlq, store, relay };
  }

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

  it('publishes appended events as CloudEvents keyed by stream id, in stream order per key', async () => {
    const { topic, store, relay } = await setup();
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
            // Internal events stay out of the outbox; versions still count them.
            { type: 'ControlNoteTaken', data: { round } },
          ],
        });
      }
    }
    const records = await readUntil(kafka, [topic], (r) => r.length >= 9);
    expect(records).toHaveLength(9);

    for (const streamId of streams) {
      const { events } = await store.readStream(streamId);
      const published = events.filter((e) => e.type === 'ControlTested');
      const ofStream = records.filter((r) => r.key === streamId);
      expect(new Set(ofStream.map((r) => r.partition)).size).toBe(1);
      expect(ofStream.map((r) => Number(r.headers['ce_streamversion']))).toEqual([1, 3, 5]);
      ofStream.forEach((record, i) => {
        const e = published[i];
        expect(record.headers).toEqual({
          ce_id: e.eventId,
          ce_source: '/attest/relaytest',
          ce_type: CE_TYPE,
          ce_specversion: '1.0',
          ce_time: e.recordedAt,
          ce_subject: streamId,
          ce_tenantid: 'tenant-1',
          ce_dataschema: `urn:attest:event-schema:${CE_TYPE}`,
          ce_streamversion: String(e.streamVersion),
          ce_tenantsequence: String(e.tenantSequence),
          ce_attesthash: e.hash,
          ce_attestprevhash: e.prevHash,
          ce_correlationid: `corr-${(e.data as { round: number }).round}`,
          'content-type': 'application/json',
        });
        expect(JSON.parse(String(record.value))).toEqual(e.data);
        expect(decodeCloudEvent(asMessage(record)).data).toEqual(e.data);
      });
    }
    await waitFor(
      'the outbox to be marked sent',
      async () => (await new OutboxStore(db.pool).pendingCount()) === 0,
    );
  });

  it('dead-letters an event that fails validation and keeps publishing the ones after it', async () => {
    const { topic, dlq, store, relay } = await setup();
    const validate = new JsonSchemaEventValidator({
      [CE_TYPE]: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
    }).validate;
    await relay({ validate }).start();
    const streamId = `control-${randomUUID()}`;
    await store.append({
      tenantId: 'tenant-2',
      streamId,
      streamType: 'control',
      expectedVersion: 'no-stream',
      events: [1, 'two', 3].map((n) => ({ type: 'ControlTested', data: { n } })),
    });

    const published = await readUntil(kafka, [topic], (r) => r.length >= 2);
    expect(published.map((r) => JSON.parse(String(r.value)))).toEqual([{ n: 1 }, { n: 3 }]);
    const [dead] = await readUntil(kafka, [dlq], (r) => r.length >= 1);
    expect(JSON.parse(String(dead.value))).toEqual({ n: 'two' });
    expect(dead.key).toBe(streamId);
    expect(dead.headers).toMatchObject({
      ce_type: CE_TYPE,
      ce_subject: streamId,
      ce_streamversion: '2',
      dlq_reason: 'validation',
      dlq_error: '/n must be integer',
      dlq_attempts: '1',
      dlq_source_topic: topic,
    });
    expect(readDeadLetter(asMessage(dead).headers)?.outboxId).toEqual(expect.any(Number));
    await waitFor(
      'the outbox to be marked sent',
      async () => (await new OutboxStore(db.pool).pendingCount()) === 0,
    );
  });

  it('retries with backoff while Kafka refuses, losing and reordering nothing', async () => {
    const { topic, store, relay } = await setup();
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
    const r = relay({ kafka: flaky, backoff: { initialMs: 50, maxMs: 200 } });
    await r.start();

    const records = await readUntil(kafka, [topic], (got) => got.length >= 10);
    expect(records.map((rec) => JSON.parse(String(rec.value)).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.stats().failedAttempts).toBeGreaterThanOrEqual(3);
    await waitFor(
      'the outbox to be marked sent',
      async () => (await new OutboxStore(db.pool).pendingCount()) === 0,
    );
  });

  it('lets one relay hold the lease; another takes over when it stops', async () => {
    const { topic, store, relay } = await setup();
    const first = relay();
    await first.start();
    await waitFor('the first relay to hold the lease', () => first.stats().holdsLease);
    const second = relay({ leaseRetryMs: 100 });
    await second.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(second.stats().holdsLease).toBe(false);

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
    const records = await readUntil(kafka, [topic], (r) => r.length >= 1);
    expect(records.map((r) => r.key)).toEqual([streamId]);
    expect(second.stats().published).toBe(1);
  });
});

function asMessage(record: SeenRecord) {
  return {
    value: record.value === null ? null : Buffer.from(record.value),
    headers: Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}
