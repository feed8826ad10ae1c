import type { Client } from '@temporalio/client';

/**
 * Schedule listing is eventually consistent: waits until `count` of the tenant's schedules are visible, so a test
 * that then drops a collector sees `ensureTenantSchedules` find (and delete) its schedule.
 */
export async function untilTenantSchedulesListed(
  client: Client,
  tenantId: string,
  count: number,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    let listed = 0;
    for await (const _ of client.schedule.list({ query: `AttestTenantId = '${tenantId}'` })) listed++;
    if (listed >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${listed} of ${count} schedules listed after 15s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
