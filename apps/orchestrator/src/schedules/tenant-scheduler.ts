import type { Client } from '@temporalio/client';
import type { SystemApiClient } from '../system-api/system-api-client';
import { ensureTenantSchedules, type EnsuredSchedules } from './ensure-tenant-schedules';

/** How often every organization's scheduled jobs run (`ATTEST_ORCHESTRATOR_*_INTERVAL_MS`). */
export interface ScheduleIntervals {
  collectorRunMs: number;
  monitoringSweepMs: number;
  deadlineSweepMs: number;
}

/** The collectors a tenant has stored a configuration of (by id). */
type StoredCollectors = (tenantId: string) => Promise<string[]>;

/**
 * Brings a tenant's Temporal Schedules to its stored collector configurations, idempotently. `undefined` back: this
 * orchestrator keeps no schedules (ATTEST_ORCHESTRATOR_SCHEDULES=false).
 */
export type ScheduleTenant = (tenantId: string) => Promise<EnsuredSchedules | undefined>;

/** The evidence service's answer to `GET /v1/system/tenants/{tenantId}/collector-configurations`. */
interface StoredCollectorsAnswer {
  collectors: { collectorId: string }[];
}

/** Reads the stored collector configurations from the evidence service, with the orchestrator's own token. */
export function evidenceStoredCollectors(services: Pick<SystemApiClient, 'call'>): StoredCollectors {
  return async (tenantId) => {
    const answer = await services.call<StoredCollectorsAnswer>('evidence', tenantId, {
      method: 'GET',
      path: '/collector-configurations',
    });
    return answer.collectors.map((c) => c.collectorId);
  };
}

/**
 * Schedules an organization: a collector run per stored configuration, the monitoring sweep and the deadline
 * sweeps, on the orchestrator's task queue. Called when a tenant's lifecycle starts (the bridge's first event of a
 * tenant, `startNextPeriod`), so every organization with a lifecycle has its schedules, refreshed each period, and
 * for every known tenant by `reconcileTenantSchedules`, which picks up configurations stored or removed in between.
 */
export function tenantScheduler(
  client: Client,
  storedCollectors: StoredCollectors,
  intervals: ScheduleIntervals,
  taskQueue: string,
): (tenantId: string) => Promise<EnsuredSchedules> {
  return async (tenantId) => {
    const collectors = await storedCollectors(tenantId);
    return ensureTenantSchedules(
      client,
      tenantId,
      {
        collectors: collectors.map((collectorId) => ({ collectorId, every: intervals.collectorRunMs })),
        monitoringSweepEvery: intervals.monitoringSweepMs,
        deadlineSweepEvery: intervals.deadlineSweepMs,
      },
      taskQueue,
    );
  };
}
