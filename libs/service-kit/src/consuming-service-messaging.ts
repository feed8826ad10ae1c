import type { DynamicModule } from '@nestjs/common';
import type { Pool } from 'pg';
import { eventContexts, type EventContext } from '@attest/event-contracts';
import { catalogEventTypes, catalogEventValidator, MessagingModule } from '@attest/messaging';

/** How a consuming service reaches Kafka; each field has its default. */
export interface ConsumerMessagingOptions {
  /** Default: the service's consumer group of the consumed topic. */
  groupId?: string;
  /** Default ATTEST_KAFKA_BROKERS. */
  brokers?: string[];
  /** Run this database's outbox relay in the process (default true). */
  relay?: boolean;
  /** Where a consumer group without committed offsets starts (default true: the whole topic). */
  fromBeginning?: boolean;
}

/** What a service consumes: its default consumer group, and the topic its options name (or the default topic). */
export interface ConsumedTopic<M> {
  groupId: string;
  topicOf(messaging: M): string;
}

/**
 * The messaging of a service of `context` that consumes another context's topic, each event checked against the
 * event catalog, and relays its own outbox (its context's public events, under its source); none at all when
 * `messaging` is false (tests without Kafka).
 */
export function consumingServiceMessaging<M extends ConsumerMessagingOptions>(
  context: EventContext,
  pool: Pool,
  messaging: M | false | undefined,
  consumed: ConsumedTopic<M>,
): DynamicModule[] {
  if (messaging === false) return [];
  const options = (messaging ?? {}) as M;
  return [
    MessagingModule.forRoot({
      groupId: options.groupId ?? consumed.groupId,
      source: eventContexts[context].source,
      topics: [consumed.topicOf(options)],
      pool,
      ...(options.brokers ? { brokers: options.brokers } : {}),
      ...(options.fromBeginning === undefined ? {} : { fromBeginning: options.fromBeginning }),
      validate: catalogEventValidator(),
      ...(options.relay === false ? {} : { relay: { registry: catalogEventTypes(context) } }),
    }),
  ];
}
