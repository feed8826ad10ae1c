import { eventContractProblems } from '@attest/event-contracts';

export const ENGAGEMENT_CONTEXT = 'auditor-engagement' as const;

/**
 * The contract problems of an event the service is about to append (see eventContractProblems). Every
 * auditor-engagement event is public, so a type without a contract is a problem too.
 */
export function engagementContractProblems(
  event: { type: string; data: unknown },
  streamId?: string,
): string[] {
  return eventContractProblems(ENGAGEMENT_CONTEXT, event, streamId, { requireContract: true });
}
