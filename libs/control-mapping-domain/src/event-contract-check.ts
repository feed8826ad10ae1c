import { contractForStoreType, validateEventData } from '@attest/event-contracts';

export const CONTROL_MAPPING_CONTEXT = 'control-mapping' as const;

/** Whether a store event type has a public contract (and so leaves through the outbox). */
export function isPublicControlMappingEvent(type: string): boolean {
  return contractForStoreType(CONTROL_MAPPING_CONTEXT, type) !== undefined;
}

/**
 * The contract problems of an event the service is about to append: for a public type, its data must validate
 * against the schema and its subject field must equal the stream it goes to. Internal types have no contract and
 * no problems. Empty when the event may be appended.
 */
export function contractProblems(event: { type: string; data: unknown }, streamId?: string): string[] {
  const contract = contractForStoreType(CONTROL_MAPPING_CONTEXT, event.type);
  if (!contract) return [];
  const problems = validateEventData(contract.ceType, event.data).map((p) => `${contract.ceType}: ${p}`);
  const subject = (event.data as Record<string, unknown> | null)?.[contract.subjectField];
  if (streamId !== undefined && subject !== streamId)
    problems.push(
      `${contract.ceType}: ${contract.subjectField} ${String(subject)} is not the stream id ${streamId}`,
    );
  return problems;
}
