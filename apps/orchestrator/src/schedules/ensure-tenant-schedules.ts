import { Client, ScheduleNotFoundError } from '@temporalio/client';
import { ensureSchedule } from './ensure-schedule';
import { tenantSchedulePrefix, TenantScheduleSpec, tenantSchedules } from './tenant-schedules';

export interface EnsuredSchedules {
  created: string[];
  updated: string[];
  /** Schedules of collector configurations no longer in the spec. */
  deleted: string[];
}

/**
 * Brings an organization's Temporal Schedules to the spec: creates the missing ones, updates the existing ones in
 * place (an operator's pause and note survive) and deletes the ones of collectors no longer configured. Safe to call
 * again with the same or a changed spec, also from two orchestrators at once.
 */
export async function ensureTenantSchedules(
  client: Client,
  tenantId: string,
  spec: TenantScheduleSpec,
  taskQueue?: string,
): Promise<EnsuredSchedules> {
  const result: EnsuredSchedules = { created: [], updated: [], deleted: [] };
  const planned = tenantSchedules(tenantId, spec, taskQueue);
  for (const options of planned) result[await ensureSchedule(client, options)].push(options.scheduleId);
  // The list is eventually consistent: a schedule deleted moments ago may still be listed (deleting it again is
  // refused as not found, and ignored), one created moments ago is in `planned` anyway.
  const wanted = new Set(planned.map((p) => p.scheduleId));
  const prefix = tenantSchedulePrefix(tenantId);
  for await (const listed of client.schedule.list({ query: `AttestTenantId = '${tenantId}'` })) {
    if (wanted.has(listed.scheduleId) || !listed.scheduleId.startsWith(`${prefix}collector-`)) continue;
    await client.schedule
      .getHandle(listed.scheduleId)
      .delete()
      .then(() => result.deleted.push(listed.scheduleId))
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
  }
  return result;
}
