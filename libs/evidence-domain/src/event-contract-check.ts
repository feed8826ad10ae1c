import { eventContractProblems } from '@attest/event-contracts';

export const EVIDENCE_CONTEXT = 'evidence' as const;

/**
 * The contract problems of an event the service is about to append (see eventContractProblems). Every evidence
 * event is public, so a type without a contract is a problem too.
 */
export function evidenceContractProblems(
  event: { type: string; data: unknown },
  streamId?: string,
): string[] {
  return eventContractProblems(EVIDENCE_CONTEXT, event, streamId, { requireContract: true });
}
