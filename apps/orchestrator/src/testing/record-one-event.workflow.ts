import { proxyActivities } from '@temporalio/workflow';
import type { LifecycleActivities, RecordLifecycleEventInput } from '@attest/workflow-contracts';

// A short heartbeat timeout: a killed worker is noticed within seconds, and the attempt retried on another.
const { recordLifecycleEvent } = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '3 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 5 },
});

/** Records one lifecycle event: the side effect the worker-kill test counts. */
export async function recordOneEvent(input: RecordLifecycleEventInput): Promise<string> {
  return (await recordLifecycleEvent(input)).eventId;
}
