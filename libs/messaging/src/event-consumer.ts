import type { Consumer, EachBatchPayload, KafkaMessage, Kafka, Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { backoffDelay, type BackoffPolicy, sleep } from './backoff';
import type { CloudEvent } from './cloud-event';
import { CloudEventDecodeError, decodeCloudEvent } from './cloud-event-codec';
import { type DeadLetterReason, deadLetterMessage } from './dead-letter';
import type { ValidateEvent } from './event-validator';
import { claimInInbox, claimManyInInbox, migrateMessaging } from './inbox';
import { ATTEST_PRODUCER_CONFIG } from './kafka-client';
import { errorFields, jsonLinesLogger, type MessagingLogger } from './messaging-logger';
import { deadLetterTopic, type EnsureTopicsOptions, ensureTopics } from './topics';
import { isTransientError } from './transient-error';

/** What a handler gets besides the event: the transaction its writes share with the inbox record, and where. */
export interface EventContext {
  /** Inside BEGIN … COMMIT: the handler's writes and the inbox record commit together or not at all. */
  tx: PoolClient;
  groupId: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** 1 on the first try, 2 on the first retry, … */
  attempt: number;
}

export type EventHandler = (event: CloudEvent, context: EventContext) => Promise<void>;

export interface RetryPolicy extends BackoffPolicy {
  /** Tries in all (the first one included) before a transient failure is dead-lettered. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  initialMs: 200,
  maxMs: 5_000,
  factor: 2,
  jitter: 0.2,
};

export interface EventConsumerOptions {
  kafka: Pick<Kafka, 'consumer' | 'producer' | 'admin'>;
  /** The database holding `messaging.inbox` (the service's own). */
  pool: Pool;
  /** Used exactly as given: integrators and lag dashboards see this name. */
  groupId: string;
  topics: string[];
  handler: EventHandler;
  validate?: ValidateEvent;
  retry?: Partial<RetryPolicy>;
  /** How often to heartbeat while a handler runs, so a slow handler keeps its partitions. Default 3 s. */
  heartbeatIntervalMs?: number;
  /** Where a new group starts; default true (an event consumer wants the whole history). */
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  /** Longest a fetch waits for records; also bounds how long stop() waits for an idle fetch. Default 1 s. */
  maxWaitTimeMs?: number;
  /**
   * Records of one partition handled in one transaction when all go well (default 100); a failure rolls the
   * group back and its records are handled one by one, with retries and dead-lettering.
   */
  transactionBatchSize?: number;
  /** Partitions handled in parallel; order within each partition is always kept. Default 1. */
  partitionsConsumedConcurrently?: number;
  /** Default `attest.dlq.<groupId>`. */
  deadLetterTopic?: string;
  /** Create the subscribed and dead-letter topics when missing (the broker does not). Default true. */
  createTopics?: boolean | EnsureTopicsOptions;
  /** Run the messaging migrations (the inbox table) at start. Default true. */
  migrate?: boolean;
  logger?: MessagingLogger;
}

export interface EventConsumerStats {
  /** Records taken from Kafka (redeliveries included). */
  delivered: number;
  /** Events whose handler committed. */
  handled: number;
  /** Events skipped because the inbox already had them. */
  duplicates: number;
  deadLettered: number;
  /** Transient failures that were retried. */
  retries: number;
}

const DLQ_PUBLISH_ATTEMPTS = 10;

/**
 * A consumer group member for Attest events: decodes and validates each record, hands it to the handler in a
 * transaction with the inbox record (effectively once), retries transient failures with backoff, dead-letters
 * poison records and moves on. Records of one partition are handled one after another, in order; consecutive
 * good records share one transaction, so a busy partition does not pay one commit per event.
 */
export class EventConsumer {
  readonly groupId: string;
  readonly deadLetterTopic: string;
  private readonly logger: MessagingLogger;
  private readonly retry: RetryPolicy;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private readonly counters: EventConsumerStats = {
    delivered: 0,
    handled: 0,
    duplicates: 0,
    deadLettered: 0,
    retries: 0,
  };

  constructor(private readonly options: EventConsumerOptions) {
    if (!options.groupId) throw new TypeError('a consumer needs a group id');
    if (options.topics.length === 0) throw new TypeError('a consumer needs at least one topic');
    this.groupId = options.groupId;
    this.deadLetterTopic = options.deadLetterTopic ?? deadLetterTopic(options.groupId);
    this.logger = options.logger ?? jsonLinesLogger;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  stats(): EventConsumerStats {
    return { ...this.counters };
  }

  /** Migrates the inbox, makes sure the topics exist, joins the group and starts consuming in the background. */
  async start(): Promise<void> {
    if (this.consumer) throw new Error(`consumer ${this.groupId} is already running`);
    const { kafka } = this.options;
    if (this.options.migrate ?? true) await migrateMessaging(this.options.pool);
    const create = this.options.createTopics ?? true;
    if (create) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await ensureTopics(
          admin,
          [...this.options.topics, this.deadLetterTopic],
          typeof create === 'object' ? create : {},
        );
      } finally {
        await admin.disconnect();
      }
    }
    const producer = kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    this.producer = producer;
    const consumer = kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 1_000,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.logger.error('consumer crashed', {
        groupId: this.groupId,
        restart: payload.restart,
        ...errorFields(payload.error),
      });
    });
    try {
      await consumer.connect();
      await consumer.subscribe({
        topics: this.options.topics,
        fromBeginning: this.options.fromBeginning ?? true,
      });
      await consumer.run({
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Finishes the record in flight (its retries and dead-lettering included), commits, leaves the group. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    // kafkajs waits here for the record in flight; it may still need the producer to dead-letter.
    await consumer
      ?.disconnect()
      .catch((err) => this.logger.warn('consumer disconnect failed', errorFields(err)));
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    // kafkajs heartbeats only between calls; a long handler would otherwise be thrown out of the group.
    const beat = setInterval(() => {
      heartbeat().catch(() => undefined);
    }, this.options.heartbeatIntervalMs ?? 3_000);
    const limit = this.options.transactionBatchSize ?? 100;
    try {
      const messages = batch.messages;
      for (let i = 0; i < messages.length && isRunning() && !isStale();) {
        const run: { message: KafkaMessage; event: CloudEvent }[] = [];
        while (i < messages.length && run.length < limit) {
          const event = this.usableEvent(messages[i], topic, partition);
          if (!event) break;
          run.push({ message: messages[i], event });
          i++;
        }
        this.counters.delivered += run.length;
        if (run.length > 0) {
          const outcome = await this.handleRun(run, topic, partition, isRunning);
          if ('failedAt' in outcome) {
            // Nothing of the group committed: redo it record by record, the failing one continuing its tries.
            for (let k = 0; k < run.length; k++) {
              await this.processRecord(
                run[k].message,
                topic,
                partition,
                k === outcome.failedAt ? outcome.error : undefined,
              );
            }
            resolveOffset(run[run.length - 1].message.offset);
          } else if (outcome.handledThrough >= 0) {
            resolveOffset(run[outcome.handledThrough].message.offset);
          }
          if ('handledThrough' in outcome && outcome.handledThrough < run.length - 1) break; // stopping
        } else {
          this.counters.delivered++;
          await this.processRecord(messages[i], topic, partition);
          resolveOffset(messages[i].offset);
          i++;
        }
        await commitOffsetsIfNecessary();
        await heartbeat();
      }
    } finally {
      clearInterval(beat);
    }
  }

  /** The decoded event when the record can go into a shared transaction; null when it needs the slow path. */
  private usableEvent(message: KafkaMessage, topic: string, partition: number): CloudEvent | null {
    try {
      const event = decodeCloudEvent(message, `${topic}[${partition}]@${message.offset}`);
      return this.validationProblems(event) ? null : event;
    } catch {
      return null;
    }
  }

  /**
   * Handles consecutive good records in one transaction. When the consumer is stopping it commits what it has
   * handled so far and says how far it got; when a handler throws, nothing commits and it says which record failed.
   */
  private async handleRun(
    run: { message: KafkaMessage; event: CloudEvent }[],
    topic: string,
    partition: number,
    isRunning: () => boolean,
  ): Promise<{ handledThrough: number } | { failedAt: number; error: unknown }> {
    const tx = await this.options.pool.connect();
    let broken: Error | undefined;
    let current = 0;
    try {
      await tx.query('BEGIN');
      const fresh = await claimManyInInbox(
        tx,
        this.groupId,
        run.map((r) => r.event.id),
      );
      let handled = 0;
      let through = -1;
      for (; current < run.length; current++) {
        if (current > 0 && !isRunning()) break;
        const { message, event } = run[current];
        through = current;
        // The same event twice in one group (a redelivered duplicate) is handled once.
        if (!fresh.delete(event.id)) continue;
        handled++;
        await this.options.handler(event, {
          tx,
          groupId: this.groupId,
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          attempt: 1,
        });
      }
      // Claims of records left unhandled because of a stop are released, so they are handled when they return.
      if (fresh.size > 0) {
        await tx.query(
          'DELETE FROM messaging.inbox WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])',
          [this.groupId, [...fresh]],
        );
      }
      await tx.query('COMMIT');
      this.counters.handled += handled;
      this.counters.duplicates += through + 1 - handled;
      return { handledThrough: through };
    } catch (err) {
      await tx.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
      return { failedAt: current, error: err };
    } finally {
      // A connection that cannot even roll back is dropped rather than returned to the pool.
      tx.release(broken);
    }
  }

  /**
   * One record on its own: decode, validate, handle with retries, or dead-letter. `firstFailure` is the error
   * of a try already made in a shared transaction; that try counts as attempt 1.
   */
  private async processRecord(
    message: KafkaMessage,
    topic: string,
    partition: number,
    firstFailure?: unknown,
  ): Promise<void> {
    const where = { topic, partition, offset: message.offset };
    const deadLetter = (reason: DeadLetterReason, error: string, attempts: number) =>
      this.deadLetter(reason, error, attempts, message, where);
    let event: CloudEvent;
    try {
      event = decodeCloudEvent(message, `${topic}[${partition}]@${message.offset}`);
    } catch (err) {
      if (!(err instanceof CloudEventDecodeError)) throw err;
      return await deadLetter('decode', err.message, 1);
    }
    const problems = this.validationProblems(event);
    if (problems) return await deadLetter('validation', problems, 1);

    for (let attempt = 1; ; attempt++) {
      try {
        if (attempt === 1 && firstFailure !== undefined) throw firstFailure;
        const fresh = await this.handleOnce(event, {
          groupId: this.groupId,
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          attempt,
        });
        if (fresh) this.counters.handled++;
        else this.counters.duplicates++;
        return;
      } catch (err) {
        const text = describeError(err);
        if (!isTransientError(err)) return await deadLetter('handler', text, attempt);
        if (attempt >= this.retry.maxAttempts) return await deadLetter('retries-exhausted', text, attempt);
        this.counters.retries++;
        this.logger.warn('transient failure, retrying', {
          groupId: this.groupId,
          ...where,
          attempt,
          error: text,
        });
        await sleep(backoffDelay(attempt, this.retry));
      }
    }
  }

  /** True when handled now, false when the inbox already had it. */
  private async handleOnce(event: CloudEvent, context: Omit<EventContext, 'tx'>): Promise<boolean> {
    const tx = await this.options.pool.connect();
    let broken: Error | undefined;
    try {
      await tx.query('BEGIN');
      if (!(await claimInInbox(tx, this.groupId, event.id))) {
        await tx.query('ROLLBACK');
        return false;
      }
      await this.options.handler(event, { ...context, tx });
      await tx.query('COMMIT');
      return true;
    } catch (err) {
      await tx.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
      throw err;
    } finally {
      // A connection that cannot even roll back is dropped rather than returned to the pool.
      tx.release(broken);
    }
  }

  private validationProblems(event: CloudEvent): string | null {
    if (!this.options.validate) return null;
    try {
      const problems = this.options.validate(event.type, event.data);
      return problems && problems.length ? problems.join('; ') : null;
    } catch (err) {
      return `validator failed: ${describeError(err)}`;
    }
  }

  /**
   * Publishes the original record with `dlq_*` headers. Retried while Kafka is unreachable; if it still fails
   * the error propagates, the offset is not committed and the record comes again.
   */
  private async deadLetter(
    reason: DeadLetterReason,
    error: string,
    attempts: number,
    message: KafkaMessage,
    where: { topic: string; partition: number; offset: string },
  ): Promise<void> {
    const record = deadLetterMessage(message, {
      reason,
      error,
      attempts,
      sourceTopic: where.topic,
      sourcePartition: where.partition,
      sourceOffset: where.offset,
    });
    this.logger.error('record dead-lettered', {
      groupId: this.groupId,
      ...where,
      reason,
      error,
      attempts,
      deadLetterTopic: this.deadLetterTopic,
    });
    for (let attempt = 1; ; attempt++) {
      try {
        if (!this.producer) throw new Error(`consumer ${this.groupId} is stopped`);
        await this.producer.send({ topic: this.deadLetterTopic, messages: [record], acks: -1 });
        this.counters.deadLettered++;
        return;
      } catch (err) {
        if (attempt >= DLQ_PUBLISH_ATTEMPTS) throw err;
        this.logger.warn('dead-letter publish failed, retrying', { ...errorFields(err), attempt });
        await sleep(backoffDelay(attempt, this.retry));
      }
    }
  }
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
