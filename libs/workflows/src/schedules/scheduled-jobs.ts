import { proxyActivities, RetryPolicy, workflowInfo } from '@temporalio/workflow';
import {
  type DeadlineSweepService,
  type LifecycleActivities,
  type ReconciledTenantSchedules,
  VALIDATION_FAILURE,
} from '@attest/workflow-contracts';

/**
 * The small workflows the per-organization Temporal Schedules, and the global one that reconciles them, start
 * (apps/orchestrator/src/schedules). Each wraps one activity so the schedule's overlap policy, catch-up window and
 * run history apply to it, and an operator finds every run by workflow type in Temporal UI. The workflow id, unique
 * per scheduled action, is the Idempotency-Key prefix: a retried attempt of the same run changes nothing twice, the
 * next run is a new sweep.
 */

// Sweeps and collector runs are idempotent and repeated by the schedule anyway: a few quick retries ride out a
// service restart; a run that still fails is retried by the next scheduled one rather than held open.
const retry: RetryPolicy = {
  initialInterval: '2s',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 5,
  nonRetryableErrorTypes: [VALIDATION_FAILURE],
};

const sweeps = proxyActivities<Pick<LifecycleActivities, 'runDeadlineSweep' | 'runMonitoringSweep'>>({
  startToCloseTimeout: '2 minutes',
  retry,
});

// A collector pulls from a third-party API and may take a while; it heartbeats, so a lost worker is noticed in a
// minute rather than at the end of the start-to-close timeout.
const collectors = proxyActivities<Pick<LifecycleActivities, 'runCollector'>>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry,
});

// One activity goes through every organization: it may run long, and heartbeats its progress, so a lost worker is
// noticed in a minute and the retry resumes after the last organization done rather than from the first.
const reconciliation = proxyActivities<Pick<LifecycleActivities, 'reconcileTenantSchedules'>>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry,
});

export interface ScheduledJobInput {
  tenantId: string;
}

/** Reminds and escalates the due requests or tasks of one service for one organization. */
export async function deadlineSweep(
  input: ScheduledJobInput & { service: DeadlineSweepService },
): Promise<void> {
  await sweeps.runDeadlineSweep({ ...step(input.tenantId), service: input.service });
}

/** Runs the organization's due monitoring tests. */
export async function monitoringSweep(input: ScheduledJobInput): Promise<void> {
  await sweeps.runMonitoringSweep(step(input.tenantId));
}

/** Runs one stored collector configuration of the organization (evidence service). */
export async function collectorRun(input: ScheduledJobInput & { collectorId: string }): Promise<void> {
  await collectors.runCollector({ ...step(input.tenantId), collectorId: input.collectorId });
}

/** Brings every known organization's schedules to its stored collector configurations; returns the counts. */
export async function reconcileTenantSchedules(): Promise<ReconciledTenantSchedules> {
  return reconciliation.reconcileTenantSchedules();
}

function step(tenantId: string) {
  return { workflowId: workflowInfo().workflowId, step: 'run', tenantId };
}
