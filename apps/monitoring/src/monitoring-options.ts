import type { Pool } from 'pg';
import { topicFor } from '@attest/event-contracts';
import type { Clock, ConsumerMessagingOptions, HealthCheck } from '@attest/service-kit';

/** The consumer group reading evidence events: collector runs (facts) and evidence freshness. */
export const EVIDENCE_CONSUMER_GROUP = 'attest.monitoring.evidence-events';
/** The consumer group reading control-mapping events: the tenant's controls. */
export const CONTROL_MAPPING_CONSUMER_GROUP = 'attest.monitoring.control-mapping-events';
/** PostgreSQL schema of the read models (rebuilt from the service's own log). */
export const READ_MODEL_SCHEMA = 'monitoring_read';
/** PostgreSQL schema of what other services told this one (not rebuilt from the own log: kept by the consumers). */
export const INPUTS_SCHEMA = 'monitoring_inputs';

/** Retry delays of a webhook delivery: 5 s, 30 s, 2 min, 10 min, 1 h, then a dead-letter record. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  5_000, 30_000, 120_000, 600_000, 3_600_000,
];

/**
 * Kafka for the service: two consumers, each in its own group so that their offsets and lag are seen apart (`groupId`
 * is the evidence consumer's), and the outbox relay to `attest.monitoring.events.v1`.
 */
export interface MonitoringMessagingOptions extends ConsumerMessagingOptions {
  /** Default `attest.evidence.events.v1` (collector runs, evidence freshness). */
  evidenceTopic?: string;
  /** Default `attest.control-mapping.events.v1` (the tenant's controls). */
  controlMappingTopic?: string;
  /** Default CONTROL_MAPPING_CONSUMER_GROUP. */
  controlMappingGroupId?: string;
}

export interface MonitoringOptions {
  /** The service database (event store, outbox, inbox, read models, inputs). */
  pool: Pool;
  /** Kafka: both consumers and the outbox relay; `false` runs without Kafka (e.g. to write the OpenAPI document). */
  messaging?: MonitoringMessagingOptions | false;
  /** Readiness checks for GET /health/ready. */
  healthChecks?: HealthCheck[];
  /** End the pool when the application shuts down (main does; tests own their pools). */
  closePoolOnShutdown?: boolean;
  /** Where business times come from (default the system clock; tests set their own). Provided as CLOCK. */
  clock?: Clock;
  /** Waits between a webhook delivery's tries (main: ATTEST_WEBHOOK_RETRY_DELAYS_MS); its length is the retries. */
  webhookRetryDelaysMs?: readonly number[];
}

export const MONITORING_OPTIONS = Symbol('attest:monitoring-options');

/** The options with defaults filled in. */
export interface ResolvedOptions {
  pool: Pool;
  closePoolOnShutdown: boolean;
  webhookRetryDelaysMs: readonly number[];
}

export function resolveOptions(options: MonitoringOptions): ResolvedOptions {
  return {
    pool: options.pool,
    closePoolOnShutdown: options.closePoolOnShutdown ?? false,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  };
}

export function evidenceTopic(options: MonitoringMessagingOptions): string {
  return options.evidenceTopic ?? topicFor('evidence');
}

export function controlMappingTopic(options: MonitoringMessagingOptions): string {
  return options.controlMappingTopic ?? topicFor('control-mapping');
}
