import { randomUUID } from 'node:crypto';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { ATTEST_PRODUCER_CONFIG, ensureTopics, type ValidateEvent } from '@attest/messaging';
import { infraEndpoints } from '@attest/platform-config';
import { assertValid } from './bench-event';
import { cpuPerThousand, sampleCpu } from './cpu-meter';
import { type RunFigures, runFigures } from './latency-stats';
import { steadyRate } from './load';

/** Partitions of every benchmark topic, consumed in parallel on both sides. */
export const PARTITIONS = 6;
/** Records per producer request on the raw side; the relay's batches are of the same order. */
export const PRODUCE_BATCH = 200;

export type Payload = { seq: number; filler: string };

export const benchKafka = new Kafka({
  clientId: 'attest-bench',
  brokers: infraEndpoints().kafkaBrokers,
  // BENCH_CONSUMER_LOG=1 also shows kafkajs's own log (group joins, rebalances, disconnects).
  logLevel: process.env['BENCH_CONSUMER_LOG'] ? logLevel.INFO : logLevel.NOTHING,
});

export async function freshTopic(name: string): Promise<string> {
  const topic = `attest.bench.${name}.${randomUUID().slice(0, 8)}`;
  const admin = benchKafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [topic], { partitions: PARTITIONS });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export async function dropTopics(topics: string[]): Promise<void> {
  const admin = benchKafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}

export async function deleteGroups(groupIds: string[]): Promise<void> {
  const admin = benchKafka.admin();
  await admin.connect();
  await admin.deleteGroups(groupIds).catch(() => undefined);
  await admin.disconnect();
}

/** Records in a topic, all partitions together (the bench producers never write control records). */
export async function topicRecordCount(topic: string): Promise<number> {
  const admin = benchKafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Raw kafkajs with the same settings the relay uses (idempotent, one request in flight, acks -1) and a consumer
 * group reading all partitions in parallel. Like the pipeline, each payload is validated before it is sent and
 * again when it is received, with the same compiled schema; an event counts once, by sequence number.
 */
class RawKafka {
  readonly sentAt: Float64Array;
  readonly latencies: number[] = [];
  lastAt = 0;
  private readonly received: Uint8Array;
  private count = 0;
  private waiter: (() => void) | null = null;

  private constructor(
    readonly topic: string,
    private readonly groupId: string,
    private readonly producer: Producer,
    private readonly consumer: Consumer,
    private readonly total: number,
  ) {
    this.sentAt = new Float64Array(total);
    this.received = new Uint8Array(total);
  }

  static async start(total: number, validate: ValidateEvent): Promise<RawKafka> {
    const topic = await freshTopic('raw');
    const groupId = `attest-bench-raw-${randomUUID()}`;
    const producer = benchKafka.producer(ATTEST_PRODUCER_CONFIG);
    const consumer = benchKafka.consumer({ groupId });
    const raw = new RawKafka(topic, groupId, producer, consumer, total);
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: PARTITIONS,
      eachMessage: async ({ message }) => {
        const data = JSON.parse(String(message.value)) as Payload;
        assertValid(validate, data);
        raw.receive(data.seq);
      },
    });
    await new Promise((r) => setTimeout(r, 1000)); // let the group settle before any clock starts
    return raw;
  }

  private receive(seq: number): void {
    if (this.received[seq]) return;
    this.received[seq] = 1;
    const now = performance.now();
    this.latencies.push(now - this.sentAt[seq]);
    this.lastAt = now;
    if (++this.count === this.total) this.waiter?.();
  }

  send(payloads: Payload[], from: number, to: number, validate: ValidateEvent, at: number): Promise<unknown> {
    const messages = [];
    for (let j = from; j < to; j++) {
      this.sentAt[j] = at;
      assertValid(validate, payloads[j]);
      messages.push({ key: `stream-${j % 60}`, value: JSON.stringify(payloads[j]) });
    }
    return this.producer.send({ topic: this.topic, acks: -1, messages });
  }

  allReceived(timeoutMs: number): Promise<void> {
    if (this.count === this.total) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`raw kafkajs: ${this.count} of ${this.total} received in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
    await dropTopics([this.topic]);
    await deleteGroups([this.groupId]);
  }
}

/** As fast as it goes: batches of PRODUCE_BATCH sent one after another; latency is send → receive. */
export async function rawKafkaThroughput(
  payloads: Payload[],
  validate: ValidateEvent,
): Promise<RunFigures & { cpuMsPerThousand: Record<string, number> }> {
  const count = payloads.length;
  const raw = await RawKafka.start(count, validate);
  try {
    const cpuBefore = await sampleCpu(null, null);
    const start = performance.now();
    for (let i = 0; i < count; i += PRODUCE_BATCH) {
      await raw.send(payloads, i, Math.min(count, i + PRODUCE_BATCH), validate, performance.now());
    }
    await raw.allReceived(timeoutFor(count));
    const cpu = cpuPerThousand(cpuBefore, await sampleCpu(null, null), count);
    delete cpu['postgresBackends'];
    return { ...runFigures(count, raw.lastAt - start, raw.latencies), cpuMsPerThousand: cpu };
  } finally {
    await raw.stop();
  }
}

/** At a steady rate, `perCall` records per send, for reference next to the pipeline's steady-rate latency. */
export async function rawKafkaSteady(
  payloads: Payload[],
  rate: number,
  durationS: number,
  perCall: number,
  validate: ValidateEvent,
): Promise<RunFigures> {
  const total = Math.round(rate * durationS);
  const raw = await RawKafka.start(total, validate);
  try {
    const start = performance.now();
    await steadyRate({
      rate,
      durationS,
      perCall,
      call: async (first, n, at) => void (await raw.send(payloads, first, first + n, validate, at)),
    });
    await raw.allReceived(timeoutFor(total));
    return runFigures(total, raw.lastAt - start, raw.latencies);
  } finally {
    await raw.stop();
  }
}

/** Long enough for a slow run on a loaded machine, short enough that a stuck run fails instead of hanging. */
export function timeoutFor(events: number): number {
  return 60_000 + events * 5;
}
