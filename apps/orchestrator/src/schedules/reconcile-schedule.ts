import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { ScheduleIntervals } from './tenant-scheduler';

/** The global schedule's id (public: operators and runbooks name it); no organization's job is called `schedules`. */
export const RECONCILE_SCHEDULE_ID = 'attest-reconcile-tenant-schedules';

/** The organizations' schedule intervals and how often they are reconciled with the stored configurations. */
export interface ScheduleSettings extends ScheduleIntervals {
  /** `ATTEST_ORCHESTRATOR_SCHEDULE_RECONCILE_INTERVAL_MS` */
  reconcileMs: number;
}

/**
 * The schedule that starts `reconcileTenantSchedules`: it picks up what no event announces — a collector
 * configuration stored or removed mid-period, an organization recorded before schedules were switched on. Overlap
 * SKIP: a pass still going covers what the next would; catch-up window one interval, as the organizations' jobs.
 */
export function reconcileSchedule(
  everyMs: number,
  taskQueue: string,
  scheduleId = RECONCILE_SCHEDULE_ID,
): ScheduleOptions {
  return {
    scheduleId,
    spec: { intervals: [{ every: everyMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'reconcileTenantSchedules',
      workflowId: scheduleId,
      args: [],
      taskQueue,
      staticSummary: "Brings every organization's schedules to its stored collector configurations",
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: everyMs },
  };
}
