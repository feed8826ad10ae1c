import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Pool } from 'pg';
import { type NewEvent, PostgresEventStore } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import {
  deadLetterTopic,
  EventConsumer,
  eventTypeRegistry,
  jsonLinesLogger,
  outboxRouteFor,
  silentLogger,
  type ValidateEvent,
} from '@attest/messaging';
import { assertValid, BENCH_CE_TYPE, BENCH_SOURCE, BENCH_STORE_TYPE } from './bench-event';
import { CommitClock, reportCommits } from './commit-clock';
import { type CpuSample, sampleCpu } from './cpu-meter';
import { benchKafka, deleteGroups, dropTopics, freshTopic, PARTITIONS, type Payload } from './raw-kafka';
import { applyDeltas, deltasByStream, STREAM_SUMMARY_TABLE, summarizedEvents } from './stream-summary';

/** The event store as a service builds it: public events leave through the relay to `topic`. */
export function benchStore(pool: Pool, topic: string): PostgresEventStore {
  const registry = eventTypeRegistry([{ storeType: BENCH_STORE_TYPE, ceType: BENCH_CE_TYPE, topic }]);
  return new PostgresEventStore(pool, { outbox: outboxRouteFor(registry), source: BENCH_SOURCE });
}

/** Where the events of append number `k` of writer `w` go; a tenant is only ever written by one writer. */
export function streamOf(
  shape: { tenants: number; writers: number },
  w: number,
  k: number,
): { tenantId: string; streamId: string } {
  const tenant = (w + shape.writers * k) % shape.tenants;
  // About 60 streams in all (as many as the tenants when there are more), spread over 6 partitions by key.
  const streamsPerTenant = Math.max(1, Math.round(60 / shape.tenants));
  const stream = Math.floor(k / Math.max(1, Math.floor(shape.tenants / shape.writers))) % streamsPerTenant;
  return { tenantId: `bench-${tenant}`, streamId: `stream-${tenant}-${stream}` };
}

export function benchEvents(
  payloads: Payload[],
  from: number,
  to: number,
  validate: ValidateEvent,
): NewEvent[] {
  const events: NewEvent[] = [];
  for (let j = from; j < to; j++) {
    // A service validates against the public schema before it appends (the command pipeline does).
    assertValid(validate, payloads[j]);
    events.push({ type: BENCH_STORE_TYPE, data: payloads[j] });
  }
  return events;
}

/**
 * An `EventConsumer` whose handler folds each run of records into the stream summary. It gets its own pool (a
 * consumer is its own service) whose connections report COMMITs to `clock`, so events count when durable.
 */
export async function startBenchConsumer(options: {
  databaseUrl: string;
  topic: string;
  clock: CommitClock;
  validate: ValidateEvent;
  /** The per-event handler API instead of the batch one (to compare them, and to run against older code). */
  perEventHandler?: boolean;
}): Promise<{ consumer: EventConsumer; stop(): Promise<void> }> {
  const { clock } = options;
  const pool = new Pool({ connectionString: options.databaseUrl, max: PARTITIONS + 2 });
  pool.on('error', () => undefined); // the database is dropped under idle connections at the end
  reportCommits(pool, clock);
  const groupId = `attest-bench-pipeline-${randomUUID()}`;
  const consumer = new EventConsumer({
    kafka: benchKafka,
    pool,
    groupId,
    topics: [options.topic],
    partitionsConsumedConcurrently: PARTITIONS,
    validate: options.validate,
    // BENCH_CONSUMER_LOG=1 shows the consumer's warnings (retries, dead letters, rebalances) when a run stalls.
    logger: process.env['BENCH_CONSUMER_LOG'] ? jsonLinesLogger : silentLogger,
    ...(options.perEventHandler
      ? {
          // One upsert per event: what a handler written against the per-event API does.
          handler: async (event, { tx }) => {
            const seq = (event.data as Payload).seq;
            await applyDeltas(tx, deltasByStream([{ streamId: event.subject, seq }]));
            clock.handled(tx, event.id, seq);
          },
        }
      : {
          // One upsert per run of records, folded per stream first.
          handleBatch: async (events, { tx }) => {
            const seen = events.map((e) => ({ id: e.id, streamId: e.subject, seq: (e.data as Payload).seq }));
            await applyDeltas(tx, deltasByStream(seen));
            for (const e of seen) clock.handled(tx, e.id, e.seq);
          },
        }),
  });
  await consumer.start();
  return {
    consumer,
    async stop() {
      await consumer.stop();
      await pool.end();
      await dropTopics([deadLetterTopic(groupId)]);
      await deleteGroups([groupId]);
    },
  };
}

/** The relay's bin in a child process, as deployed. The stored events carry their type, source and topic. */
/** What the relay process said about its work when it stopped (its bin logs its stats on SIGTERM). */
export interface RelayStats {
  published?: number;
  batches?: number;
}

export interface RelayProcess {
  startedAt: number;
  pid: number;
  stop(): Promise<RelayStats>;
}

/** The relay's bin in a child process, as deployed. The stored events carry their type, source and topic. */
export async function startRelayProcess(database: string): Promise<RelayProcess> {
  const child = spawn(
    process.execPath,
    [...relayNodeFlags(), '-r', '@swc-node/register', 'libs/messaging/src/bin/outbox-relay-main.ts'],
    {
      cwd: path.resolve(__dirname, '../../..'),
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tsconfig.base.json',
        ATTEST_RELAY_DATABASE: database,
        ATTEST_EVENT_SOURCE: BENCH_SOURCE,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const stdout = child.stdout;
  if (!stdout) throw new Error('the relay process has no stdout');
  let out = '';
  stdout.on('data', (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  });
  await new Promise<void>((resolve, reject) => {
    stdout.on('data', () => {
      if (/relay started/.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}: ${out.slice(-2000)}`)));
  });
  return {
    startedAt: performance.now(),
    pid: child.pid ?? 0,
    async stop() {
      await stopChild(child);
      const line = out.split('\n').find((l) => l.includes('outbox relay stopping'));
      if (!line) return {};
      const { published, batches } = JSON.parse(line) as RelayStats;
      return { published, batches };
    },
  };
}

/** `BENCH_RELAY_PROFILE=dir` profiles the relay process too (node --cpu-prof). */
function relayNodeFlags(): string[] {
  const dir = process.env['BENCH_RELAY_PROFILE'];
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The whole pipeline on a fresh database and topic: store → relay (own process) → Kafka → consumer → read model.
 * Events count when the consumer's transaction commits; `check` proves each one took effect exactly once.
 */
export class AttestPipeline {
  private constructor(
    readonly db: TestDatabase,
    readonly topic: string,
    readonly store: PostgresEventStore,
    readonly clock: CommitClock,
    private readonly consumer: { consumer: EventConsumer; stop(): Promise<void> },
    private readonly relay: RelayProcess,
  ) {}

  /** CPU spent so far by this process, the relay process and the database's backends. */
  cpu(): Promise<CpuSample> {
    return sampleCpu(this.db.pool, this.db.name, { relayProcess: this.relay.pid });
  }

  static async start(
    startedAt: Float64Array,
    validate: ValidateEvent,
    options: { perEventHandler?: boolean } = {},
  ): Promise<AttestPipeline> {
    const topic = await freshTopic('pipeline');
    const db = await createTestDatabase('attest_bench');
    const store = benchStore(db.pool, topic);
    await store.migrate();
    await db.pool.query(STREAM_SUMMARY_TABLE);
    const clock = new CommitClock(startedAt);
    const consumer = await startBenchConsumer({ databaseUrl: db.url, topic, clock, validate, ...options });
    const relay = await startRelayProcess(db.name);
    await new Promise((r) => setTimeout(r, 1000)); // let the group settle before the clock starts
    return new AttestPipeline(db, topic, store, clock, consumer, relay);
  }

  /** Throws unless every event committed once and the read model counted each exactly once. */
  async check(expected: number): Promise<{ delivered: number; duplicates: number; deadLettered: number }> {
    const summarized = await summarizedEvents(this.db.pool);
    const stats = this.consumer.consumer.stats();
    if (
      this.clock.count !== expected ||
      this.clock.recommitted !== 0 ||
      summarized !== expected ||
      stats.deadLettered
    ) {
      throw new Error(
        `expected ${expected} events once: committed ${this.clock.count}, recommitted ${this.clock.recommitted}, ` +
          `read model ${summarized}, dead-lettered ${stats.deadLettered}`,
      );
    }
    return { delivered: stats.delivered, duplicates: stats.duplicates, deadLettered: stats.deadLettered };
  }

  /** Stops everything and drops the database and topic; says how the relay batched. */
  async stop(): Promise<RelayStats> {
    const relayStats = await this.relay.stop();
    await this.consumer.stop();
    await dropTopics([this.topic]);
    await this.db.drop();
    return relayStats;
  }
}
