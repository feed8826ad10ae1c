import type { logLevel } from 'kafkajs';
import type { Pool } from 'pg';
import type { RetryPolicy } from '../event-consumer';
import type { InboxRetention } from '../inbox-pruning';
import type { EventTypeRegistry } from '../event-type-registry';
import type { ValidateEvent } from '../event-validator';
import type { MessagingLogger } from '../messaging-logger';

export const MESSAGING_OPTIONS = Symbol('attest:messaging-options');

export interface MessagingModuleOptions {
  /** The consumer group, used exactly as given. */
  groupId: string;
  /** `ce_source` of what this service publishes, e.g. `/attest/readiness`. */
  source: string;
  /** Topics to consume; none: the module only relays. */
  topics: string[];
  /** The service's database (inbox and outbox). Give a pool, or `database` (a name or postgres:// URL). */
  pool?: Pool;
  database?: string;
  /** Default `attest-<groupId>`. */
  clientId?: string;
  /** Default: ATTEST_KAFKA_BROKERS. */
  brokers?: string[];
  kafkaLogLevel?: logLevel;
  validate?: ValidateEvent;
  retry?: Partial<RetryPolicy>;
  heartbeatIntervalMs?: number;
  sessionTimeoutMs?: number;
  partitionsConsumedConcurrently?: number;
  transactionBatchSize?: number;
  /** See `EventConsumerOptions.inboxRetention`. */
  inboxRetention?: Partial<InboxRetention> | false;
  fromBeginning?: boolean;
  deadLetterTopic?: string;
  /** Runs the outbox relay of the service's database in this process. */
  relay?: {
    /** Public types of events recorded before the store kept them (with `source` above); see OutboxRelayOptions. */
    registry?: EventTypeRegistry;
    deadLetterTopic?: string;
    batchSize?: number;
    pollIntervalMs?: number;
  };
  /** Default: Nest's Logger under the context `AttestMessaging`. */
  logger?: MessagingLogger;
}
