import { ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';
import { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { AttestTenantId, DeadlineSweepService, TaskQueues } from '@attest/workflow-contracts';

/** What an organization runs on a schedule, and how often. */
export interface TenantScheduleSpec {
  /** The organization's stored collector configurations (evidence service), each run on its own interval. */
  collectors: { collectorId: string; every: Duration }[];
  monitoringSweepEvery: Duration;
  /** One interval for the deadline sweeps of all services that keep deadlines. */
  deadlineSweepEvery: Duration;
}

/** Every service whose request or task deadlines are reminded and escalated by a sweep. */
export const deadlineSweepServices: readonly DeadlineSweepService[] = [
  'readiness',
  'control-mapping',
  'evidence',
  'auditor-engagement',
];

// Tenant ids go into schedule ids and a visibility query; anything else than this is refused, not escaped.
const TENANT_ID = /^[0-9A-Za-z][0-9A-Za-z-]{0,62}$/;

/** `attest-<tenant>-`: every schedule of one organization, and nothing of another, starts with it. */
export function tenantSchedulePrefix(tenantId: string): string {
  if (!TENANT_ID.test(tenantId)) throw new Error(`tenant id '${tenantId}' cannot name a schedule`);
  return `attest-${tenantId}-`;
}

/**
 * The schedules an organization should have: one per collector configuration, one monitoring sweep and one
 * deadline sweep per service, as the options `client.schedule.create` takes (pure, so the plan is tested without a
 * server).
 *
 * Overlap: a collector run that is still going when the next one is due is SKIPped — a second run would fetch the
 * same snapshot from the provider's API (and count against its rate limit); the next interval collects anyway.
 * Sweeps BUFFER_ONE: a sweep looks at everything due as of its start, so a deadline passing during a long sweep
 * is otherwise noticed a whole interval late; one buffered sweep right after bounds that, and never piles up.
 *
 * Catch-up window = the interval: after a server outage the missed run is made up while it is still its turn, and a
 * run older than one interval is dropped because the next regular one does the same work.
 * Each run times out after one interval so a stuck run never blocks the schedule for longer than one turn.
 * Jitter of a tenth of the interval spreads the same job of many organizations over time instead of one burst.
 */
export function tenantSchedules(
  tenantId: string,
  spec: TenantScheduleSpec,
  taskQueue: string = TaskQueues.auditLifecycle,
): ScheduleOptions[] {
  const prefix = tenantSchedulePrefix(tenantId);
  const schedule = (
    job: string,
    every: Duration,
    overlap: ScheduleOverlapPolicy,
    workflowType: string,
    input: Record<string, string>,
    summary: string,
  ): ScheduleOptions => {
    const everyMs = msToNumber(every);
    const tenant = [{ key: AttestTenantId, value: tenantId }];
    return {
      scheduleId: `${prefix}${job}`,
      spec: { intervals: [{ every: everyMs }], jitter: Math.floor(everyMs / 10) },
      action: {
        type: 'startWorkflow',
        workflowType,
        workflowId: `${prefix}${job}`,
        args: [{ tenantId, ...input }],
        taskQueue,
        workflowExecutionTimeout: everyMs,
        typedSearchAttributes: tenant,
        staticSummary: summary,
      },
      policies: { overlap, catchupWindow: everyMs },
      typedSearchAttributes: tenant,
    };
  };
  return [
    ...spec.collectors.map(({ collectorId, every }) =>
      schedule(
        `collector-${collectorId}`,
        every,
        ScheduleOverlapPolicy.SKIP,
        'collectorRun',
        { collectorId },
        `Collector ${collectorId} of organization ${tenantId}`,
      ),
    ),
    schedule(
      'monitoring-sweep',
      spec.monitoringSweepEvery,
      ScheduleOverlapPolicy.BUFFER_ONE,
      'monitoringSweep',
      {},
      `Monitoring sweep of organization ${tenantId}`,
    ),
    ...deadlineSweepServices.map((service) =>
      schedule(
        `deadline-sweep-${service}`,
        spec.deadlineSweepEvery,
        ScheduleOverlapPolicy.BUFFER_ONE,
        'deadlineSweep',
        { service },
        `Deadline sweep of ${service} for organization ${tenantId}`,
      ),
    ),
  ];
}
