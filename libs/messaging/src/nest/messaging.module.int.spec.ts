import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Kafka, logLevel } from 'kafkajs';
import type { PoolClient } from 'pg';
import { PostgresEventStore } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import type { CloudEvent } from '../cloud-event';
import type { EventBatchContext, EventContext } from '../event-consumer';
import { eventTypeRegistry, outboxRouteFor } from '../event-type-registry';
import { silentLogger } from '../messaging-logger';
import { cleanUpKafka, freshName, freshTopic, testKafka, waitFor } from '../test-kafka';
import { deadLetterTopic, ensureTopics } from '../topics';
import { MessagingLifecycle } from './messaging-lifecycle';
import { MessagingModule } from './messaging.module';
import { OnAttestEvent, OnAttestEvents } from './on-attest-event.decorator';

const COLLECTED = 'io.attest.nesttest.evidence.collected.v1';
const REJECTED = 'io.attest.nesttest.evidence.rejected.v1';

interface Seen {
  handler: string;
  event: CloudEvent;
  attempt: number;
  inTransaction: boolean;
}
const seen: Seen[] = [];

/** Whether the handler's client is inside BEGIN … COMMIT: PostgreSQL refuses a SAVEPOINT outside a transaction. */
async function inTransaction(tx: PoolClient): Promise<boolean> {
  try {
    await tx.query('SAVEPOINT probe; RELEASE SAVEPOINT probe');
    return true;
  } catch {
    return false;
  }
}

@Injectable()
class EvidenceListener {
  @OnAttestEvent(COLLECTED)
  async onCollected(event: CloudEvent, ctx: EventContext): Promise<void> {
    seen.push({
      handler: 'onCollected',
      event,
      attempt: ctx.attempt,
      inTransaction: await inTransaction(ctx.tx),
    });
  }

  @OnAttestEvent(COLLECTED, REJECTED)
  async audit(event: CloudEvent, ctx: EventContext): Promise<void> {
    seen.push({ handler: 'audit', event, attempt: ctx.attempt, inTransaction: await inTransaction(ctx.tx) });
  }

  @OnAttestEvents(REJECTED)
  async rejections(events: CloudEvent[], ctx: EventBatchContext): Promise<void> {
    const open = await inTransaction(ctx.tx);
    for (const event of events)
      seen.push({ handler: 'rejections', event, attempt: ctx.attempt, inTransaction: open });
  }
}

describe('MessagingModule (NestJS, real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let app: INestApplicationContext | undefined;
  const topic = freshTopic('nest');
  const groupId = freshName('attest-test-nest');
  const registry = eventTypeRegistry([
    { storeType: 'EvidenceCollected', ceType: COLLECTED, topic },
    { storeType: 'EvidenceRejected', ceType: REJECTED, topic },
  ]);

  beforeAll(async () => {
    db = await createTestDatabase('attest_msg');
    kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic]);
    await admin.disconnect();
  });
  afterAll(async () => {
    await app?.close();
    await cleanUpKafka(kafka, [topic, deadLetterTopic(groupId)], [groupId]);
    await db.drop();
  });

  it('dispatches events published through the relay to @OnAttestEvent(s) methods, and drains on close', async () => {
    const store = new PostgresEventStore(db.pool, {
      outbox: outboxRouteFor(registry),
      source: '/attest/nesttest',
    });
    await store.migrate();

    @Module({
      imports: [
        MessagingModule.forRoot({
          groupId,
          source: '/attest/nesttest',
          topics: [topic],
          pool: db.pool,
          relay: { registry },
          kafkaLogLevel: logLevel.NOTHING,
          logger: silentLogger,
        }),
      ],
      providers: [EvidenceListener],
    })
    class EvidenceServiceModule {}

    app = await NestFactory.createApplicationContext(EvidenceServiceModule, { logger: false });
    app.enableShutdownHooks();

    const streamId = `evidence-${randomUUID()}`;
    await store.append({
      tenantId: 'tenant-nest',
      streamId,
      streamType: 'evidence',
      expectedVersion: 'no-stream',
      events: [
        { type: 'EvidenceCollected', data: { controlId: 'CC6.1' }, metadata: { correlationId: 'req-1' } },
        { type: 'EvidenceRejected', data: { reason: 'blurry' } },
      ],
    });

    await waitFor('four handler calls', () => seen.length === 4);
    // In order: each event to its per-event handlers, then the run of events of a type to its batch handlers.
    expect(seen.map((s) => [s.handler, s.event.type])).toEqual([
      ['onCollected', COLLECTED],
      ['audit', COLLECTED],
      ['audit', REJECTED],
      ['rejections', REJECTED],
    ]);
    expect(seen[0].event).toMatchObject({
      source: '/attest/nesttest',
      subject: streamId,
      tenantid: 'tenant-nest',
      streamversion: 1,
      correlationid: 'req-1',
      data: { controlId: 'CC6.1' },
    });
    expect(seen.every((s) => s.inTransaction && s.attempt === 1)).toBe(true);
    const lifecycle = app.get(MessagingLifecycle);
    expect(lifecycle.stats()).toMatchObject({
      relay: { published: 2, deadLettered: 0 },
      consumer: { handled: 2, duplicates: 0, deadLettered: 0 },
    });

    await app.close();
    app = undefined;
    expect(lifecycle.stats()).toEqual({ consumer: null, relay: null });
    const inbox = await db.pool.query('SELECT count(*) AS n FROM messaging.inbox WHERE consumer_group = $1', [
      groupId,
    ]);
    expect(Number(inbox.rows[0].n)).toBe(2);
  });
});
