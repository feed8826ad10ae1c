import type { Pool } from 'pg';
import { attestCatalog, policyTemplateById } from '@attest/catalog';
import { CatalogVersions, type PolicyTemplateSource } from '@attest/control-mapping-domain';
import { topicFor } from '@attest/event-contracts';
import { DEFAULT_ACCEPTANCE_OBLIGATION_CONFIG, type AcceptanceObligationConfig } from '@attest/people-domain';
import type { Clock, ConsumerMessagingOptions, HealthCheck } from '@attest/service-kit';

/** The consumer group reading readiness events (stable: integrators and lag dashboards see it). */
export const READINESS_CONSUMER_GROUP = 'attest.control-mapping.readiness-events';
/** The consumer group reading monitoring events: the controls' health (stable, as above). */
export const MONITORING_CONSUMER_GROUP = 'attest.control-mapping.monitoring-events';
/** PostgreSQL schema of the read models. */
export const READ_MODEL_SCHEMA = 'control_mapping_read';

/** Kafka for the service; `groupId` (the readiness consumer's) defaults to READINESS_CONSUMER_GROUP. */
export interface ControlMappingMessagingOptions extends ConsumerMessagingOptions {
  /** Default `attest.readiness.events.v1`. */
  readinessTopic?: string;
  /** Default `attest.monitoring.events.v1`. */
  monitoringTopic?: string;
  /** Default MONITORING_CONSUMER_GROUP. */
  monitoringGroupId?: string;
}

export interface ControlMappingOptions {
  /** The service database (event store, outbox, inbox, read models). */
  pool: Pool;
  /** The catalog versions the service knows (default: the shipped catalog only). */
  catalogs?: CatalogVersions;
  /** Policy templates (default: the catalog's). */
  policyTemplates?: PolicyTemplateSource;
  /** Kafka: readiness and monitoring consumers and outbox relay; `false` runs without Kafka (e.g. to write the OpenAPI document). */
  messaging?: ControlMappingMessagingOptions | false;
  /** Readiness checks for GET /health/ready. */
  healthChecks?: HealthCheck[];
  /** End the pool when the application shuts down (main does; tests own their pools). */
  closePoolOnShutdown?: boolean;
  /** Where business times come from (default the system clock; tests set their own). Provided as CLOCK. */
  clock?: Clock;
  /**
   * Days to accept a policy and months until it must be accepted again (main: ATTEST_POLICY_ACCEPTANCE_DAYS,
   * ATTEST_POLICY_REACCEPTANCE_MONTHS; default 30 days, 12 months).
   */
  policyAcceptance?: Partial<AcceptanceObligationConfig>;
}

export const CONTROL_MAPPING_OPTIONS = Symbol('attest:control-mapping-options');

/** The options with defaults filled in. */
export interface ResolvedOptions {
  pool: Pool;
  catalogs: CatalogVersions;
  policyTemplates: PolicyTemplateSource;
  closePoolOnShutdown: boolean;
  policyAcceptance: AcceptanceObligationConfig;
}

export function resolveOptions(options: ControlMappingOptions): ResolvedOptions {
  return {
    pool: options.pool,
    catalogs: options.catalogs ?? new CatalogVersions(),
    policyTemplates: options.policyTemplates ?? {
      catalogVersion: attestCatalog.release.version,
      templateById: policyTemplateById,
    },
    closePoolOnShutdown: options.closePoolOnShutdown ?? false,
    policyAcceptance: { ...DEFAULT_ACCEPTANCE_OBLIGATION_CONFIG, ...options.policyAcceptance },
  };
}

export function readinessTopic(options: ControlMappingMessagingOptions): string {
  return options.readinessTopic ?? topicFor('readiness');
}

export function monitoringTopic(options: ControlMappingMessagingOptions): string {
  return options.monitoringTopic ?? topicFor('monitoring');
}
