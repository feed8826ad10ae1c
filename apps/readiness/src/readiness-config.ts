import { loadServiceConfig, setting, type ServiceConfig } from '@attest/service-kit';

export const READINESS_HTTP_PORT = 3101;

export interface ReadinessSettings {
  /** ATTEST_READINESS_DATABASE: a database name on ATTEST_POSTGRES_URL's server, or a postgres:// URL. */
  database: string;
  /** ATTEST_READINESS_RELAY: run the outbox relay in this process (default true). */
  relay: boolean;
  /** ATTEST_READINESS_PROJECTION_POLL_MS: longest wait of the projection runners without an append notification. */
  projectionPollMs: number;
}

/**
 * The service's configuration from the environment, checked at start: one ConfigError lists every problem. The
 * identity provider (ATTEST_OIDC_ISSUER, ATTEST_OIDC_AUDIENCE) has no default: without it the service does not start.
 */
export function loadReadinessConfig(
  env: Record<string, string | undefined> = process.env,
): ServiceConfig<ReadinessSettings> {
  return loadServiceConfig(
    {
      service: 'readiness',
      httpPort: READINESS_HTTP_PORT,
      settings: {
        database: setting.string('ATTEST_READINESS_DATABASE', {
          default: 'attest_readiness',
          pattern: /^([a-z_][a-z0-9_]{0,62}|postgres(ql)?:\/\/\S+)$/,
        }),
        relay: setting.boolean('ATTEST_READINESS_RELAY', true),
        projectionPollMs: setting.integer('ATTEST_READINESS_PROJECTION_POLL_MS', {
          default: 1000,
          min: 50,
          max: 60_000,
        }),
      },
    },
    env,
  );
}
