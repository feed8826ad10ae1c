import type { Admin, Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { Pool } from 'pg';
import { listenForAppends, type OutboxRecord, OutboxStore } from '@attest/event-store';
import { backoffDelay, type BackoffPolicy, sleep } from './backoff';
import { encodeCloudEvent } from './cloud-event-codec';
import { deadLetterMessage } from './dead-letter';
import type { EventTypeRegistry } from './event-type-registry';
import type { ValidateEvent } from './event-validator';
import { ATTEST_PRODUCER_CONFIG } from './kafka-client';
import { errorFields, jsonLinesLogger, type MessagingLogger } from './messaging-logger';
import { type EnsureTopicsOptions, ensureTopics, OUTBOX_DEAD_LETTER_TOPIC } from './topics';

export interface OutboxRelayOptions {
  /** The service's database, where its event store and outbox live. */
  pool: Pool;
  kafka: Pick<Kafka, 'producer' | 'admin'>;
  /** `ce_source` of everything this service publishes, e.g. `/attest/readiness`. */
  source: string;
  /** Store type → public type. The topic comes from the outbox record, chosen at append time. */
  registry: EventTypeRegistry;
  /** Checked again before publishing; an invalid event goes to the dead-letter topic instead. */
  validate?: ValidateEvent;
  /** Default `attest.dlq.outbox`. */
  deadLetterTopic?: string;
  batchSize?: number;
  /** Longest wait for new records when no append notification arrives. */
  pollIntervalMs?: number;
  /** How often a relay that does not hold the lease asks for it again. */
  leaseRetryMs?: number;
  /** Between attempts while Kafka or PostgreSQL are unreachable. */
  backoff?: BackoffPolicy;
  /** Create missing topics before publishing to them (the broker does not). Default true. */
  createTopics?: boolean | EnsureTopicsOptions;
  logger?: MessagingLogger;
}

export interface OutboxRelayStats {
  holdsLease: boolean;
  published: number;
  deadLettered: number;
  batches: number;
  failedAttempts: number;
}

const RELAY_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.2 };

/**
 * Publishes a database's outbox to Kafka as CloudEvents, in outbox order, then marks the records sent.
 * At-least-once: a record is marked only after Kafka acknowledged it, so a crash in between publishes it again
 * (consumers deduplicate on ce_id). One relay per database holds the lease; others wait to take over.
 */
export class OutboxRelay {
  private readonly outbox: OutboxStore;
  private readonly logger: MessagingLogger;
  private readonly abort = new AbortController();
  private producer: Producer | null = null;
  private readonly knownTopics = new Set<string>();
  private loop: Promise<void> | null = null;
  private readonly counters: OutboxRelayStats = {
    holdsLease: false,
    published: 0,
    deadLettered: 0,
    batches: 0,
    failedAttempts: 0,
  };

  constructor(private readonly options: OutboxRelayOptions) {
    if (!options.source) throw new TypeError('the outbox relay needs a ce_source');
    this.outbox = new OutboxStore(options.pool);
    this.logger = options.logger ?? jsonLinesLogger;
  }

  stats(): OutboxRelayStats {
    return { ...this.counters };
  }

  /** Starts following the outbox in the background; resolves once it listens for appends. */
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

  private async run(waker: Awaited<ReturnType<typeof listenForAppends>>): Promise<void> {
    const { signal } = this.abort;
    const batchSize = this.options.batchSize ?? 200;
    const pollIntervalMs = this.options.pollIntervalMs ?? 1_000;
    let failures = 0;
    try {
      while (!this.stopping) {
        try {
          if (!(await this.outbox.acquireLease())) {
            if (this.counters.holdsLease) this.logger.warn('outbox relay lost its lease');
            this.counters.holdsLease = false;
            await sleep(this.options.leaseRetryMs ?? 1_000, signal);
            continue;
          }
          if (!this.counters.holdsLease) this.logger.info('outbox relay holds the lease');
          this.counters.holdsLease = true;
          const batch = await this.outbox.nextBatch(batchSize);
          if (batch.length === 0) {
            await waker.wait(pollIntervalMs, signal);
            continue;
          }
          if (!(await this.publish(batch))) break;
          await this.outbox.markSent(batch.map((r) => r.id));
          this.counters.batches++;
          failures = 0;
        } catch (err) {
          // PostgreSQL trouble (reading or marking): nothing was marked, so the same records come again. The
          // lease's session may be gone with it: give the lease up and take it again before going on.
          await this.outbox.releaseLease().catch(() => undefined);
          this.counters.holdsLease = false;
          failures++;
          this.counters.failedAttempts++;
          this.logger.warn('outbox relay failed, retrying', { ...errorFields(err), attempt: failures });
          await sleep(backoffDelay(failures, this.options.backoff ?? RELAY_BACKOFF), signal);
        }
      }
    } finally {
      await waker.close().catch(() => undefined);
      await this.outbox.releaseLease().catch(() => undefined);
      this.counters.holdsLease = false;
      await this.disconnectProducer();
    }
  }

  /** Sends the batch until Kafka acknowledges all of it; false if the relay was stopped while retrying. */
  private async publish(batch: OutboxRecord[]): Promise<boolean> {
    const { topicMessages, deadLettered } = this.toTopicMessages(batch);
    for (let attempt = 1; ; attempt++) {
      try {
        const producer = await this.connectedProducer();
        await this.ensureTopicsExist(topicMessages.map((t) => t.topic));
        await producer.sendBatch({ topicMessages, acks: -1 });
        this.counters.published += batch.length - deadLettered;
        this.counters.deadLettered += deadLettered;
        return true;
      } catch (err) {
        this.counters.failedAttempts++;
        this.logger.warn('publishing outbox batch failed, retrying', {
          ...errorFields(err),
          attempt,
          records: batch.length,
          firstOutboxId: batch[0].id,
        });
        // A fresh producer (new producer id) after a failure, so stale sequence numbers cannot wedge it.
        await this.disconnectProducer();
        if (this.stopping) return false;
        await sleep(backoffDelay(attempt, this.options.backoff ?? RELAY_BACKOFF), this.abort.signal);
        if (this.stopping) return false;
      }
    }
  }

  /** One message per record, grouped by topic with the outbox order kept inside each topic. */
  private toTopicMessages(batch: OutboxRecord[]): { topicMessages: TopicMessages[]; deadLettered: number } {
    const byTopic = new Map<string, Message[]>();
    const add = (topic: string, message: Message) => {
      const list = byTopic.get(topic) ?? [];
      list.push(message);
      byTopic.set(topic, list);
    };
    const dlq = this.options.deadLetterTopic ?? OUTBOX_DEAD_LETTER_TOPIC;
    let deadLettered = 0;
    for (const record of batch) {
      const { event } = record;
      const mapped = this.options.registry.toPublic(event.type, event.streamType);
      const encoded = encodeCloudEvent(event, {
        source: this.options.source,
        ceType: mapped?.ceType ?? event.type,
        topic: record.topic,
      });
      encoded.message.key = record.key;
      const problem = mapped
        ? this.validationProblem(mapped.ceType, event.data)
        : `event type ${event.type} (stream type ${event.streamType}) has no public type`;
      if (problem === null) {
        add(record.topic, encoded.message);
        continue;
      }
      this.logger.error('outbox record dead-lettered', {
        outboxId: record.id,
        eventId: event.eventId,
        topic: record.topic,
        problem,
      });
      add(
        dlq,
        deadLetterMessage(encoded.message, {
          reason: mapped ? 'validation' : 'unmapped',
          error: problem,
          attempts: 1,
          sourceTopic: record.topic,
          outboxId: record.id,
        }),
      );
      deadLettered++;
    }
    return { topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })), deadLettered };
  }

  private validationProblem(ceType: string, data: unknown): string | null {
    if (!this.options.validate) return null;
    try {
      const problems = this.options.validate(ceType, data);
      return problems && problems.length ? problems.join('; ') : null;
    } catch (err) {
      return `validator failed: ${(err as Error).message}`;
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
