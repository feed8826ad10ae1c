import type { Admin, Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { Pool } from 'pg';
import { OUTBOX_DEAD_LETTER_TOPIC } from '@attest/event-contracts';
import {
  type AppendListener,
  listenForAppends,
  type LogPosition,
  type OutboxRecord,
  OutboxStore,
} from '@attest/event-store';
import { backoffDelay, type BackoffPolicy, sleep } from './backoff';
import { encodeCloudEvent } from './cloud-event-codec';
import { type DeadLetterInfo, deadLetterMessage, type DeadLetterReason } from './dead-letter';
import type { EventTypeRegistry } from './event-type-registry';
import { ATTEST_PRODUCER_CONFIG } from './kafka-client';
import { errorFields, jsonLinesLogger, type MessagingLogger } from './messaging-logger';
import { assertTopicName, type EnsureTopicsOptions, ensureTopics } from './topics';

export interface OutboxRelayOptions {
  /** The service's database, where its event store lives. */
  pool: Pool;
  kafka: Pick<Kafka, 'producer' | 'admin'>;
  /**
   * For events recorded before the store kept their CloudEvents source and type (their `source` is ''): the
   * service's `ce_source` and its store type → public type mapping. Every later event carries both.
   */
  source?: string;
  registry?: EventTypeRegistry;
  /** Where events Kafka refuses for good also go (besides `event_store.relay_dead_letters`). */
  deadLetterTopic?: string;
  /** Events per read and per Kafka batch. Default 500. */
  batchSize?: number;
  /** Longest wait for new events when no append notification arrives. */
  pollIntervalMs?: number;
  /** How often a relay that does not hold the lease asks for it again. */
  leaseRetryMs?: number;
  /** Between attempts while Kafka or PostgreSQL are unreachable. */
  backoff?: BackoffPolicy;
  /** Create missing topics before publishing to them (the broker does not). Default true. */
  createTopics?: boolean | EnsureTopicsOptions;
  logger?: MessagingLogger;
  /**
   * Failpoint for tests: awaited after Kafka acknowledged a batch and before the checkpoint moves past it, the
   * window in which a crash makes the relay publish the batch again.
   */
  afterAck?: (batch: AcknowledgedBatch) => Promise<void>;
}

export interface AcknowledgedBatch {
  /** In log order; dead-lettered events included. */
  eventIds: string[];
  /** The checkpoint the relay is about to write. */
  to: LogPosition;
}

export interface OutboxRelayStats {
  holdsLease: boolean;
  /** Times it asked for the lease. */
  leaseAttempts: number;
  /** Times it found its lease gone mid-flight (another relay took it over, or its session ended) and stopped. */
  fenced: number;
  /** Events Kafka acknowledged on their topic (again after a redelivery). */
  published: number;
  /** Events Kafka refused for good, recorded as dead letters. */
  deadLettered: number;
  batches: number;
  failedAttempts: number;
}

/** Kafka's answer to a record it will never accept, whatever the retries (kafkajs protocol error types). */
const REFUSALS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_RECORD',
  'INVALID_TIMESTAMP',
]);

interface Refusal {
  type: string;
  message: string;
}

type Delivery = 'sent' | 'stopped' | Refusal;
type Outcome = 'done' | 'stopped' | 'fenced';

interface Outgoing {
  topic: string;
  message: Message;
}

const RELAY_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.2 };

/**
 * Publishes a database's events to Kafka as CloudEvents, in log order, tailing the gap-safe global log from one
 * checkpoint. At-least-once: the checkpoint moves only after Kafka acknowledged everything before it, so a crash in
 * between publishes those events again (consumers deduplicate on ce_id).
 *
 * One relay per database holds the lease; others wait to take over. A holder that finds another relay took its
 * lease over (fenced) stops publishing and waits like the others. An event Kafka refuses for good is recorded as a
 * dead letter (table and topic) and the rest go on, so one bad event cannot wedge the relay.
 */
export class OutboxRelay {
  private readonly store: OutboxStore;
  private readonly logger: MessagingLogger;
  private readonly abort = new AbortController();
  private producer: Producer | null = null;
  private readonly knownTopics = new Set<string>();
  private loop: Promise<void> | null = null;
  private readonly counters: OutboxRelayStats = {
    holdsLease: false,
    leaseAttempts: 0,
    fenced: 0,
    published: 0,
    deadLettered: 0,
    batches: 0,
    failedAttempts: 0,
  };

  constructor(private readonly options: OutboxRelayOptions) {
    this.store = new OutboxStore(options.pool);
    this.logger = options.logger ?? jsonLinesLogger;
  }

  stats(): OutboxRelayStats {
    return { ...this.counters };
  }

  /** Starts following the log in the background; resolves once it listens for appends. */
  async start(): Promise<void> {
    if (this.loop) throw new Error('the outbox relay is already running');
    if (this.stopping) throw new Error('a stopped outbox relay cannot be restarted; create a new one');
    const waker = await listenForAppends(this.options.pool);
    this.loop = this.run(waker).catch((err) => {
      this.logger.error('outbox relay stopped on an unexpected error', errorFields(err));
    });
  }

  /** Finishes the batch in flight (unless it is waiting to retry), gives up the lease and disconnects. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.loop = null;
  }

  private get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(waker: AppendListener): Promise<void> {
    const { signal } = this.abort;
    let failures = 0;
    try {
      while (!this.stopping) {
        try {
          this.counters.leaseAttempts++;
          const lease = (await this.store.acquireLease()) ? this.store.lease : null;
          if (!lease) {
            this.setHoldsLease(false);
            await sleep(this.options.leaseRetryMs ?? 1_000, signal);
            continue;
          }
          this.setHoldsLease(true);
          const outcome = await this.relayWhileHolding(lease.checkpoint, waker, () => (failures = 0));
          if (outcome === 'fenced') {
            this.counters.fenced++;
            this.logger.warn(
              'outbox relay lost its lease (fenced, or its session ended); it stops publishing',
            );
            await this.store.releaseLease();
            this.setHoldsLease(false);
          }
        } catch (err) {
          // PostgreSQL trouble: the checkpoint did not move, so the same events come again. The lease's session
          // may be gone with it: give the lease up and take it again before going on.
          await this.store.releaseLease();
          this.setHoldsLease(false);
          failures++;
          this.counters.failedAttempts++;
          this.logger.warn('outbox relay failed, retrying', { ...errorFields(err), attempt: failures });
          await sleep(backoffDelay(failures, this.options.backoff ?? RELAY_BACKOFF), signal);
        }
      }
    } finally {
      await waker.close().catch(() => undefined);
      await this.store.releaseLease();
      this.setHoldsLease(false);
      await this.disconnectProducer();
    }
  }

  private setHoldsLease(holds: boolean): void {
    if (holds && !this.counters.holdsLease) this.logger.info('outbox relay holds the lease');
    if (!holds && this.counters.holdsLease)
      this.logger.warn('outbox relay no longer holds the lease', { published: this.counters.published });
    this.counters.holdsLease = holds;
  }

  /**
   * Publishes from the lease's checkpoint until stopped, fenced, or the lease's session is lost. The next batch is
   * read while the previous one is in flight; the checkpoint moves after Kafka acknowledged a batch.
   */
  private async relayWhileHolding(
    checkpoint: LogPosition,
    waker: AppendListener,
    progressed: () => void,
  ): Promise<Outcome> {
    const batchSize = this.options.batchSize ?? 500;
    const read = (after: LogPosition) => {
      const batch = this.store.nextBatch(after, batchSize);
      batch.catch(() => undefined); // awaited later; a failure meanwhile must not count as unhandled
      return batch;
    };
    let cursor = checkpoint;
    let next: Promise<OutboxRecord[] | null> | null = read(cursor);
    try {
      while (!this.stopping) {
        const batch = await next;
        next = null;
        if (batch === null) return 'fenced';
        if (batch.length === 0) {
          // Its session broke (the lock with it): take the lease again, with a new epoch, before going on.
          if (!this.store.holdsLease) return 'done';
          await waker.wait(this.options.pollIntervalMs ?? 1_000, this.abort.signal);
          next = read(cursor);
          continue;
        }
        const to = batch[batch.length - 1].event.position;
        next = read(to);
        const published = await this.publish(batch);
        if (published !== 'done') return published;
        await this.options.afterAck?.({ eventIds: batch.map((r) => r.event.eventId), to });
        if (!(await this.store.advance(to))) return 'fenced';
        cursor = to;
        this.counters.batches++;
        progressed();
      }
      return 'stopped';
    } finally {
      await next?.catch(() => undefined);
    }
  }

  /** Sends the batch in log order; events that cannot be published are dead-lettered and the others sent. */
  private async publish(batch: OutboxRecord[]): Promise<Outcome> {
    let run: OutboxRecord[] = [];
    let outgoing: Outgoing[] = [];
    for (const record of batch) {
      const encoded = this.encode(record);
      if (typeof encoded !== 'string') {
        run.push(record);
        outgoing.push(encoded);
        continue;
      }
      const sent = await this.publishRun(run, outgoing);
      if (sent !== 'done') return sent;
      run = [];
      outgoing = [];
      const dead = await this.deadLetter(record, 'unencodable', encoded);
      if (dead !== 'done') return dead;
    }
    return this.publishRun(run, outgoing);
  }

  /**
   * Sends records until Kafka acknowledges them. When Kafka refuses the run for good, the run is halved until the
   * refused records are found (a lone record refused is dead-lettered), so the rest still go out, in order.
   */
  private async publishRun(records: OutboxRecord[], outgoing: Outgoing[]): Promise<Outcome> {
    if (records.length === 0) return 'done';
    const delivery = await this.deliver(outgoing);
    if (delivery === 'sent') {
      this.counters.published += records.length;
      return 'done';
    }
    if (delivery === 'stopped') return 'stopped';
    if (records.length === 1)
      return this.deadLetter(records[0], 'refused', `${delivery.type}: ${delivery.message}`);
    const half = Math.ceil(records.length / 2);
    const first = await this.publishRun(records.slice(0, half), outgoing.slice(0, half));
    if (first !== 'done') return first;
    return this.publishRun(records.slice(half), outgoing.slice(half));
  }

  /** Until Kafka acknowledges every record, backing off while it is unreachable; or what it refused for good. */
  private async deliver(outgoing: Outgoing[]): Promise<Delivery> {
    const topics = [...new Set(outgoing.map((o) => o.topic))];
    for (const topic of topics) {
      try {
        assertTopicName(topic);
      } catch (err) {
        return { type: 'INVALID_TOPIC_EXCEPTION', message: (err as Error).message };
      }
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const producer = await this.connectedProducer();
        await this.ensureTopicsExist(topics);
        await producer.sendBatch({ topicMessages: byTopic(outgoing), acks: -1 });
        return 'sent';
      } catch (err) {
        // A fresh producer (new producer id) after a failure, so stale sequence numbers cannot wedge it.
        await this.disconnectProducer();
        const refusal = refusalOf(err);
        if (refusal) return refusal;
        this.counters.failedAttempts++;
        this.logger.warn('publishing to Kafka failed, retrying', {
          ...errorFields(err),
          attempt,
          records: outgoing.length,
        });
        if (this.stopping) return 'stopped';
        await sleep(backoffDelay(attempt, this.options.backoff ?? RELAY_BACKOFF), this.abort.signal);
        if (this.stopping) return 'stopped';
      }
    }
  }

  /**
   * Records an event that cannot be published: a row in `event_store.relay_dead_letters` (fenced like the
   * checkpoint), then a record on the dead-letter topic with the reason, without its value if the value itself is
   * what Kafka refuses.
   */
  private async deadLetter(record: OutboxRecord, reason: DeadLetterReason, error: string): Promise<Outcome> {
    const { event } = record;
    this.logger.error('outbox relay dead-lettered an event', {
      eventId: event.eventId,
      globalPosition: event.position.globalPosition,
      topic: event.topic,
      reason,
      error,
    });
    if (!(await this.store.recordDeadLetter(record, reason, error))) return 'fenced';
    this.counters.deadLettered++;
    const topic = this.options.deadLetterTopic ?? OUTBOX_DEAD_LETTER_TOPIC;
    const encoded = this.encode(record);
    const original =
      typeof encoded === 'string'
        ? { key: event.streamId, value: record.data, headers: { ce_id: event.eventId } }
        : encoded.message;
    const info: DeadLetterInfo = {
      reason,
      error,
      attempts: 1,
      sourceTopic: event.topic,
      globalPosition: event.position.globalPosition,
    };
    let delivery = await this.deliver([{ topic, message: deadLetterMessage(original, info) }]);
    if (typeof delivery === 'object') {
      const withoutValue = deadLetterMessage(
        { ...original, value: null },
        { ...info, valueOmitted: delivery.type },
      );
      delivery = await this.deliver([{ topic, message: withoutValue }]);
    }
    if (delivery === 'stopped') return 'stopped';
    if (typeof delivery === 'object') {
      this.logger.error(
        'the dead-letter topic refused the record too; it stays in event_store.relay_dead_letters',
        {
          eventId: event.eventId,
          deadLetterTopic: topic,
          error: `${delivery.type}: ${delivery.message}`,
        },
      );
    }
    return 'done';
  }

  /** The event as a CloudEvent record carrying its stored JSON text, or why it cannot be one. */
  private encode(record: OutboxRecord): Outgoing | string {
    const { event } = record;
    // Events recorded before the store kept their source and public type take them from the service's settings.
    const legacy = event.source === '';
    const source = legacy ? this.options.source : event.source;
    const ceType = legacy
      ? this.options.registry?.toPublic(event.type, event.streamType)?.ceType
      : event.ceType;
    if (!source || !ceType)
      return `no CloudEvents source or type is known for ${event.type} (${event.streamType})`;
    try {
      // The stored text goes out as it is: the append validated it, and a parse and stringify per event costs time.
      return encodeCloudEvent({ ...event, source, ceType, data: null }, { value: record.data });
    } catch (err) {
      return (err as Error).message;
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.options.kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private async disconnectProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private async ensureTopicsExist(topics: string[]): Promise<void> {
    const create = this.options.createTopics ?? true;
    const missing = topics.filter((t) => !this.knownTopics.has(t));
    if (!create || missing.length === 0) return;
    const admin: Admin = this.options.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, missing, typeof create === 'object' ? create : {});
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    for (const t of missing) this.knownTopics.add(t);
  }
}

/** Records grouped by topic, log order kept inside each topic. */
function byTopic(outgoing: Outgoing[]): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const { topic, message } of outgoing) {
    const messages = topics.get(topic) ?? [];
    messages.push(message);
    topics.set(topic, messages);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

/** The refusal in a kafkajs error (possibly wrapped by its retrier, or among several), if Kafka refused for good. */
function refusalOf(err: unknown, depth = 0): Refusal | null {
  if (!err || typeof err !== 'object' || depth > 5) return null;
  const e = err as {
    type?: unknown;
    retriable?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof e.type === 'string' && REFUSALS.has(e.type) && e.retriable === false)
    return { type: e.type, message: String(e.message ?? '') };
  for (const inner of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const refusal = refusalOf(inner, depth + 1);
    if (refusal) return refusal;
  }
  return null;
}
