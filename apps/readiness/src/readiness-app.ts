import type { NestExpressApplication } from '@nestjs/platform-express';
import { Pool } from 'pg';
import { postgresDatabaseUrl, type InfraEndpoints } from '@attest/platform-config';
import {
  ASSESSMENT_REFUSALS,
  REMEDIATION_TASK_REFUSALS,
  RISK_ASSESSMENT_REFUSALS,
  RISK_REFUSALS,
} from '@attest/readiness-domain';
import {
  AS_OF_REFUSALS,
  createServiceApp,
  kafkaCheck,
  postgresCheck,
  type DomainErrorStatus,
  type ServiceAppOptions,
  type ServiceHttpOptions,
} from '@attest/service-kit';
import { ReadinessModule } from './readiness.module';
import type { ReadinessModuleOptions } from './readiness-options';

/** Every domain refusal with its status: 404 for what does not exist, 422 for what breaks a rule, 409 for state. */
export const READINESS_DOMAIN_ERROR_STATUS: Record<string, DomainErrorStatus> = {
  ...ASSESSMENT_REFUSALS,
  ...REMEDIATION_TASK_REFUSALS,
  ...RISK_REFUSALS,
  ...RISK_ASSESSMENT_REFUSALS,
  ...AS_OF_REFUSALS,
};

export const READINESS_OPENAPI = {
  title: 'Attest readiness service',
  version: '1.0.0',
  description:
    'SOC 2 readiness: assessments (gap analysis at point-of-focus level), results and report, the remediation plan ' +
    'and the risk register with the annual risk assessment. Every request carries a bearer access token of ' +
    "Attest's identity provider; the tenant and the acting user come from it.",
};

/** The service kit's options: authentication, Idempotency-Key records in the service database, domain errors. */
export function readinessAppOptions(pool: Pool, options: ServiceHttpOptions): ServiceAppOptions {
  return {
    name: 'readiness',
    openApi: READINESS_OPENAPI,
    domainErrorStatus: READINESS_DOMAIN_ERROR_STATUS,
    idempotency: { pool },
    ...options,
  };
}

/** The module options for a database pool: health checks on PostgreSQL and Kafka. */
export function readinessModuleOptions(
  pool: Pool,
  infra: Pick<InfraEndpoints, 'kafkaBrokers'>,
  extra: Partial<ReadinessModuleOptions> = {},
): ReadinessModuleOptions {
  return {
    pool,
    checks: [postgresCheck(pool), kafkaCheck(infra.kafkaBrokers)],
    kafkaBrokers: infra.kafkaBrokers,
    ...extra,
  };
}

/** The service's pool for a database name or URL. */
export function readinessPool(infra: InfraEndpoints, database: string): Pool {
  const url = /^postgres(ql)?:\/\//.test(database) ? database : postgresDatabaseUrl(infra, database);
  return new Pool({ connectionString: url, max: 20 });
}

/** The configured Nest app, not listening yet (tests call init or listen). */
export function createReadinessApp(
  options: ReadinessModuleOptions,
  appOptions: ServiceHttpOptions,
): Promise<NestExpressApplication> {
  return createServiceApp(ReadinessModule.forRoot(options), readinessAppOptions(options.pool, appOptions));
}
