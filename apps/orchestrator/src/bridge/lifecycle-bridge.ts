import type { Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { contractForCeType, eventContexts, topicFor, type EventContext } from '@attest/event-contracts';
import {
  catalogEventValidator,
  type EventConsumerStats,
  EventConsumer,
  type EventHandler,
  jsonLinesLogger,
  kafkaClient,
  type MessagingLogger,
  type RetryPolicy,
  TransientError,
} from '@attest/messaging';
import { TaskQueues } from '@attest/workflow-contracts';
import type { DomainEventSignal } from '@attest/workflows';
import type { ScheduleTenant } from '../schedules';
import { auditPeriodOf } from './audit-periods';
import { domainEventSignalOf } from './domain-event-signal';
import { signalLifecycle } from './signal-lifecycle';

/** The services whose events can move a lifecycle: the bridge consumes each one's topic. */
export const BRIDGED_CONTEXTS = [
  'readiness',
  'control-mapping',
  'evidence',
  'monitoring',
  'auditor-engagement',
] as const satisfies readonly EventContext[];

/** One consumer group of the bridge on one topic. */
interface BridgeSubscription {
  groupId: string;
  topic: string;
}

/**
 * A group per topic, `attest.orchestrator.<service>-events`, as every consuming service names its groups: each
 * topic has its own offsets, lag and dead-letter topic, so one topic's backlog never holds up another's.
 */
export function bridgeSubscriptions(): BridgeSubscription[] {
  return BRIDGED_CONTEXTS.map((context) => ({
    groupId: `attest.orchestrator.${eventContexts[context].service}-events`,
    topic: topicFor(context),
  }));
}

export interface LifecycleBridgeOptions {
  /** The orchestrator's database (`attest_orchestrator`): the inbox and the audit periods. */
  pool: Pool;
  temporal: Client;
  /** Default: a client of ATTEST_KAFKA_BROKERS. */
  kafka?: Kafka;
  /** Where started lifecycles run; default `attest-audit-lifecycle`. */
  taskQueue?: string;
  /** Default: {@link bridgeSubscriptions}. */
  subscriptions?: BridgeSubscription[];
  /** Where a group without committed offsets starts; default true (lifecycles catch up with history). */
  fromBeginning?: boolean;
  retry?: Partial<RetryPolicy>;
  logger?: MessagingLogger;
  /** Creates a tenant's Temporal Schedules when its first lifecycle starts (src/schedules); absent: none. */
  scheduleTenant?: ScheduleTenant;
}

/**
 * Temporal outages outlast a database hiccup: about two minutes of retries per event before it is dead-lettered
 * (an operator replays the dead-letter topic), the partition waiting meanwhile so the events stay in order.
 */
const BRIDGE_RETRY: Partial<RetryPolicy> = { maxAttempts: 12, initialMs: 500, maxMs: 15_000 };

/**
 * The Kafka → Temporal bridge: consumes the services' topics and turns each event that moves a lifecycle into a
 * `domainEvent` signal-with-start on the tenant's current audit (`audit-<tenant>-<period>`). Each event is handled
 * in the consumer's transaction with its inbox record, so an event the group handled before (a redelivery, the
 * same record published twice) is not signalled again; and the workflow counts an event id once, for the one case
 * the inbox cannot cover: a signal sent by a try whose transaction then failed to commit.
 */
export class LifecycleBridge {
  private readonly consumers: EventConsumer[];

  constructor(private readonly options: LifecycleBridgeOptions) {
    const kafka = options.kafka ?? kafkaClient({ clientId: 'attest-orchestrator-bridge' });
    const logger = options.logger ?? jsonLinesLogger;
    const handler = this.handler(logger);
    const validate = catalogEventValidator();
    this.consumers = (options.subscriptions ?? bridgeSubscriptions()).map(
      ({ groupId, topic }) =>
        new EventConsumer({
          kafka,
          pool: options.pool,
          groupId,
          topics: [topic],
          handler,
          validate,
          retry: { ...BRIDGE_RETRY, ...options.retry },
          fromBeginning: options.fromBeginning,
          logger,
        }),
    );
  }

  /** Joins every group (the periods table set up first: `setUpAuditPeriods`). */
  async start(): Promise<void> {
    try {
      await Promise.all(this.consumers.map((c) => c.start()));
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Finishes each group's run in flight (its signals and commits) and leaves the groups. */
  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  stats(): Record<string, EventConsumerStats> {
    return Object.fromEntries(this.consumers.map((c) => [c.groupId, c.stats()]));
  }

  private handler(logger: MessagingLogger): EventHandler {
    const taskQueue = this.options.taskQueue ?? TaskQueues.auditLifecycle;
    return async (event, { tx, groupId }) => {
      const signal = domainEventSignalOf(event);
      if (!signal) return;
      const { period, first } = await auditPeriodOf(tx, signal.tenantId, event.time, engagementOf(signal));
      // Inside the consumer's transaction: when scheduling fails (evidence or Temporal unreachable), the period's
      // record rolls back with it, so the retried event is again the tenant's first and schedules it then.
      if (first && this.options.scheduleTenant)
        await this.options.scheduleTenant(signal.tenantId).catch((err: unknown) => {
          throw new TransientError(`schedules of tenant ${signal.tenantId} not ensured`, { cause: err });
        });
      const outcome = await signalLifecycle(this.options.temporal, taskQueue, signal, period);
      if (!outcome.delivered)
        logger.warn('lifecycle already closed; event not signalled', {
          groupId,
          workflowId: outcome.workflowId,
          eventId: event.id,
          type: event.type,
        });
    };
  }
}

/** The engagement an auditor-engagement event is about (every one of them names it), or none for other services. */
function engagementOf(signal: DomainEventSignal): string | undefined {
  const { engagementId } = signal.data;
  return contractForCeType(signal.type)?.context === 'auditor-engagement' && typeof engagementId === 'string'
    ? engagementId
    : undefined;
}
