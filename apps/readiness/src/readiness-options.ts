import type { Pool } from 'pg';
import type { Clock, HealthCheck } from '@attest/service-kit';

/** Injection tokens of the readiness service. */
export const READINESS_OPTIONS = Symbol('attest:readiness-options');
export const READINESS_POOL = Symbol('attest:readiness-pool');

/** The schema the read models live in. */
export const READ_MODEL_SCHEMA = 'readiness_read';

export interface ReadinessModuleOptions {
  /** The service database (event store, outbox, read models). */
  pool: Pool;
  /** End the pool when the application shuts down (main's own pool; tests keep theirs). */
  ownsPool?: boolean;
  /** The readiness probe's checks (PostgreSQL and Kafka). */
  checks: HealthCheck[];
  /** Kafka brokers of the outbox relay; default ATTEST_KAFKA_BROKERS. */
  kafkaBrokers?: string[];
  /** Run the outbox relay in this process (default true). */
  relay?: boolean;
  /** Longest wait of a projection runner between reads when no append notification arrives. */
  projectionPollMs?: number;
  /** Where the service reads the time of what happens (default the system clock); tests set their own. */
  clock?: Clock;
}
