import { contractForStoreType, eventContractProblems } from '@attest/event-contracts';

export const CONTROL_MAPPING_CONTEXT = 'control-mapping' as const;

/** Whether a store event type has a public contract (and so leaves through the outbox). */
export function isPublicControlMappingEvent(type: string): boolean {
  return contractForStoreType(CONTROL_MAPPING_CONTEXT, type) !== undefined;
}

/**
 * The contract problems of an event the service is about to append (see eventContractProblems): internal types have
 * no contract and no problems.
 */
export function contractProblems(event: { type: string; data: unknown }, streamId?: string): string[] {
  return eventContractProblems(CONTROL_MAPPING_CONTEXT, event, streamId);
}
