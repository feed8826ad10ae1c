import { Logger } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { LifecycleActivities, ReconciledTenantSchedules } from '@attest/workflow-contracts';
import type { KnownTenants, ScheduleTenant } from '../schedules';
import { withHeartbeats } from './heartbeat';

/** The heartbeat: the last organization done and the counts so far, so a retried attempt resumes after it. */
interface Progress extends ReconciledTenantSchedules {
  after?: string;
}

export interface ReconcileDeps {
  knownTenants: KnownTenants;
  scheduleTenant: ScheduleTenant;
  pageSize?: number;
}

const logger = new Logger('ReconcileTenantSchedules');

/**
 * Goes through every known organization, a page at a time, and ensures its schedules. One organization failing
 * (evidence answering 5xx for it, a tenant id that cannot name a schedule) is logged and counted, and the others
 * go on: the next run tries it again. Only when every organization failed does the run fail — then nothing works
 * (evidence or Temporal is down), which the operator must see as a failed run, not as counts. That failure is not
 * retried: the progress already says every organization was tried; the next scheduled run is the retry.
 */
export function reconcileTenantSchedules(
  deps: ReconcileDeps,
): LifecycleActivities['reconcileTenantSchedules'] {
  const { knownTenants, scheduleTenant, pageSize = 100 } = deps;
  return async () => {
    const context = Context.current();
    const resumed = context.info.heartbeatDetails as Progress | undefined;
    const counts: ReconciledTenantSchedules = {
      tenants: resumed?.tenants ?? 0,
      created: resumed?.created ?? 0,
      updated: resumed?.updated ?? 0,
      deleted: resumed?.deleted ?? 0,
      failed: resumed?.failed ?? 0,
    };
    let after = resumed?.after;
    for (;;) {
      const page = await knownTenants(after, pageSize);
      for (const tenantId of page) {
        try {
          const ensured = await withHeartbeats(scheduleTenant(tenantId), { ...counts, after });
          counts.created += ensured?.created.length ?? 0;
          counts.updated += ensured?.updated.length ?? 0;
          counts.deleted += ensured?.deleted.length ?? 0;
        } catch (err) {
          if (err instanceof CancelledFailure) throw err;
          counts.failed++;
          logger.warn({ message: 'schedules of a tenant not reconciled', tenantId, error: String(err) });
        }
        counts.tenants++;
        after = tenantId;
        // Heartbeats are throttled: the one a retry reads may be a few organizations behind, which only repeats them.
        context.heartbeat({ ...counts, after } satisfies Progress);
      }
      if (page.length < pageSize) break;
    }
    if (counts.tenants > 0 && counts.failed === counts.tenants)
      throw ApplicationFailure.nonRetryable(
        `the schedules of none of the ${counts.tenants} known tenants could be reconciled`,
        'TenantSchedulesNotReconciled',
        counts,
      );
    return counts;
  };
}
