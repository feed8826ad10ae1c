import type { Pool } from 'pg';
import { topicFor } from '@attest/event-contracts';
import { contentStoreFromEnv, type ContentStore } from '@attest/evidence-storage';
import type { Clock, ConsumerMessagingOptions, HealthCheck } from '@attest/service-kit';
import { DEVELOPMENT_COLLECTOR_SECRETS_KEY } from './collection/collector-secrets';

/** The consumer group reading control-mapping events (stable: integrators and lag dashboards see it). */
export const CONTROL_MAPPING_CONSUMER_GROUP = 'attest.evidence.control-mapping-events';
/** The consumer group reading auditor-engagement events: which auditors an engagement grants which evidence. */
export const AUDITOR_ENGAGEMENT_CONSUMER_GROUP = 'attest.evidence.auditor-engagement-events';
/** PostgreSQL schema of the read models. */
export const READ_MODEL_SCHEMA = 'evidence_read';

/** 500 MiB: a year of log exports or a screen recording fits, a disk image does not. */
export const DEFAULT_MAX_UPLOAD_BYTES = 524_288_000;
/** Seven years, the longest retention SOC 2 customers usually ask of their auditors' evidence. */
export const DEFAULT_RETENTION_MONTHS = 84;

/** Where the items' content lives: the ContentStore from the options or from the environment. */
export const CONTENT_STORE = Symbol('attest:evidence-content-store');

/**
 * Kafka for the service: two consumers, each in its own group (offsets and lag seen apart); `groupId` names the
 * control-mapping one (default CONTROL_MAPPING_CONSUMER_GROUP).
 */
export interface EvidenceMessagingOptions extends ConsumerMessagingOptions {
  /** Default `attest.control-mapping.events.v1`. */
  controlMappingTopic?: string;
  /** Default `attest.auditor-engagement.events.v1`. */
  auditorEngagementTopic?: string;
  /** Default AUDITOR_ENGAGEMENT_CONSUMER_GROUP. */
  auditorEngagementGroupId?: string;
}

export interface EvidenceOptions {
  /** The service database (event store, outbox, inbox, read models). */
  pool: Pool;
  /** Where content goes (default contentStoreFromEnv(): ATTEST_EVIDENCE_STORE, ATTEST_EVIDENCE_DIR, ATTEST_S3_*). */
  contentStore?: ContentStore;
  /** Kafka: the two consumers and the outbox relay; `false` runs without Kafka (e.g. to write the OpenAPI document). */
  messaging?: EvidenceMessagingOptions | false;
  /** Readiness checks for GET /health/ready. */
  healthChecks?: HealthCheck[];
  /** End the pool when the application shuts down (main does; tests own their pools). */
  closePoolOnShutdown?: boolean;
  /** Where business times come from (default the system clock; tests set their own). Provided as CLOCK. */
  clock?: Clock;
  /** Largest file an upload may carry (main: ATTEST_EVIDENCE_MAX_UPLOAD_BYTES; default 500 MiB). */
  maxUploadBytes?: number;
  /** Months an item is kept after its last period and submission (main: ATTEST_EVIDENCE_RETENTION_MONTHS; 84). */
  retentionMonths?: number;
  /** Directories collectors may read paths from (main: ATTEST_COLLECTOR_ALLOWED_PATHS, colon-separated; none). */
  collectorAllowedPaths?: readonly string[];
  /**
   * The 32-byte key stored collector configurations' secrets are encrypted under (main: collectorSecretsKeySetting,
   * ATTEST_COLLECTOR_SECRETS_KEY; default the development key, for tests).
   */
  collectorSecretsKey?: Buffer;
}

export const EVIDENCE_OPTIONS = Symbol('attest:evidence-options');

/** The options with defaults filled in. */
export interface ResolvedOptions {
  pool: Pool;
  contentStore: ContentStore;
  closePoolOnShutdown: boolean;
  maxUploadBytes: number;
  retentionMonths: number;
  collectorAllowedPaths: readonly string[];
  collectorSecretsKey: Buffer;
}

export function resolveOptions(options: EvidenceOptions): ResolvedOptions {
  return {
    pool: options.pool,
    contentStore: options.contentStore ?? contentStoreFromEnv(),
    closePoolOnShutdown: options.closePoolOnShutdown ?? false,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    retentionMonths: options.retentionMonths ?? DEFAULT_RETENTION_MONTHS,
    collectorAllowedPaths: options.collectorAllowedPaths ?? [],
    collectorSecretsKey: options.collectorSecretsKey ?? DEVELOPMENT_COLLECTOR_SECRETS_KEY,
  };
}

export function controlMappingTopic(options: EvidenceMessagingOptions): string {
  return options.controlMappingTopic ?? topicFor('control-mapping');
}

export function auditorEngagementTopic(options: EvidenceMessagingOptions): string {
  return options.auditorEngagementTopic ?? topicFor('auditor-engagement');
}
