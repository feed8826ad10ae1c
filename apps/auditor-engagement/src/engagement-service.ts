import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import { ENGAGEMENT_REFUSALS } from '@attest/engagement-domain';
import {
  AuditorAccessLog,
  createServiceApp,
  ENGAGEMENT_GRANT_REFUSALS,
  type ServiceAppOptions,
  type ServiceHttpOptions,
} from '@attest/service-kit';
import { AUDIT_WORK_REFUSALS } from './audit-work/audit-work-wiring';
import { ACCESS_SCHEMA, type EngagementOptions } from './engagement-options';
import { AuditorEngagementModule } from './auditor-engagement.module';
import { engagementGrants } from './read-model/read-model-wiring';

/**
 * How the service answers domain refusals: the engagement domain's registry, audit work's, the grants' (an
 * engagement the auditor is not invited to is not found) and a scope naming a control the organization does not
 * have (422); unmapped: a conflict, 409.
 */
export const DOMAIN_ERROR_STATUS: NonNullable<ServiceAppOptions['domainErrorStatus']> = {
  ...ENGAGEMENT_REFUSALS,
  ...AUDIT_WORK_REFUSALS,
  ...ENGAGEMENT_GRANT_REFUSALS,
  'control-not-found': 422,
};

export const OPENAPI_INFO = {
  title: 'Attest auditor engagement',
  version: '1.0.0',
  description:
    "Where Attest meets the CPA firm: audit firms and their auditors, SOC 2 Type I and Type II engagements with their scope (categories, controls, CUECs, subservice organizations), invitations through which a firm's auditor reaches the organization (and only the engagements they are invited to; every request they make is in an access log the organization reviews), request lists answered by the evidence Attest already holds, populations frozen with a hash and samples re-performable from a recorded seed, test results, exceptions with management responses, and the report (HTML, PDF, CSV, XLSX, OSCAL assessment plan and results) with bridge letters. Every request but the public signing keys carries a bearer access token of Attest's identity provider; the tenant and the acting user come from it (an auditor's tenant from the engagement the route names).",
};

/**
 * The service kit's options: authentication whose grants are the service's own engagement invitations, every
 * request an auditor makes through one recorded in the access log (`engagement_access`), Idempotency-Key records
 * in the service database, domain errors.
 */
export function engagementAppOptions(pool: Pool, options: ServiceHttpOptions): ServiceAppOptions {
  return {
    name: 'auditor-engagement',
    openApi: OPENAPI_INFO,
    domainErrorStatus: DOMAIN_ERROR_STATUS,
    idempotency: { pool },
    auditorAccessLog: new AuditorAccessLog(pool, ACCESS_SCHEMA),
    ...options,
    authentication: { ...options.authentication, tenantAccess: engagementGrants({ pool }) },
  };
}

/** The auditor-engagement Nest app (not listening), as main, the OpenAPI writer and the tests build it. */
export function createAuditorEngagementApp(
  options: EngagementOptions,
  appOptions: ServiceHttpOptions,
): Promise<NestExpressApplication> {
  return createServiceApp(
    AuditorEngagementModule.forRoot(options),
    engagementAppOptions(options.pool, appOptions),
  );
}
