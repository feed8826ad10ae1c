import { eventContractProblems } from '@attest/event-contracts';

export const MONITORING_CONTEXT = 'monitoring' as const;

/**
 * The contract problems of an event the service is about to append (see eventContractProblems). Every monitoring
 * event is public, so a type without a contract is a problem too.
 */
export function monitoringContractProblems(
  event: { type: string; data: unknown },
  streamId?: string,
): string[] {
  return eventContractProblems(MONITORING_CONTEXT, event, streamId, { requireContract: true });
}
