import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { createTestDatabase, NewEvent, PostgresEventStore } from '@attest/event-store';
import {
  ATTEST_PRODUCER_CONFIG,
  deadLetterTopic,
  ensureTopics,
  EventConsumer,
  eventTypeRegistry,
  outboxRouteFor,
  silentLogger,
} from '@attest/messaging';
import { infraEndpoints } from '@attest/platform-config';
import { eventCounts, formatRate } from './bench-args';
import { payloadOfSize, RunFigures, runFigures } from './latency-stats';

/**
 * The event pipeline (append → outbox → relay → Kafka → consumer with inbox → projection row), side by side with
 * raw kafkajs produce → consume of the same 1 KiB payloads, in one run. The relay runs as production runs it, in
 * its own process (its bin entry); the appenders and the consumer share this one.
 * Run: npm run bench:pipeline [-- --events 10000,100000]
 */

type Payload = ReturnType<typeof payloadOfSize>;

const PARTITIONS = 6;
const STREAMS = 60;
const EVENTS_PER_APPEND = 20;
// Services append from many requests at once, for many tenants; four concurrent writers stand in for that.
const APPENDERS = 4;
const PRODUCE_BATCH = 200; // the relay's default batch, so both sides send alike

const kafka = new Kafka({
  clientId: 'attest-bench',
  brokers: infraEndpoints().kafkaBrokers,
  logLevel: logLevel.NOTHING,
});

async function freshTopic(name: string): Promise<string> {
  const topic = `attest.bench.${name}.${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topic], { partitions: PARTITIONS });
  await admin.disconnect();
  return topic;
}

async function dropTopics(topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}

/** Raw kafkajs: an idempotent producer sends batches; a consumer group reads them; latency is send → receive. */
async function rawKafka(count: number, payloads: Payload[]): Promise<RunFigures> {
  const topic = await freshTopic('raw');
  const producer = kafka.producer({
    ...ATTEST_PRODUCER_CONFIG,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer = kafka.consumer({ groupId: `attest-bench-raw-${randomUUID()}` });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const sentAt = new Float64Array(count);
  const latencies: number[] = [];
  let received = 0;
  let lastAt = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: PARTITIONS,
      eachMessage: async ({ message }) => {
        const seq = Number(message.headers?.['seq']?.toString());
        const now = performance.now();
        latencies.push(now - sentAt[seq]);
        lastAt = now;
        if (++received === count) resolve();
      },
    });
  });
  await new Promise((r) => setTimeout(r, 1000)); // let the group settle before the clock starts
  const start = performance.now();
  for (let i = 0; i < count; i += PRODUCE_BATCH) {
    const messages = [];
    for (let j = i; j < Math.min(count, i + PRODUCE_BATCH); j++) {
      sentAt[j] = performance.now();
      messages.push({
        key: `stream-${j % STREAMS}`,
        value: JSON.stringify(payloads[j]),
        headers: { seq: String(j) },
      });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await done;
  await consumer.disconnect();
  await producer.disconnect();
  await dropTopics([topic]);
  return runFigures(count, lastAt - start, latencies);
}

/** The Attest pipeline: events appended to PostgreSQL leave through the outbox and land in a read model. */
async function attestPipeline(count: number, payloads: Payload[]): Promise<RunFigures> {
  const topic = await freshTopic('pipeline');
  const db = await createTestDatabase('attest_bench');
  const registry = eventTypeRegistry([
    { storeType: 'BenchRecorded', ceType: 'io.attest.bench.recorded.v1', topic },
  ]);
  const store = new PostgresEventStore(db.pool, { outbox: outboxRouteFor(registry) });
  await store.migrate();
  await db.pool.query(
    'CREATE TABLE stream_summary (stream_id text PRIMARY KEY, events int NOT NULL, last_seq int NOT NULL)',
  );

  const appendedAt = new Float64Array(count);
  const latencies: number[] = [];
  let handled = 0;
  let lastAt = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  const groupId = `attest-bench-pipeline-${randomUUID()}`;
  const consumer = new EventConsumer({
    kafka,
    pool: db.pool,
    groupId,
    topics: [topic],
    partitionsConsumedConcurrently: PARTITIONS,
    logger: silentLogger,
    handler: async (event, { tx }) => {
      const data = event.data as { seq: number };
      await tx.query(
        `INSERT INTO stream_summary AS s VALUES ($1, 1, $2)
         ON CONFLICT (stream_id) DO UPDATE SET events = s.events + 1, last_seq = $2`,
        [event.subject, data.seq],
      );
      // Counted once the handler's transaction has been asked to commit: close enough for a p99 in ms.
      const now = performance.now();
      latencies.push(now - appendedAt[data.seq]);
      lastAt = now;
      if (++handled === count) resolveDone();
    },
  });
  await consumer.start();
  const relay = await startRelayProcess(db.name, topic);
  await new Promise((r) => setTimeout(r, 1000));

  const start = performance.now();
  await Promise.all(
    Array.from({ length: APPENDERS }, async (_, w) => {
      for (let i = w * EVENTS_PER_APPEND; i < count; i += APPENDERS * EVENTS_PER_APPEND) {
        const events: NewEvent[] = [];
        const now = performance.now();
        for (let j = i; j < Math.min(count, i + EVENTS_PER_APPEND); j++) {
          appendedAt[j] = now;
          events.push({ type: 'BenchRecorded', data: payloads[j] });
        }
        await store.append({
          tenantId: `bench-${w}`,
          streamId: `stream-${w}-${(i / EVENTS_PER_APPEND) % (STREAMS / APPENDERS)}`,
          streamType: 'bench',
          expectedVersion: 'any',
          events,
        });
      }
    }),
  );
  await done;
  relay.kill('SIGTERM');
  await consumer.stop();
  await dropTopics([topic, deadLetterTopic(groupId)]);
  await db.drop();
  return runFigures(count, lastAt - start, latencies);
}

/** The relay's bin in a child process, told about the benchmark's event type through files. */
async function startRelayProcess(database: string, topic: string) {
  const ceType = 'io.attest.bench.recorded.v1';
  const dir = os.tmpdir();
  const typesFile = path.join(dir, `attest-bench-types-${topic}.json`);
  const schemasFile = path.join(dir, `attest-bench-schemas-${topic}.json`);
  writeFileSync(typesFile, JSON.stringify([{ storeType: 'BenchRecorded', ceType, topic }]));
  writeFileSync(schemasFile, JSON.stringify({ [ceType]: { type: 'object' } }));
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'libs/messaging/src/bin/outbox-relay-main.ts'],
    {
      cwd: path.resolve(__dirname, '../../..'),
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tsconfig.base.json',
        ATTEST_RELAY_DATABASE: database,
        ATTEST_EVENT_SOURCE: '/attest/bench',
        ATTEST_EVENT_TYPES: typesFile,
        ATTEST_EVENT_SCHEMAS: schemasFile,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('outbox relay started')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}`)));
  });
  return child;
}

function row(name: string, f: RunFigures): string {
  return `${name.padEnd(18)} | ${String(f.events).padEnd(7)} | ${formatRate(f.eventsPerSecond).padEnd(12)} | ${f.p50Ms.toFixed(1).padStart(8)} | ${f.p99Ms.toFixed(1).padStart(8)}`;
}

async function main(): Promise<void> {
  console.log('run                | events  | throughput   | p50 (ms) | p99 (ms)');
  for (const count of eventCounts(process.argv, [10_000, 100_000])) {
    // Made before either clock starts, so neither side pays for building them.
    const payloads = Array.from({ length: count }, (_, i) => payloadOfSize(1024, i));
    const raw = await rawKafka(count, payloads);
    console.log(row('raw kafkajs', raw));
    const pipeline = await attestPipeline(count, payloads);
    console.log(row('attest pipeline', pipeline));
    console.log(
      `ratio (pipeline / raw throughput) at ${count}: ${(pipeline.eventsPerSecond / raw.eventsPerSecond).toFixed(2)}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
