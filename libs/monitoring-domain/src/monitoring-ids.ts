import { uuidV5 } from '@attest/catalog';

/**
 * The monitoring context's derived ids. The event store keys streams by id across tenants and every public event
 * names its stream by a UUID, so a stream that is "one per tenant and test" (shipped test ids are the same for
 * every tenant) gets a UUID derived from both: the same inputs always find the same stream.
 */
export const MONITORING_ID_NAMESPACE = '8e2a4c61-3f7b-4d95-a0c8-5b1e9d7f2a34';

/** The stream of a tenant's custom test (`monitoring-test`). */
export function monitoringTestStreamId(tenantId: string, testId: string): string {
  return uuidV5(`monitoring-test:${tenantId}:${testId}`, MONITORING_ID_NAMESPACE);
}

/** The stream of a tenant's results of one test (`monitoring-results`), shipped or custom. */
export function testResultsStreamId(tenantId: string, testId: string): string {
  return uuidV5(`monitoring-results:${tenantId}:${testId}`, MONITORING_ID_NAMESPACE);
}

/**
 * The alert of one failure: a resource failing a test since an instant. A redelivered run raises the same alert
 * (so it is raised once), and a resource that recovers and fails again gets a new one.
 */
export function alertIdOf(
  tenantId: string,
  testId: string,
  resourceId: string,
  failingSince: string,
): string {
  return uuidV5(`alert:${tenantId}:${testId}:${resourceId}:${failingSince}`, MONITORING_ID_NAMESPACE);
}
