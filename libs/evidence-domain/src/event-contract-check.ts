import { contractForStoreType, validateEventData } from '@attest/event-contracts';

export const EVIDENCE_CONTEXT = 'evidence' as const;

/**
 * The contract problems of an event the service is about to append: its data must validate against the schema of
 * its store type and its subject field must equal the stream it goes to. Every evidence event is public, so a type
 * without a contract is a problem too. Empty when the event may be appended.
 */
export function evidenceContractProblems(
  event: { type: string; data: unknown },
  streamId?: string,
): string[] {
  const contract = contractForStoreType(EVIDENCE_CONTEXT, event.type);
  if (!contract) return [`${event.type}: no contract in the evidence context`];
  const problems = validateEventData(contract.ceType, event.data).map((p) => `${contract.ceType}: ${p}`);
  const subject = (event.data as Record<string, unknown> | null)?.[contract.subjectField];
  if (streamId !== undefined && subject !== streamId)
    problems.push(
      `${contract.ceType}: ${contract.subjectField} ${String(subject)} is not the stream id ${streamId}`,
    );
  return problems;
}
