import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { createTestDatabase, OutboxStore, PostgresEventStore, type TestDatabase } from '@attest/event-store';
import { EventConsumer } from './event-consumer';
import { eventTypeRegistry, outboxRouteFor } from './event-type-registry';
import { silentLogger } from './messaging-logger';
import { cleanUpKafka, freshName, freshTopic, testKafka, waitFor } from './test-kafka';
import { deadLetterTopic, ensureTopics } from './topics';

const ROOT = path.resolve(__dirname, '../../..');
const STREAMS = 20;
const EVENTS_PER_STREAM = 100;
const EVENTS_PER_APPEND = 5;
const KILLS = 3;

/** The relay as production runs it: its bin entry in a child process. */
class RelayProcess {
  readonly output: string[] = [];
  private child: ChildProcess | null = null;

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'libs/messaging/src/bin/outbox-relay-main.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json', ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    let started = false;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`relay did not start:\n${this.output.join('')}`)),
        30_000,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        this.output.push(chunk.toString());
        if (!started && chunk.toString().includes('outbox relay started')) {
          started = true;
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!started)
          reject(new Error(`relay exited (${code ?? signal}) before starting:\n${this.output.join('')}`));
      });
    });
  }

  /** Stops it the given way and waits for the process to be gone. */
  async stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }
}

describe('outbox relay killed mid-flight (child process, real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  const topic = freshTopic('kill');
  const groupId = freshName('attest-test-kill');
  // The test's own event type, outside the public catalog: the relay child learns it from files.
  const sampleTypes = [
    { storeType: 'SampleRecorded', ceType: 'io.attest.killtest.sample-recorded.v1', topic },
  ];
  let relay: RelayProcess;
  let consumer: EventConsumer;

  beforeAll(async () => {
    db = await createTestDatabase('attest_msg');
    kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic], { partitions: 6 });
    await admin.disconnect();
    await db.pool.query(`CREATE TABLE handled (
      seq bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text NOT NULL, stream_version int NOT NULL)`);
    const typesFile = path.join(os.tmpdir(), `${groupId}-types.json`);
    const schemasFile = path.join(os.tmpdir(), `${groupId}-schemas.json`);
    writeFileSync(typesFile, JSON.stringify(sampleTypes));
    writeFileSync(schemasFile, JSON.stringify({ [sampleTypes[0].ceType]: { type: 'object' } }));
    relay = new RelayProcess({
      ATTEST_RELAY_DATABASE: db.name,
      ATTEST_EVENT_SOURCE: '/attest/killtest',
      ATTEST_EVENT_TYPES: typesFile,
      ATTEST_EVENT_SCHEMAS: schemasFile,
    });
  });
  afterAll(async () => {
    await relay?.stop('SIGKILL');
    await consumer?.stop();
    await cleanUpKafka(kafka, [topic, deadLetterTopic(groupId)], [groupId]);
    await db.drop();
  });

  it('delivers every event, each handled exactly once and in stream order, across SIGKILLs of the relay', async () => {
    const store = new PostgresEventStore(db.pool, { outbox: outboxRouteFor(eventTypeRegistry(sampleTypes)) });
    await store.migrate();
    consumer = new EventConsumer({
      kafka,
      pool: db.pool,
      groupId,
      topics: [topic],
      partitionsConsumedConcurrently: 3,
      logger: silentLogger,
      handler: async (event, { tx }) => {
        await tx.query('INSERT INTO handled (event_id, stream_id, stream_version) VALUES ($1, $2, $3)', [
          event.id,
          event.subject,
          event.streamversion,
        ]);
      },
    });
    await consumer.start();
    await relay.start();

    // Appenders: four workers, five streams each, a few events per append, paced so the relay dies mid-flow.
    let appended = 0;
    const streams = Array.from({ length: STREAMS }, (_, i) => `sample-${i}-${randomUUID()}`);
    const appendAll = async (tenantId: string, mine: string[]) => {
      const versions = new Map(mine.map((s) => [s, 0]));
      while ([...versions.values()].some((v) => v < EVENTS_PER_STREAM)) {
        const open = mine.filter((s) => (versions.get(s) ?? 0) < EVENTS_PER_STREAM);
        const streamId = open[Math.floor(Math.random() * open.length)];
        const version = versions.get(streamId) ?? 0;
        await store.append({
          tenantId,
          streamId,
          streamType: 'sample',
          expectedVersion: version === 0 ? 'no-stream' : version,
          events: Array.from({ length: EVENTS_PER_APPEND }, (_, i) => ({
            type: 'SampleRecorded',
            data: { n: version + i + 1 },
          })),
        });
        versions.set(streamId, version + EVENTS_PER_APPEND);
        appended += EVENTS_PER_APPEND;
        await new Promise((r) => setTimeout(r, 40));
      }
    };
    const appending = Promise.all(
      [0, 1, 2, 3].map((w) => appendAll(`tenant-${w % 2}`, streams.slice(w * 5, w * 5 + 5))),
    );

    // Chaos: kill the relay at random moments while it publishes, then start a new one.
    let kills = 0;
    while (kills < KILLS) {
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1_200));
      await relay.stop('SIGKILL');
      kills++;
      await relay.start();
    }
    await appending;
    expect(appended).toBe(STREAMS * EVENTS_PER_STREAM);

    const handled = async () => Number((await db.pool.query('SELECT count(*) AS n FROM handled')).rows[0].n);
    await waitFor(
      'every event to be handled',
      async () => (await handled()) === STREAMS * EVENTS_PER_STREAM,
      45_000,
    );
    await waitFor('the outbox to drain', async () => (await new OutboxStore(db.pool).pendingCount()) === 0);
    expect(await relay.stop('SIGTERM')).toBe(0);

    // Exactly once: every stored event handled, none twice (UNIQUE event_id), one inbox row each.
    const stored = await db.pool.query<{ event_id: string }>(
      'SELECT event_id FROM event_store.events ORDER BY 1',
    );
    const seen = await db.pool.query<{ event_id: string }>('SELECT event_id FROM handled ORDER BY 1');
    expect(seen.rows).toEqual(stored.rows);
    const inbox = await db.pool.query('SELECT count(*) AS n FROM messaging.inbox WHERE consumer_group = $1', [
      groupId,
    ]);
    expect(Number(inbox.rows[0].n)).toBe(STREAMS * EVENTS_PER_STREAM);

    // In order: each stream's versions were handled 1, 2, 3, … with nothing skipped.
    const order = await db.pool.query<{ stream_id: string; versions: number[] }>(
      'SELECT stream_id, array_agg(stream_version ORDER BY seq) AS versions FROM handled GROUP BY stream_id',
    );
    expect(order.rows).toHaveLength(STREAMS);
    const expected = Array.from({ length: EVENTS_PER_STREAM }, (_, i) => i + 1);
    for (const row of order.rows) expect(row.versions).toEqual(expected);

    // Redeliveries (a relay killed between publishing and marking sent) were absorbed by the inbox.
    const stats = consumer.stats();
    expect(stats.handled).toBe(STREAMS * EVENTS_PER_STREAM);
    expect(stats.deadLettered).toBe(0);
    expect(stats.delivered).toBe(stats.handled + stats.duplicates);
    expect(kills).toBe(KILLS);
  }, 120_000);
});
