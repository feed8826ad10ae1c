import { uuidV5 } from '@attest/catalog';

/** Namespace of the name-based ids control-mapping derives (a fixed random UUID; never change it). */
export const CONTROL_MAPPING_ID_NAMESPACE = '0f4c9d2e-7b1a-4e55-9a3c-61d8e2b47f10';

/**
 * The organization's control set id. An organization (tenant) has one control set, so its id is derived from the
 * tenant id: creating it twice is refused by the stream that already exists, and reactions to readiness events find
 * it without a lookup.
 */
export function controlSetIdFor(tenantId: string): string {
  return uuidV5(`control-set:${tenantId}`, CONTROL_MAPPING_ID_NAMESPACE);
}

/**
 * The id of the control adopted from a catalog template into a control set. Derived, so the same adoption always
 * gets the same id and a template can only be adopted once per set (its stream exists after the first time).
 */
export function adoptedControlIdFor(controlSetId: string, catalogControlId: string): string {
  return uuidV5(`control:${controlSetId}:${catalogControlId}`, CONTROL_MAPPING_ID_NAMESPACE);
}

/**
 * The stream of what control-mapping took in about one of readiness's gaps. Gap ids come from another service (and
 * from the assessment ids its callers choose), so the stream is named within the tenant: two organizations' gaps
 * never share a stream, whatever their ids. The stream's events are internal; the gap id itself is in their data.
 */
export function readinessGapStreamIdFor(tenantId: string, gapId: string): string {
  return uuidV5(`readiness-gap:${tenantId}:${gapId}`, CONTROL_MAPPING_ID_NAMESPACE);
}
