import { INestApplication, RequestMethod } from '@nestjs/common';

/** Every API route is under /v1; a breaking change would add /v2 beside it. */
export const API_VERSION = 'v1';

/** The health probes stay at the root: orchestrators probe them, no API client calls them. */
export const HEALTH_PROBE_PATHS = ['/health/live', '/health/ready'] as const;

/**
 * Well-known URIs (RFC 8615) stay at the root too: verifiers find them by convention, whatever the API version (a
 * service that signs evidence bundles serves its public keys there, `SigningKeysController`).
 */
export const WELL_KNOWN_PATHS = ['/.well-known/attest/signing-keys'] as const;

/** Puts every Nest route of the app under /v1 except the health probes and well-known URIs. Call before init. */
export function useApiVersionPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_VERSION, {
    exclude: [...HEALTH_PROBE_PATHS, ...WELL_KNOWN_PATHS].map((path) => ({
      path: path.slice(1),
      method: RequestMethod.ALL,
    })),
  });
}
