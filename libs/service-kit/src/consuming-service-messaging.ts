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
  /** The group the options name instead of `groupId` (default: their `groupId`, for the first consumed topic only). */
  groupOf?(messaging: M): string | undefined;
}

/**
 * The messaging of a service of `context` that consumes other contexts' topics, each event checked against the
 * event catalog, and relays its own outbox (its context's public events, under its source); none at all when
 * `messaging` is false (tests without Kafka). Each consumed topic has its own consumer group (its own offsets, lag
 * and dead-letter topic, so one topic's backlog never holds up another's); the first one's module runs the relay.
 */
export function consumingServiceMessaging<M extends ConsumerMessagingOptions>(
  context: EventContext,
  pool: Pool,
  messaging: M | false | undefined,
  ...consumed: [ConsumedTopic<M>, ...ConsumedTopic<M>[]]
): DynamicModule[] {
  if (messaging === false) return [];
  const options = (messaging ?? {}) as M;
  return consumed.map((topic, i) =>
    MessagingModule.forRoot({
      groupId: topic.groupOf?.(options) ?? (i === 0 ? options.groupId : undefined) ?? topic.groupId,
      source: eventContexts[context].source,
      topics: [topic.topicOf(options)],
      pool,
      ...(options.brokers ? { brokers: options.brokers } : {}),
      ...(options.fromBeginning === undefined ? {} : { fromBeginning: options.fromBeginning }),
      validate: catalogEventValidator(),
      ...(i > 0 || options.relay === false ? {} : { relay: { registry: catalogEventTypes(context) } }),
    }),
  );
}
