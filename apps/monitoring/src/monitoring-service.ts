import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import { MONITORING_REFUSALS } from '@attest/monitoring-domain';
import {
  AS_OF_REFUSALS,
  createServiceApp,
  type ServiceAppOptions,
  type ServiceHttpOptions,
} from '@attest/service-kit';
import type { MonitoringOptions } from './monitoring-options';
import { MonitoringModule } from './monitoring.module';
import { PASS_RATE_REFUSALS } from './read-model/read-model-wiring';
import { WEBHOOK_REFUSALS } from './webhooks/webhook-wiring';

/**
 * How the monitoring service answers domain refusals: the monitoring domain's registry (which holds the policy
 * engine's `invalid-test`, 422, too), the webhook deliveries', the pass rates' and `asOf`'s; unmapped: a conflict,
 * 409.
 */
export const DOMAIN_ERROR_STATUS: NonNullable<ServiceAppOptions['domainErrorStatus']> = {
  ...MONITORING_REFUSALS,
  ...WEBHOOK_REFUSALS,
  ...PASS_RATE_REFUSALS,
  ...AS_OF_REFUSALS,
};

export const OPENAPI_INFO = {
  title: 'Attest monitoring',
  version: '1.0.0',
  description:
    "Continuous control monitoring: tests written in CEL (Attest's shipped library and the organization's own) evaluated against every collector run's facts, per resource, with the full history of their results; alerts when a resource drifts from pass to fail, acknowledged, snoozed, resolved when it passes again and delivered to webhooks signed as Standard Webhooks; exceptions accepted by an approver until an expiry; each control's health from its tests, its evidence's freshness and its exceptions, rolled up per criterion and category, also as of a past date. Every request but the public signing keys carries a bearer access token of Attest's identity provider; the tenant and the acting user come from it.",
};

/** The service kit's options: authentication, Idempotency-Key records in the service database, domain errors. */
export function monitoringAppOptions(pool: Pool, options: ServiceHttpOptions): ServiceAppOptions {
  return {
    name: 'monitoring',
    openApi: OPENAPI_INFO,
    domainErrorStatus: DOMAIN_ERROR_STATUS,
    idempotency: { pool },
    ...options,
  };
}

/** The monitoring Nest app (not listening), as main, the OpenAPI writer and the tests build it. */
export function createMonitoringApp(
  options: MonitoringOptions,
  appOptions: ServiceHttpOptions,
): Promise<NestExpressApplication> {
  return createServiceApp(MonitoringModule.forRoot(options), monitoringAppOptions(options.pool, appOptions));
}
