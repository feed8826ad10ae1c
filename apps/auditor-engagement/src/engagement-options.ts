import type { Pool } from 'pg';
import { topicFor } from '@attest/event-contracts';
import type { Clock, ConsumerMessagingOptions, HealthCheck } from '@attest/service-kit';

/** The consumer group reading control-mapping events: the tenant's controls, joiners, policy acceptances. */
export const CONTROL_MAPPING_CONSUMER_GROUP = 'attest.auditor-engagement.control-mapping-events';
/** The consumer group reading evidence events: evidence items, their versions and links, collector runs. */
export const EVIDENCE_CONSUMER_GROUP = 'attest.auditor-engagement.evidence-events';
/** The consumer group reading monitoring events: test definitions and test runs. */
export const MONITORING_CONSUMER_GROUP = 'attest.auditor-engagement.monitoring-events';
/** The consumer group reading readiness events: the system description and the criterion conclusions. */
export const READINESS_CONSUMER_GROUP = 'attest.auditor-engagement.readiness-events';

/** PostgreSQL schema of the read models (rebuilt from the service's own log). */
export const READ_MODEL_SCHEMA = 'engagement_read';
/** PostgreSQL schema of what other services told this one (not rebuilt from the own log: kept by the consumers). */
export const INPUTS_SCHEMA = 'engagement_inputs';
/** PostgreSQL schema of the issued reports' bytes (kept as issued, never rebuilt). */
export const FILES_SCHEMA = 'engagement_files';
/** PostgreSQL schema of the auditor access log (requests, not events: never rebuilt). */
export const ACCESS_SCHEMA = 'engagement_access';

/**
 * Kafka for the service: four consumers, each in its own group so that their offsets and lag are seen apart
 * (`groupId` is the control-mapping consumer's), and the outbox relay to `attest.auditor-engagement.events.v1`.
 */
export interface EngagementMessagingOptions extends ConsumerMessagingOptions {
  /** Default `attest.control-mapping.events.v1`. */
  controlMappingTopic?: string;
  /** Default `attest.evidence.events.v1`. */
  evidenceTopic?: string;
  /** Default EVIDENCE_CONSUMER_GROUP. */
  evidenceGroupId?: string;
  /** Default `attest.monitoring.events.v1`. */
  monitoringTopic?: string;
  /** Default MONITORING_CONSUMER_GROUP. */
  monitoringGroupId?: string;
  /** Default `attest.readiness.events.v1`. */
  readinessTopic?: string;
  /** Default READINESS_CONSUMER_GROUP. */
  readinessGroupId?: string;
}

export interface EngagementOptions {
  /** The service database (event store, outbox, inbox, read models, inputs, issued files, access log). */
  pool: Pool;
  /** Kafka: the consumers and the outbox relay; `false` runs without Kafka (e.g. to write the OpenAPI document). */
  messaging?: EngagementMessagingOptions | false;
  /** Readiness checks for GET /health/ready. */
  healthChecks?: HealthCheck[];
  /** End the pool when the application shuts down (main does; tests own their pools). */
  closePoolOnShutdown?: boolean;
  /** Where business times come from (default the system clock; tests set their own). Provided as CLOCK. */
  clock?: Clock;
}

export const ENGAGEMENT_OPTIONS = Symbol('attest:auditor-engagement-options');

/** The options with defaults filled in. */
export interface ResolvedOptions {
  pool: Pool;
  closePoolOnShutdown: boolean;
}

export function resolveOptions(options: EngagementOptions): ResolvedOptions {
  return { pool: options.pool, closePoolOnShutdown: options.closePoolOnShutdown ?? false };
}

export const controlMappingTopic = (m: EngagementMessagingOptions) =>
  m.controlMappingTopic ?? topicFor('control-mapping');
export const evidenceTopic = (m: EngagementMessagingOptions) => m.evidenceTopic ?? topicFor('evidence');
export const monitoringTopic = (m: EngagementMessagingOptions) => m.monitoringTopic ?? topicFor('monitoring');
export const readinessTopic = (m: EngagementMessagingOptions) => m.readinessTopic ?? topicFor('readiness');
