import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import { EVIDENCE_REFUSALS } from '@attest/evidence-domain';
import {
  createServiceApp,
  ENGAGEMENT_GRANT_REFUSALS,
  type ServiceAppOptions,
  type ServiceHttpOptions,
} from '@attest/service-kit';
import { CUSTODY_REFUSALS } from './custody/custody-wiring';
import { evidenceAccessLog, evidenceGrants } from './engagement-access/evidence-grants';
import type { EvidenceOptions } from './evidence-options';
import { EvidenceModule } from './evidence.module';

/**
 * How the evidence service answers domain refusals: the evidence domain's registry, and the refusals of the HTTP side
 * (a version that does not exist, disposed content, a file over the upload limit, a collector run for no
 * collector or with a config it cannot use, a stored configuration that is not there); unmapped: a conflict, 409.
 */
export const DOMAIN_ERROR_STATUS: NonNullable<ServiceAppOptions['domainErrorStatus']> = {
  ...EVIDENCE_REFUSALS,
  ...CUSTODY_REFUSALS,
  'evidence-version-not-found': 404,
  'evidence-content-disposed': 410,
  'content-too-large': 413,
  'metadata-part-must-come-first': 422,
  'unknown-collector': 422,
  'invalid-collector-config': 422,
  'collector-configuration-not-found': 404,
  ...ENGAGEMENT_GRANT_REFUSALS,
};

export const OPENAPI_INFO = {
  title: 'Attest evidence',
  version: '1.0.0',
  description:
    "The organization's audit evidence: files uploaded or collected from its systems, stored by their SHA-256, with the controls and criteria they support and the period they cover; versions instead of overwrites, freshness from the controls' frequencies, retention decisions, and signed bundles an auditor verifies offline. Every request but the public signing keys carries a bearer access token of Attest's identity provider; the tenant and the acting user come from it.",
};

/** Uploads are `multipart/form-data`, streamed by the handler into the content store, never parsed into memory. */
export const STREAMED_BODIES = ['multipart/form-data'] as const;

/**
 * The service kit's options: authentication (an auditor reaches a tenant through the engagement grants this service
 * learnt of, whatever grants the options name) with every auditor request recorded in the access log
 * (`evidence_access`), Idempotency-Key records in the service database, domain errors.
 */
export function evidenceAppOptions(pool: Pool, options: ServiceHttpOptions): ServiceAppOptions {
  return {
    name: 'evidence',
    openApi: OPENAPI_INFO,
    domainErrorStatus: DOMAIN_ERROR_STATUS,
    streamedBodies: STREAMED_BODIES,
    idempotency: { pool },
    auditorAccessLog: evidenceAccessLog(pool),
    ...options,
    authentication: { ...options.authentication, tenantAccess: evidenceGrants(pool) },
  };
}

/** The evidence Nest app (not listening), as main, the OpenAPI writer and the tests build it. */
export function createEvidenceApp(
  options: EvidenceOptions,
  appOptions: ServiceHttpOptions,
): Promise<NestExpressApplication> {
  return createServiceApp(EvidenceModule.forRoot(options), evidenceAppOptions(options.pool, appOptions));
}
