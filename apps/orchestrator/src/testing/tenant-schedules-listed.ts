import { waitFor } from '@attest/messaging/testing';
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
  await waitFor(
    `${count} schedules of tenant ${tenantId} listed`,
    async () => {
      let listed = 0;
      for await (const _ of client.schedule.list({ query: `AttestTenantId = '${tenantId}'` })) listed++;
      // Thrown rather than returned, so a timeout says how many were listed last.
      if (listed < count) throw new Error(`only ${listed} of ${count} schedules listed`);
      return true;
    },
    15_000,
    250,
  );
}
