import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Kafka, Message } from 'kafkajs';
import type { PoolClient } from 'pg';
import { PostgresEventStore, type RecordedEvent } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { encodeCloudEvent } from './cloud-event-codec';
import { consumerLag } from './consumer-lag';
import type { CloudEvent } from './cloud-event';
import {
  BatchEventError,
  EventConsumer,
  type EventBatchContext,
  type EventConsumerOptions,
  type EventHandler,
} from './event-consumer';
import { JsonSchemaEventValidator } from './event-validator';
import { migrateMessaging } from './inbox';
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
    ceType: CE_TYPE,
    source: '/attest/consumertest',
    schemaVersion: 1,
    topic: null,
    data,
    metadata: { correlationId: `corr-${version}` },
    recordedAt: new Date().toISOString(),
    position: { transactionId: '1', globalPosition: sequence },
    prevHash: '0'.repeat(64),
    hash: String(sequence).padStart(64, '0'),
  };
}

function encode(event: RecordedEvent, topic: string) {
  return encodeCloudEvent(event, { topic }).message;
}

const ROOT = path.resolve(__dirname, '../../..');

describe('EventConsumer (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let store: PostgresEventStore;
  const topics: string[] = [];
  const groups: string[] = [];
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('attest_msg');
    await db.pool.query(`CREATE TABLE handled (
      seq serial PRIMARY KEY, group_id text NOT NULL, event_id uuid NOT NULL, n int, attempt int NOT NULL)`);
    kafka = testKafka();
    store = new PostgresEventStore(db.pool);
    await store.migrate();
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
    try {
      await ensureTopics(admin, [topic], { partitions: 1 });
    } finally {
      await admin.disconnect();
    }
    const producer = kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    try {
      await producer.send({ topic, messages, acks: -1 });
    } finally {
      await producer.disconnect();
    }
    return { topic, groupId };
  }

  async function consume(
    topic: string,
    groupId: string,
    handler: EventHandler | null,
    options: Partial<EventConsumerOptions> = {},
  ) {
    const consumer = new EventConsumer({
      kafka,
      pool: db.pool,
      groupId,
      topics: [topic],
      ...(handler ? { handler } : {}),
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

  /**
   * Not idempotent on purpose, so the domain cannot hide a second run: every call appends a new ledger entry (a fresh
   * event id) for the consumed event, inside the consumer's transaction.
   */
  const postLedgerEntry = (tx: PoolClient, event: CloudEvent) =>
    store.appendInTransaction(tx, [
      {
        tenantId: event.tenantid,
        streamId: `ledger-${event.id}`,
        streamType: 'ledger',
        expectedVersion: 'any',
        events: [{ type: 'EntryPosted', data: { for: event.id } }],
      },
    ]);

  const ledgerEntriesFor = async (eventIds: string[]) =>
    (
      await db.pool.query<{ stream_id: string; n: string }>(
        `SELECT stream_id, count(*) AS n FROM event_store.events WHERE stream_id = ANY($1) GROUP BY stream_id`,
        [eventIds.map((id) => `ledger-${id}`)],
      )
    ).rows.reduce<Record<string, number>>((all, r) => ({ ...all, [r.stream_id.slice(7)]: Number(r.n) }), {});

  const committedLag = async (groupId: string, topic: string) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await consumerLag(admin, groupId, [topic]);
    } finally {
      await admin.disconnect();
    }
  };

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

  it('stops after the run in flight, commits it, and leaves the next record for the next member', async () => {
    const stream = `sample-${randomUUID()}`;
    const { topic, groupId } = await given([
      encode(recorded(stream, 1, { n: 1 }), 'x'),
      encode(recorded(stream, 2, { n: 2 }), 'x'),
    ]);
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const consumer = await consume(
      topic,
      groupId,
      async (event, ctx) => {
        entered();
        await gate;
        await record(event, ctx);
      },
      { transactionBatchSize: 1 },
    );
    await inHandler;
    // The stop is under way (kafkajs stops handing out runs at once) while the first record is still in its handler.
    const stopped = consumer.stop();
    release();
    await stopped;

    expect((await handledBy(groupId)).map((r) => r.n)).toEqual([1]);
    expect((await committedLag(groupId, topic)).partitions).toEqual([
      expect.objectContaining({ committedOffset: 1, highWatermark: 2, lag: 1 }),
    ]);
  });

  it('heartbeats through a handler that runs for three session timeouts, keeping its partition', async () => {
    const stream = `sample-${randomUUID()}`;
    const { topic, groupId } = await given([
      encode(recorded(stream, 1, { n: 1 }), 'x'),
      encode(recorded(stream, 2, { n: 2 }), 'x'),
    ]);
    const sessionTimeoutMs = 6_000; // the broker's smallest
    const consumer = await consume(
      topic,
      groupId,
      async (event, ctx) => {
        if ((event.data as { n: number }).n === 1)
          await new Promise((r) => setTimeout(r, 3 * sessionTimeoutMs));
        await record(event, ctx);
      },
      // kafkajs sends a heartbeat every 0.5 s now (it used to drop calls within 3 s of the last one): a member is lost
      // only if the event loop stalls for over 5.5 s, not 3.
      { sessionTimeoutMs, heartbeatIntervalMs: 500 },
    );
    await waitFor(
      'the group to commit both records',
      async () => (await committedLag(groupId, topic)).total === 0,
      60_000,
    );
    // Thrown out of the group, the member could not have committed before reading both records again.
    expect(consumer.stats()).toMatchObject({ delivered: 2, handled: 2, duplicates: 0 });
  }, 90_000);

  it("a process killed between its handler's append and the commit leaves nothing; the redelivery appends once", async () => {
    // Old behaviour: a handler could only append through appendBatch, which commits on its own connection, so the
    // entry survived the crash and the redelivered record posted a second one.
    const event = recorded(`sample-${randomUUID()}`, 1, { n: 1 });
    const { topic, groupId } = await given([encode(event, 'x')]);

    // A consumer in a child process whose handler appends in the consumer's transaction, then the process dies.
    const child = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        '-e',
        `
        const { PostgresEventStore } = require('./libs/event-store/src/postgres-event-store');
        const { EventConsumer } = require('./libs/messaging/src/event-consumer');
        const { silentLogger } = require('./libs/messaging/src/messaging-logger');
        const { testKafka } = require('./libs/messaging/src/test-kafka');
        const { Pool } = require('pg');
        const pool = new Pool({ connectionString: process.env.CRASH_DATABASE_URL });
        const store = new PostgresEventStore(pool);
        new EventConsumer({
          kafka: testKafka(), pool, groupId: process.env.CRASH_GROUP, topics: [process.env.CRASH_TOPIC],
          sessionTimeoutMs: 6000, logger: silentLogger, inboxRetention: false,
          handler: async (event, { tx }) => {
            await store.appendInTransaction(tx, [{ tenantId: event.tenantid, streamId: 'ledger-' + event.id,
              streamType: 'ledger', expectedVersion: 'any', events: [{ type: 'EntryPosted', data: { for: event.id } }] }]);
            process.kill(process.pid, 'SIGKILL');
          },
        }).start().catch((err) => { console.error(err); process.exit(1); });
        `,
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          SWC_NODE_PROJECT: 'tsconfig.base.json',
          CRASH_DATABASE_URL: db.url,
          CRASH_GROUP: groupId,
          CRASH_TOPIC: topic,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    // A child that never reaches its handler is not left running.
    let gaveUp = false;
    const deadline = setTimeout(() => {
      gaveUp = true;
      child.kill('SIGKILL');
    }, 60_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(deadline);
    expect({ gaveUp, code, signal, errors }).toMatchObject({ gaveUp: false, signal: 'SIGKILL' });
    // The crashed transaction took its append and its inbox record with it, and Kafka has no offset for the group.
    expect(await ledgerEntriesFor([event.eventId])).toEqual({});
    expect((await committedLag(groupId, topic)).partitions[0].committedOffset).toBeNull();

    const consumer = await consume(
      topic,
      groupId,
      (event, { tx }) => postLedgerEntry(tx, event).then(() => undefined),
      {
        sessionTimeoutMs: 6_000,
      },
    );
    await waitFor(
      'the redelivered record to be committed',
      async () => (await committedLag(groupId, topic)).total === 0,
      60_000,
    );
    expect(consumer.stats()).toMatchObject({ handled: 1, duplicates: 0 });
    expect(await ledgerEntriesFor([event.eventId])).toEqual({ [event.eventId]: 1 });
  }, 120_000);

  it("a run that falls back to one record at a time does not append the earlier records' events twice", async () => {
    // Old behaviour: the earlier handlers' appends had committed on their own connection before the run failed, and
    // the one-by-one pass appended them again.
    const stream = `sample-${randomUUID()}`;
    const events = [1, 2, 3].map((n) => recorded(stream, n, { n }));
    const { topic, groupId } = await given(events.map((e) => encode(e, 'x')));
    const calls: [number, number][] = [];
    const consumer = await consume(topic, groupId, async (event, ctx) => {
      const { n } = event.data as { n: number };
      calls.push([n, ctx.attempt]);
      await postLedgerEntry(ctx.tx, event);
      if (n === 3 && ctx.attempt === 1) throw new TransientError('search index busy');
    });
    await waitFor('all three records to be handled', () => consumer.stats().handled === 3);
    // The run of three, then each record on its own, the third on its second attempt.
    expect(calls).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    expect(await ledgerEntriesFor(events.map((e) => e.eventId))).toEqual(
      Object.fromEntries(events.map((e) => [e.eventId, 1])),
    );
  });

  /** Another writer's append to the tenant, committed on its own connection while a handler runs. */
  const appendElsewhere = (tenantId: string) =>
    store.append({
      tenantId,
      streamId: `elsewhere-${randomUUID()}`,
      streamType: 'ledger',
      expectedVersion: 'no-stream',
      events: [{ type: 'EntryPosted', data: { for: 'someone else' } }],
    });

  it('a handler appends although another writer appended to the tenant meanwhile: the inbox claim comes after it', async () => {
    // Old behaviour: the inbox claim came first and gave the transaction its id, older than the other writer's, so
    // the append was refused (LogOrderConflictError) and the record retried, or dead-lettered.
    const event = recorded(`sample-${randomUUID()}`, 1, { n: 1 });
    const { topic, groupId } = await given([encode(event, 'x')]);
    const attempts: number[] = [];
    const consumer = await consume(topic, groupId, async (e, ctx) => {
      attempts.push(ctx.attempt);
      await appendElsewhere(e.tenantid);
      await postLedgerEntry(ctx.tx, e);
    });
    await waitFor('the record to be handled', () => consumer.stats().handled === 1);
    expect(attempts).toEqual([1]);
    expect(consumer.stats()).toMatchObject({ retries: 0, deadLettered: 0 });
    expect(await ledgerEntriesFor([event.eventId])).toEqual({ [event.eventId]: 1 });
  });

  it("a run whose later append is refused as older than another writer's is redone in new transactions", async () => {
    // The run took its transaction id at its first append (tenant A); another writer then appended to tenant B
    // before the run's append to B. Old behaviour: LogOrderConflictError was not transient, so the record was
    // dead-lettered.
    const stream = `sample-${randomUUID()}`;
    const first = recorded(stream, 1, { n: 1 });
    const second = { ...recorded(stream, 2, { n: 2 }), tenantId: 'tenant-2' };
    const { topic, groupId } = await given([encode(first, 'x'), encode(second, 'x')]);
    const calls: [number, number][] = [];
    const consumer = await consume(topic, groupId, async (e, ctx) => {
      const { n } = e.data as { n: number };
      calls.push([n, ctx.attempt]);
      if (n === 2 && calls.length === 2) await appendElsewhere(e.tenantid);
      await postLedgerEntry(ctx.tx, e);
    });
    await waitFor('both records to be handled', () => consumer.stats().handled === 2);
    expect(calls).toEqual([
      [1, 1],
      [2, 1],
      [1, 1],
      [2, 2],
    ]);
    expect(consumer.stats()).toMatchObject({ retries: 1, deadLettered: 0 });
    expect(await ledgerEntriesFor([first.eventId, second.eventId])).toEqual({
      [first.eventId]: 1,
      [second.eventId]: 1,
    });
  });

  it('hands a run of records to a batch handler in one call and one transaction, without the redelivered ones', async () => {
    const stream = `sample-${randomUUID()}`;
    const events = [1, 2, 3, 4].map((n) => recorded(stream, n, { n }));
    const { topic, groupId } = await given([...events, events[1]].map((e) => encode(e, 'x')));
    const calls: { ns: number[]; offsets: string[]; attempt: number }[] = [];
    const consumer = await consume(topic, groupId, null, {
      handleBatch: async (batch: CloudEvent[], ctx: EventBatchContext) => {
        calls.push({
          ns: batch.map((e) => (e.data as { n: number }).n),
          offsets: ctx.origins.map((o) => o.offset),
          attempt: ctx.attempt,
        });
        // One statement for the whole run.
        await ctx.tx.query(
          `INSERT INTO handled (group_id, event_id, n, attempt)
           SELECT $1, id, n, $4 FROM unnest($2::uuid[], $3::int[]) AS u(id, n)`,
          [ctx.groupId, batch.map((e) => e.id), batch.map((e) => (e.data as { n: number }).n), ctx.attempt],
        );
      },
    });
    await waitFor('the run to be committed', async () => (await committedLag(groupId, topic)).total === 0);
    expect(calls).toEqual([{ ns: [1, 2, 3, 4], offsets: ['0', '1', '2', '3'], attempt: 1 }]);
    expect((await handledBy(groupId)).map((r) => r.n)).toEqual([1, 2, 3, 4]);
    expect(consumer.stats()).toEqual({
      delivered: 5,
      handled: 4,
      duplicates: 1,
      deadLettered: 0,
      retries: 0,
    });
  });

  it('retries only up to the event a batch handler names as failed, and goes on with a new run after it', async () => {
    const stream = `sample-${randomUUID()}`;
    const { topic, groupId } = await given(
      [1, 2, 3, 4, 5].map((n) => encode(recorded(stream, n, { n }), 'x')),
    );
    const calls: { ns: number[]; attempt: number }[] = [];
    const consumer = await consume(topic, groupId, null, {
      handleBatch: async (batch, ctx) => {
        const ns = batch.map((e) => (e.data as { n: number }).n);
        calls.push({ ns, attempt: ctx.attempt });
        await ctx.tx.query(
          `INSERT INTO handled (group_id, event_id, n, attempt)
           SELECT $1, id, n, $4 FROM unnest($2::uuid[], $3::int[]) AS u(id, n)`,
          [ctx.groupId, batch.map((e) => e.id), ns, ctx.attempt],
        );
        const third = ns.indexOf(3);
        if (third >= 0 && ctx.attempt === 1)
          throw new BatchEventError(third, new TransientError('index busy'));
      },
    });
    await waitFor('every record to be handled', () => consumer.stats().handled === 5);
    expect(calls).toEqual([
      { ns: [1, 2, 3, 4, 5], attempt: 1 },
      { ns: [1], attempt: 1 },
      { ns: [2], attempt: 1 },
      { ns: [3], attempt: 2 },
      { ns: [4, 5], attempt: 1 },
    ]);
    expect((await handledBy(groupId)).map((r) => [r.n, r.attempt])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 1],
      [5, 1],
    ]);
    expect(consumer.stats()).toMatchObject({ handled: 5, duplicates: 0, retries: 1, deadLettered: 0 });
  });

  it('prunes its own inbox rows older than the retention, in batches, at start and then periodically', async () => {
    // Old behaviour: the inbox grew forever.
    const { topic, groupId } = await given([encode(recorded(`sample-${randomUUID()}`, 1, { n: 1 }), 'x')]);
    const otherGroup = freshName('attest-test-other');
    await migrateMessaging(db.pool);
    const seed = (group: string, count: number, daysAgo: number) =>
      db.pool.query(
        `INSERT INTO messaging.inbox (consumer_group, event_id, handled_at)
         SELECT $1, gen_random_uuid(), now() - $3 * interval '1 day' FROM generate_series(1, $2)`,
        [group, count, daysAgo],
      );
    const count = async (group: string, olderThanDays: number) =>
      Number(
        (
          await db.pool.query(
            `SELECT count(*) AS n FROM messaging.inbox
             WHERE consumer_group = $1 AND handled_at < now() - $2 * interval '1 day'`,
            [group, olderThanDays],
          )
        ).rows[0].n,
      );
    await seed(groupId, 250, 15);
    await seed(groupId, 10, 13);
    await seed(otherGroup, 5, 15);

    // The default retention (14 days) is kept; only the interval and batch size are small for the test.
    const consumer = await consume(topic, groupId, record, {
      inboxRetention: { intervalMs: 200, batchSize: 100 },
    });
    await waitFor('the stale rows to be pruned at start', async () => (await count(groupId, 14)) === 0);
    await seed(groupId, 30, 20);
    await waitFor(
      'rows gone stale later to be pruned by a later round',
      async () => (await count(groupId, 14)) === 0,
    );
    await waitFor('the record to be handled', () => consumer.stats().handled === 1);

    expect(await count(groupId, 0)).toBe(10 + 1);
    expect(await count(otherGroup, 14)).toBe(5);
  });
});
