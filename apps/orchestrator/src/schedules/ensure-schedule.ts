import { Client, ScheduleAlreadyRunning, type ScheduleOptions } from '@temporalio/client';

/**
 * Creates the schedule, or, when it exists, updates it in place to `options`: its search attributes, and an
 * operator's pause and note, survive. Safe from two orchestrators at once (one creates, the other updates).
 */
export async function ensureSchedule(
  client: Client,
  options: ScheduleOptions,
): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      spec: options.spec,
      action: options.action,
      policies: options.policies,
      typedSearchAttributes: previous.typedSearchAttributes,
      state: { paused: previous.state.paused, note: previous.state.note },
    }));
    return 'updated';
  }
}
