import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  type INestApplicationContext,
} from '@nestjs/common';
import { Pool } from 'pg';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';
import { EventConsumer, type EventConsumerStats } from '../event-consumer';
import { kafkaClient } from '../kafka-client';
import { errorFields, type MessagingLogger } from '../messaging-logger';
import { OutboxRelay, type OutboxRelayStats } from '../outbox-relay';
import { AttestEventHandlers } from './attest-event-handlers';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from './messaging-options';

/**
 * Starts the consumer (dispatching to `@OnAttestEvent` and `@OnAttestEvents` methods) and the outbox relay when the
 * application has bootstrapped, and drains them first thing on shutdown (`app.enableShutdownHooks()` turns SIGTERM
 * into that).
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer: EventConsumer | null = null;
  private relay: OutboxRelay | null = null;
  private ownedPool: Pool | null = null;
  private readonly logger: MessagingLogger;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly handlers: AttestEventHandlers,
  ) {
    this.logger = options.logger ?? nestLogger();
  }

  /** The consumer group of this module (a service consuming several topics runs a module per group). */
  get groupId(): string {
    return this.options.groupId;
  }

  stats(): { consumer: EventConsumerStats | null; relay: OutboxRelayStats | null } {
    return { consumer: this.consumer?.stats() ?? null, relay: this.relay?.stats() ?? null };
  }

  async onApplicationBootstrap(): Promise<void> {
    const o = this.options;
    const logger = this.logger;
    const pool = o.pool ?? this.createPool();
    const kafka = kafkaClient({
      clientId: o.clientId ?? `attest-${o.groupId}`,
      brokers: o.brokers,
      logLevel: o.kafkaLogLevel,
    });
    try {
      if (o.relay) {
        this.relay = new OutboxRelay({
          pool,
          kafka,
          source: o.source,
          registry: o.relay.registry,
          deadLetterTopic: o.relay.deadLetterTopic,
          batchSize: o.relay.batchSize,
          pollIntervalMs: o.relay.pollIntervalMs,
          logger,
        });
        await this.relay.start();
      }
      if (o.topics.length > 0) {
        const unhandled = this.handlers.types().length === 0;
        if (unhandled)
          logger.warn('no @OnAttestEvent or @OnAttestEvents handlers found; events will be skipped', {
            groupId: o.groupId,
          });
        this.consumer = new EventConsumer({
          kafka,
          pool,
          groupId: o.groupId,
          topics: o.topics,
          handleBatch: (events, context) => this.handlers.dispatch(events, context),
          validate: o.validate,
          retry: o.retry,
          heartbeatIntervalMs: o.heartbeatIntervalMs,
          sessionTimeoutMs: o.sessionTimeoutMs,
          partitionsConsumedConcurrently: o.partitionsConsumedConcurrently,
          transactionBatchSize: o.transactionBatchSize,
          inboxRetention: o.inboxRetention,
          fromBeginning: o.fromBeginning,
          deadLetterTopic: o.deadLetterTopic,
          logger,
        });
        await this.consumer.start();
      }
    } catch (err) {
      await this.onModuleDestroy();
      throw err;
    }
  }

  async onModuleDestroy(): Promise<void> {
    const consumer = this.consumer;
    const relay = this.relay;
    this.consumer = null;
    this.relay = null;
    await consumer?.stop();
    await relay?.stop();
    const pool = this.ownedPool;
    this.ownedPool = null;
    await pool?.end();
  }

  private createPool(): Pool {
    const database = this.options.database;
    if (!database) throw new Error('MessagingModule needs a pool or a database');
    const url = /^postgres(ql)?:\/\//.test(database)
      ? database
      : postgresDatabaseUrl(infraEndpoints(), database);
    const pool = new Pool({ connectionString: url, max: 10 });
    // A broken idle connection is replaced by the pool; it must not take the service down.
    pool.on('error', (err) => this.logger.warn('idle PostgreSQL connection failed', errorFields(err)));
    this.ownedPool = pool;
    return pool;
  }
}

/** The messaging of consumer group `groupId` among an application's (`app.get` would answer any one of them). */
export function messagingOf(app: Pick<INestApplicationContext, 'get'>, groupId: string): MessagingLifecycle {
  const found = app.get(MessagingLifecycle, { each: true }).find((m) => m.groupId === groupId);
  if (!found) throw new Error(`no messaging module of consumer group ${groupId}`);
  return found;
}

function nestLogger(): MessagingLogger {
  const logger = new Logger('AttestMessaging');
  const text = (message: string, fields?: Record<string, unknown>) =>
    fields && Object.keys(fields).length ? `${message} ${JSON.stringify(fields)}` : message;
  return {
    info: (m, f) => logger.log(text(m, f)),
    warn: (m, f) => logger.warn(text(m, f)),
    error: (m, f) => logger.error(text(m, f)),
  };
}
