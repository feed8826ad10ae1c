import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { LOG_START, type LogPosition, type PostgresEventStore } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import type { ValidateEvent } from '@attest/messaging';
import { benchEvents, benchStore, startBenchConsumer, startRelayProcess, streamOf } from './attest-pipeline';
import { eventCounts, flag, formatRate } from './bench-args';
import { assertValid, benchValidator } from './bench-event';
import { loadNow, newReport, writeReport } from './bench-report';
import { CommitClock } from './commit-clock';
import { cpuPerThousand, sampleCpu } from './cpu-meter';
import { payloadOfSize } from './latency-stats';
import { closedLoop } from './load';
import {
  benchKafka,
  deleteGroups,
  dropTopics,
  freshTopic,
  PARTITIONS,
  type Payload,
  rawKafkaThroughput,
  timeoutFor,
} from './raw-kafka';
import { STREAM_SUMMARY_TABLE } from './stream-summary';

/**
 * Each stage of the event pipeline alone, on the same 1 KiB payloads and machine, so the full run's figure can be
 * explained: where the events/s go. Stages feed each other: the append stage fills a log, the relay stage publishes
 * that full log, the consumer stage works off that full topic.
 * Run: npm run bench:stages [-- --events 20000] [--per-event-handler] [--quick]
 * Figures go to stdout and to docs/benchmarks/pipeline-stages.json.
 */

interface StageFigure {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  durable: boolean;
  what: string;
  /** CPU ms per 1,000 events by component; the Kafka broker's is shared with whatever else runs. */
  cpuMsPerThousand: Record<string, number>;
}

const figures: Record<string, StageFigure> = {};

function record(
  name: string,
  events: number,
  elapsedMs: number,
  what: string,
  cpu: Record<string, number>,
  durable = true,
): StageFigure {
  const f = {
    events,
    seconds: elapsedMs / 1000,
    eventsPerSecond: events / (elapsedMs / 1000),
    durable,
    what,
    cpuMsPerThousand: cpu,
  };
  figures[name] = f;
  const label = durable ? name : `${name} [NOT DURABLE]`;
  const cpuText = Object.entries(cpu)
    .filter(([, v]) => v >= 0.5)
    .map(([k, v]) => `${k} ${Math.round(v)}`)
    .join(', ');
  console.log(
    `${label.padEnd(66)} | ${formatRate(f.eventsPerSecond).padStart(13)} | ${loadNow()} | ${cpuText}`,
  );
  return f;
}

/** 1 KiB JSONB rows through one `unnest` insert per transaction: what PostgreSQL itself does on this machine. */
async function rawPostgres(payloads: Payload[], writers: number, rowsPerTx: number): Promise<void> {
  const db = await createTestDatabase('attest_bench');
  try {
    await db.pool.query(
      'CREATE TABLE raw_rows (event_id uuid PRIMARY KEY, tenant_id text NOT NULL, seq bigint NOT NULL, data jsonb NOT NULL)',
    );
    const total = rowsPerTx === 1 ? Math.min(payloads.length, 5_000) : payloads.length;
    const before = await sampleCpu(db.pool, db.name);
    const elapsed = await closedLoop({
      writers,
      total,
      perCall: rowsPerTx,
      call: async (w, _k, first, n) => {
        const slice = payloads.slice(first, first + n);
        await db.pool.query(
          'INSERT INTO raw_rows SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::jsonb[])',
          [
            slice.map(() => randomUUID()),
            slice.map(() => `bench-${w}`),
            slice.map((p) => p.seq),
            slice.map((p) => JSON.stringify(p)),
          ],
        );
      },
    });
    record(
      `raw PostgreSQL unnest insert, ${writers} writers × ${rowsPerTx} rows`,
      total,
      elapsed,
      'INSERT … SELECT FROM unnest of 1 KiB jsonb rows, one statement per transaction, fresh table',
      cpuPerThousand(before, await sampleCpu(db.pool, db.name), total),
    );
  } finally {
    await db.drop();
  }
}

/** Appends with `writers` concurrent writers (one tenant each) into a fresh store; returns it, full, for the next stages. */
async function appendStage(
  payloads: Payload[],
  writers: number,
  perAppend: number,
  validate: ValidateEvent,
  options: { topic?: string; synchronousCommitOff?: boolean } = {},
): Promise<{ db: TestDatabase; store: PostgresEventStore }> {
  const db = await createTestDatabase('attest_bench');
  // A separate pool for the non-durable variant: the setting is the session's, so it holds for every append.
  const pool = options.synchronousCommitOff
    ? new Pool({ connectionString: db.url, max: 20, options: '-c synchronous_commit=off' })
    : db.pool;
  const store = benchStore(pool, options.topic ?? 'attest.bench.unpublished');
  await store.migrate();
  const before = await sampleCpu(db.pool, db.name);
  const elapsed = await closedLoop({
    writers,
    total: payloads.length,
    perCall: perAppend,
    call: async (w, k, first, n) => {
      await store.append({
        ...streamOf({ tenants: writers, writers }, w, k),
        streamType: 'bench',
        expectedVersion: 'any',
        events: benchEvents(payloads, first, first + n, validate),
      });
    },
  });
  const cpu = cpuPerThousand(before, await sampleCpu(db.pool, db.name), payloads.length);
  if (pool !== db.pool) await pool.end();
  record(
    `append, ${writers} writers × ${perAppend} events${options.synchronousCommitOff ? ', synchronous_commit=off' : ''}`,
    payloads.length,
    elapsed,
    `store.append from ${writers} concurrent writers, one tenant each, validated before append`,
    cpu,
    !options.synchronousCommitOff,
  );
  return { db, store };
}

/** Until the topic holds `n` records (polled; 20 ms granularity), returning when that was seen. */
async function whenTopicHolds(topic: string, n: number, timeoutMs: number): Promise<number> {
  const admin = benchKafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const held = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      if (held >= n) return performance.now();
      if (Date.now() > deadline) throw new Error(`topic ${topic} holds ${held} of ${n} records`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Plain kafkajs consumer group over a full topic, validating each payload: the ceiling for the consumer stage. */
async function rawConsumeStage(topic: string, n: number, validate: ValidateEvent): Promise<void> {
  const groupId = `attest-bench-stage-raw-${randomUUID()}`;
  const consumer = benchKafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set<string>();
  const before = await sampleCpu(null, null);
  let first = Number.NaN;
  let last = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`raw consume: ${seen.size} of ${n}`)), timeoutFor(n));
      void consumer.run({
        partitionsConsumedConcurrently: PARTITIONS,
        eachMessage: async ({ message }) => {
          if (Number.isNaN(first)) first = performance.now();
          assertValid(validate, JSON.parse(String(message.value)));
          seen.add(String(message.headers?.['ce_id']));
          last = performance.now();
          if (seen.size === n) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
    await deleteGroups([groupId]);
  }
  const cpu = cpuPerThousand(before, await sampleCpu(null, null), n);
  delete cpu['postgresBackends'];
  record(
    'raw kafkajs consume alone (topic full)',
    n,
    last - first,
    'kafkajs eachMessage, 6 partitions, validating each payload',
    cpu,
  );
}

/** Events the gap-safe log shows now (it hides commits younger than the oldest transaction open on the server). */
async function readWholeLog(store: PostgresEventStore): Promise<number> {
  let read = 0;
  for (let after: LogPosition = LOG_START; ;) {
    const page = await store.readLog(after, 1000);
    if (page.length === 0) return read;
    read += page.length;
    after = page[page.length - 1].position;
  }
}

/** The global log read in pages of 1,000, best of three (caches warm). */
async function logReadStage(db: TestDatabase, store: PostgresEventStore, n: number): Promise<void> {
  // Other work on the server may hold the log's horizon back for a while; the stage times reading, not waiting.
  const deadline = Date.now() + 60_000;
  while ((await readWholeLog(store)) < n) {
    if (Date.now() > deadline) throw new Error(`the log does not show all ${n} events within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  let best = Number.POSITIVE_INFINITY;
  let cpu: Record<string, number> = {};
  for (let round = 0; round < 3; round++) {
    const before = await sampleCpu(db.pool, db.name);
    const t = performance.now();
    const read = await readWholeLog(store);
    if (read !== n) throw new Error(`log read ${read} of ${n} events`);
    const elapsed = performance.now() - t;
    if (elapsed < best) {
      best = elapsed;
      cpu = cpuPerThousand(before, await sampleCpu(db.pool, db.name), n);
    }
  }
  record(
    'global log read (readLog, pages of 1,000)',
    n,
    best,
    'store.readLog over the full log, best of three',
    cpu,
  );
}

async function main(): Promise<void> {
  const [count] = eventCounts(process.argv, [20_000]);
  const validate = benchValidator();
  const report = await newReport('pipeline-stages', 'bench:stages');
  report.notes.push(
    'Each stage alone, on a fresh database or topic, same 1 KiB payloads. Durable (fsync, synchronous_commit on) unless marked NOT DURABLE; those are for reference only and never a deployable setting for appends.',
    'relay alone: the log already holds every event when the relay process (its bin) starts; timed from its start line to the last record on the topic.',
    'consumer alone: the topic already holds every event; timed from the first record handed to a handler to the last handler COMMIT.',
  );
  const payloads = Array.from({ length: count }, (_, i) => payloadOfSize(1024, i));
  console.log(`${'stage'.padEnd(66)} | ${'rate'.padStart(13)} | load | CPU ms per 1,000 events`);

  const raw = await rawKafkaThroughput(payloads, validate);
  record(
    'raw kafkajs produce → consume (reference)',
    count,
    raw.seconds * 1000,
    'as in bench:pipeline',
    raw.cpuMsPerThousand,
  );

  // `--quick`: only the stages the pipeline runs through (append 4 × 20, log read, relay, consumer).
  if (!flag(process.argv, 'quick')) {
    for (const [writers, rows] of [
      [1, 1],
      [4, 1],
      [4, 20],
      [8, 20],
      [4, 200],
    ]) {
      await rawPostgres(payloads, writers, rows);
    }
    for (const writers of [1, 4, 8]) {
      for (const perAppend of [20, 200]) {
        if (writers === 4 && perAppend === 20) continue; // measured below, on the log the next stages use
        const { db } = await appendStage(payloads, writers, perAppend, validate);
        await db.drop();
      }
    }
    const notDurable = await appendStage(payloads, 4, 20, validate, { synchronousCommitOff: true });
    await notDurable.db.drop();
  }

  const topic = await freshTopic('stages');
  const { db, store } = await appendStage(payloads, 4, 20, validate, { topic });
  try {
    await logReadStage(db, store, count);

    const relay = await startRelayProcess(db.name);
    const relayCpu = () => sampleCpu(db.pool, db.name, { relayProcess: relay.pid });
    const relayBefore = await relayCpu();
    const published = await whenTopicHolds(topic, count, timeoutFor(count));
    const relayAfter = await relayCpu();
    await relay.stop();
    record(
      'relay alone (log full → Kafka)',
      count,
      published - relay.startedAt,
      'relay bin in its own process',
      cpuPerThousand(relayBefore, relayAfter, count),
    );

    await rawConsumeStage(topic, count, validate);

    await db.pool.query(STREAM_SUMMARY_TABLE);
    const clock = new CommitClock(new Float64Array(count));
    const consumer = await startBenchConsumer({
      databaseUrl: db.url,
      topic,
      clock,
      validate,
      perEventHandler: flag(process.argv, 'per-event-handler'),
    });
    let consumerCpu: Record<string, number>;
    try {
      const before = await sampleCpu(db.pool, db.name);
      await clock.until(count, timeoutFor(count));
      consumerCpu = cpuPerThousand(before, await sampleCpu(db.pool, db.name), count);
    } finally {
      await consumer.stop();
    }
    record(
      'consumer alone (topic full → handler commits)',
      count,
      clock.lastAt - clock.firstHandledAt,
      `EventConsumer, 6 partitions, inbox + ${flag(process.argv, 'per-event-handler') ? 'one upsert per event' : 'one unnest upsert per run of records'}`,
      consumerCpu,
    );
  } finally {
    await dropTopics([topic]);
    await db.drop();
  }

  const ref = figures['raw kafkajs produce → consume (reference)'].eventsPerSecond;
  for (const [name, f] of Object.entries(figures))
    report.ratios[`${name} / raw kafkajs produce → consume`] = f.eventsPerSecond / ref;
  report.figures = figures;
  console.log(`figures written to ${await writeReport(report)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
