import type { Consumer, EachBatchPayload, KafkaMessage, Kafka, Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { withStoreTransaction } from '@attest/event-store';
import { backoffDelay, type BackoffPolicy, sleep } from './backoff';
import type { CloudEvent } from './cloud-event';
import { CloudEventDecodeError, decodeCloudEvent } from './cloud-event-codec';
import { type DeadLetterReason, deadLetterMessage } from './dead-letter';
import type { ValidateEvent } from './event-validator';
import { claimManyInInbox, handledInInbox, migrateMessaging } from './inbox';
import { InboxPruner, type InboxRetention } from './inbox-pruning';
import { ATTEST_PRODUCER_CONFIG } from './kafka-client';
import { errorFields, jsonLinesLogger, type MessagingLogger } from './messaging-logger';
import { messagingSettings } from './messaging-settings';
import { deadLetterTopic, type EnsureTopicsOptions, ensureTopics } from './topics';
import { isTransientError, TransientError } from './transient-error';

/** Where one event of a run came from. */
export interface EventOrigin {
  offset: string;
  key: string | null;
}

/**
 * What a batch handler gets besides the events: the transaction they share with their inbox records, and where they
 * came from. Everything written through `tx` (read-model rows, appends through `appendInTransaction(tx, …)` or
 * `CommandPipeline.run(…, { tx })`) commits with the inbox records or not at all, and before the Kafka offsets.
 * The inbox records are written after the handler, so the transaction takes its id at the handler's first write:
 * append before writing anything else, or an append to a tenant another writer appended to meanwhile is refused
 * (LogOrderConflictError) and the records are redone in new transactions.
 */
export interface EventBatchContext {
  /** Inside BEGIN … COMMIT. */
  tx: PoolClient;
  groupId: string;
  topic: string;
  partition: number;
  /** Offset and key of each event, by index. */
  origins: readonly EventOrigin[];
  /**
   * 1 in a run. After a failed run its records are tried alone, 1, 2, …; the one that made the run fail starts at 2
   * (its try in the run was the first).
   */
  attempt: number;
}

/**
 * Handles consecutive records of one partition, in order, in one transaction (e.g. one `unnest` upsert for the
 * lot). Redelivered events the group already handled are left out. When it throws nothing of the run commits and
 * its records are handled again one at a time (`events` of length 1), with retries and dead-lettering; throw
 * `BatchEventError` to say which event failed, so the others are not retried needlessly.
 */
export type EventBatchHandler = (events: CloudEvent[], context: EventBatchContext) => Promise<void>;

/** What a per-event handler gets besides the event. */
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

/** Thrown by a batch handler to say which of its events failed (`cause` is the failure itself). */
export class BatchEventError extends Error {
  constructor(
    readonly index: number,
    cause: unknown,
  ) {
    super(`event ${index} of the run failed: ${describeError(cause)}`, { cause });
    this.name = 'BatchEventError';
  }
}

/** The context of the batch's `index`-th event, as a per-event handler sees it. */
export function eventContextOf(context: EventBatchContext, index: number): EventContext {
  const { tx, groupId, topic, partition, attempt } = context;
  const { offset, key } = context.origins[index];
  return { tx, groupId, topic, partition, offset, key, attempt };
}

/** A per-event handler as a batch handler: the events one after another in the run's transaction. */
export function eachEventOf(handler: EventHandler): EventBatchHandler {
  return async (events, context) => {
    for (let i = 0; i < events.length; i++) {
      try {
        await handler(events[i], eventContextOf(context, i));
      } catch (err) {
        throw new BatchEventError(i, err);
      }
    }
  };
}

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
  /** Give one of `handler` (one event at a time) and `handleBatch` (a run of events at a time). */
  handler?: EventHandler;
  handleBatch?: EventBatchHandler;
  validate?: ValidateEvent;
  retry?: Partial<RetryPolicy>;
  /**
   * How often the member heartbeats, also while a handler runs, so a slow handler keeps its partitions; keep it
   * well under a third of the session timeout. Default 3 s.
   */
  heartbeatIntervalMs?: number;
  /** Where a new group starts; default true (an event consumer wants the whole history). */
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  /** Longest a fetch waits for records; also bounds how long stop() waits for an idle fetch. Default 1 s. */
  maxWaitTimeMs?: number;
  /**
   * Records of one partition handled in one transaction when all go well (default 100); a failure rolls the
   * run back and its records are handled one by one, with retries and dead-lettering. stop() waits for the run in
   * flight, so this also bounds how long a stop takes.
   */
  transactionBatchSize?: number;
  /**
   * Partitions handled at the same time, each in its own transaction (a pool connection each); order within a
   * partition is always kept. Default 4.
   */
  partitionsConsumedConcurrently?: number;
  /** Default `attest.dlq.<groupId>`. */
  deadLetterTopic?: string;
  /** Create the subscribed and dead-letter topics when missing (the broker does not). Default true. */
  createTopics?: boolean | EnsureTopicsOptions;
  /** Run the messaging migrations (the inbox table) at start. Default true. */
  migrate?: boolean;
  /**
   * How long the group's inbox rows are kept; default `ATTEST_INBOX_RETENTION_DAYS` (14 days). Keep it longer than
   * the topics' retention (Kafka's default is 7 days): a record older than its inbox row would be handled again.
   * false: never pruned.
   */
  inboxRetention?: Partial<InboxRetention> | false;
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
const DAY_MS = 24 * 60 * 60 * 1000;

/** A record decoded and validated once: the event, or why it cannot be handled. */
type TakenRecord =
  | { message: KafkaMessage; event: CloudEvent }
  | { message: KafkaMessage; refused: { reason: DeadLetterReason; error: string } };
type HandleableRecord = { message: KafkaMessage; event: CloudEvent };

/**
 * A consumer group member for Attest events: decodes and validates each record, hands it to the handler in a
 * transaction with the inbox record (effectively once), retries transient failures with backoff, dead-letters
 * poison records and moves on. Records of one partition are handled in order; consecutive good records share one
 * transaction (one inbox statement, one handler call, one commit), and the partition's offset is committed to Kafka
 * only after that transaction committed.
 */
export class EventConsumer {
  readonly groupId: string;
  readonly deadLetterTopic: string;
  private readonly logger: MessagingLogger;
  private readonly retry: RetryPolicy;
  private readonly handle: EventBatchHandler;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private pruner: InboxPruner | null = null;
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
    const { handler, handleBatch } = options;
    if (handler && !handleBatch) this.handle = eachEventOf(handler);
    else if (handleBatch && !handler) this.handle = handleBatch;
    else throw new TypeError('a consumer needs either a handler or a batch handler');
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
      // kafkajs drops heartbeat() calls made sooner than this after the last one, so it must match the timer below.
      heartbeatInterval: this.heartbeatIntervalMs(),
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
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 4,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (err) {
      await this.stop();
      throw err;
    }
    const retention = this.options.inboxRetention;
    if (retention !== false) {
      this.pruner = new InboxPruner(this.options.pool, this.groupId, this.logger, {
        maxAgeMs: messagingSettings().inboxRetentionDays * DAY_MS,
        ...retention,
      });
      this.pruner.start();
    }
  }

  /** Finishes the run in flight (its retries and dead-lettering included), commits, leaves the group. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    const pruner = this.pruner;
    this.pruner = null;
    // kafkajs waits here for the run in flight; it may still need the producer to dead-letter.
    await consumer
      ?.disconnect()
      .catch((err) => this.logger.warn('consumer disconnect failed', errorFields(err)));
    await pruner?.stop();
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private heartbeatIntervalMs(): number {
    return this.options.heartbeatIntervalMs ?? 3_000;
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    // kafkajs heartbeats only between calls; a long handler would otherwise be thrown out of the group.
    const beat = setInterval(() => {
      heartbeat().catch(() => undefined);
    }, this.heartbeatIntervalMs());
    const limit = this.options.transactionBatchSize ?? 100;
    try {
      const records = batch.messages.map((m) => this.take(m, topic, partition));
      for (let i = 0; i < records.length && isRunning() && !isStale();) {
        const first = records[i];
        if (!('event' in first)) {
          this.counters.delivered++;
          await this.deadLetter(first.refused.reason, first.refused.error, 1, first.message, {
            topic,
            partition,
            offset: first.message.offset,
          });
          i++;
        } else {
          const start = i;
          const run: HandleableRecord[] = [];
          while (i < records.length && run.length < limit) {
            const record = records[i];
            if (!('event' in record)) break;
            run.push(record);
            i++;
          }
          const failure = await this.handleRun(run, topic, partition);
          if (failure) {
            // Nothing of the run committed. Up to the failed record (the whole run when it is not known), the records
            // are handled one by one, the failed one continuing its tries; those after it go on as a new run.
            const through = failure.index ?? run.length - 1;
            for (let k = 0; k <= through; k++)
              await this.handleAlone(
                run[k],
                topic,
                partition,
                k === failure.index ? failure.error : undefined,
              );
            i = start + through + 1;
          }
          this.counters.delivered += i - start;
        }
        // Only now is everything up to here committed in the database (or dead-lettered).
        resolveOffset(records[i - 1].message.offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
      }
    } finally {
      clearInterval(beat);
    }
  }

  /** Decodes and validates a record, once. */
  private take(message: KafkaMessage, topic: string, partition: number): TakenRecord {
    let event: CloudEvent;
    try {
      event = decodeCloudEvent(message, `${topic}[${partition}]@${message.offset}`);
    } catch (err) {
      if (!(err instanceof CloudEventDecodeError)) throw err;
      return { message, refused: { reason: 'decode', error: err.message } };
    }
    const problems = this.validationProblems(event);
    return problems ? { message, refused: { reason: 'validation', error: problems } } : { message, event };
  }

  /**
   * Handles consecutive good records in one transaction: the events the group has not handled yet, in one handler
   * call, then their inbox claims in one statement. On failure nothing commits, and it says which record failed when
   * that is known.
   */
  private async handleRun(
    run: HandleableRecord[],
    topic: string,
    partition: number,
  ): Promise<{ index?: number; error: unknown } | null> {
    let handled = 0;
    // For each event given to the handler, its index in the run.
    const runIndex: number[] = [];
    try {
      await withStoreTransaction(this.options.pool, async (tx) => {
        const before = await handledInInbox(
          tx,
          this.groupId,
          run.map((r) => r.event.id),
        );
        const events: CloudEvent[] = [];
        const origins: EventOrigin[] = [];
        const fresh = new Set<string>();
        run.forEach((r, k) => {
          // Handled before, or twice in one run (a redelivered duplicate): handled once.
          if (before.has(r.event.id) || fresh.has(r.event.id)) return;
          fresh.add(r.event.id);
          events.push(r.event);
          origins.push(originOf(r.message));
          runIndex.push(k);
        });
        handled = events.length;
        if (events.length === 0) return;
        await this.handle(events, { tx, groupId: this.groupId, topic, partition, origins, attempt: 1 });
        await this.claim(tx, [...fresh]);
      });
    } catch (err) {
      if (err instanceof BatchEventError && runIndex[err.index] !== undefined)
        return { index: runIndex[err.index], error: err.cause };
      return { error: err };
    }
    this.counters.handled += handled;
    this.counters.duplicates += run.length - handled;
    return null;
  }

  /**
   * One record on its own, with retries, or dead-lettered. `firstFailure` is the error of a try already made in a
   * run; that try counts as attempt 1.
   */
  private async handleAlone(
    record: HandleableRecord,
    topic: string,
    partition: number,
    firstFailure?: unknown,
  ): Promise<void> {
    const { message, event } = record;
    const where = { topic, partition, offset: message.offset };
    for (let attempt = 1; ; attempt++) {
      try {
        if (attempt === 1 && firstFailure !== undefined) throw firstFailure;
        const fresh = await withStoreTransaction(this.options.pool, async (tx) => {
          if ((await handledInInbox(tx, this.groupId, [event.id])).size > 0) return false;
          await this.handle([event], {
            tx,
            groupId: this.groupId,
            topic,
            partition,
            origins: [originOf(message)],
            attempt,
          });
          await this.claim(tx, [event.id]);
          return true;
        });
        if (fresh) this.counters.handled++;
        else this.counters.duplicates++;
        return;
      } catch (thrown) {
        const err = thrown instanceof BatchEventError ? thrown.cause : thrown;
        const text = describeError(err);
        if (!isTransientError(err)) return await this.deadLetter('handler', text, attempt, message, where);
        if (attempt >= this.retry.maxAttempts)
          return await this.deadLetter('retries-exhausted', text, attempt, message, where);
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

  /**
   * Records the events as handled, after the handler: the transaction then takes its id at the handler's first write
   * (an append takes it only once the tenant's previous appender committed), not at the claim, so its appends are not
   * refused as older than appends made meanwhile (LogOrderConflictError). A claim that finds an event claimed by
   * another member handling it at the same time (a rebalance) undoes the whole transaction; the retry skips it.
   */
  private async claim(tx: PoolClient, eventIds: string[]): Promise<void> {
    const claimed = await claimManyInInbox(tx, this.groupId, eventIds);
    if (claimed.size < eventIds.length)
      throw new TransientError(`another member of ${this.groupId} handled one of these events meanwhile`);
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

function originOf(message: KafkaMessage): EventOrigin {
  return { offset: message.offset, key: message.key?.toString('utf8') ?? null };
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
