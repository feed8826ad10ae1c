import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import { POLICY_REFUSALS } from '@attest/control-mapping-domain';
import { PERSON_REFUSALS } from '@attest/people-domain';
import {
  AS_OF_REFUSALS,
  createServiceApp,
  type ServiceAppOptions,
  type ServiceHttpOptions,
} from '@attest/service-kit';
import type { ControlMappingOptions } from './control-mapping-options';
import { ControlMappingModule } from './control-mapping.module';

/** How control-mapping answers domain refusals: not found, unprocessable input, everything else a conflict (409). */
export const DOMAIN_ERROR_STATUS: NonNullable<ServiceAppOptions['domainErrorStatus']> = {
  'control-set-not-found': 404,
  'control-not-found': 404,
  'unknown-catalog-version': 422,
  'unknown-category': 422,
  'unknown-catalog-control': 422,
  'control-out-of-scope': 422,
  'unknown-criterion': 422,
  'unknown-point-of-focus': 422,
  'point-of-focus-outside-criteria': 422,
  'criteria-required': 422,
  'code-reserved-by-catalog': 422,
  'justification-required': 422,
  'reason-required': 422,
  'implemented-on-required': 422,
  'implemented-on-in-future': 422,
  'implemented-on-not-allowed': 422,
  'owner-required': 422,
  'point-of-focus-out-of-scope': 422,
  ...AS_OF_REFUSALS,
  ...POLICY_REFUSALS,
  ...PERSON_REFUSALS,
};

export const OPENAPI_INFO = {
  title: 'Attest control mapping',
  version: '1.0.0',
  description:
    "The organization's SOC 2 controls (adopted from the Attest catalog or its own), their mapping to the Trust Services Criteria, the coverage matrix and cross-framework coverage, and policies from template to acceptance. Every request carries a bearer access token of Attest's identity provider; the tenant and the acting user come from it.",
};

/**
 * Large enough for every body the document admits, escapes included: a policy text of 200,000 characters, each
 * written as a JSON surrogate pair escape (12 bytes), is 2.4 MB.
 */
export const BODY_LIMIT = '3mb';

/** The service kit's options: authentication, Idempotency-Key records in the service database, domain errors. */
export function controlMappingAppOptions(pool: Pool, options: ServiceHttpOptions): ServiceAppOptions {
  return {
    name: 'control-mapping',
    openApi: OPENAPI_INFO,
    domainErrorStatus: DOMAIN_ERROR_STATUS,
    bodyLimit: BODY_LIMIT,
    // The people import takes the HR system's CSV file as it is.
    textBodies: ['text/csv'],
    idempotency: { pool },
    ...options,
  };
}

/** The control-mapping Nest app (not listening), as main, the OpenAPI writer and the tests build it. */
export function createControlMappingApp(
  options: ControlMappingOptions,
  appOptions: ServiceHttpOptions,
): Promise<NestExpressApplication> {
  return createServiceApp(
    ControlMappingModule.forRoot(options),
    controlMappingAppOptions(options.pool, appOptions),
  );
}
