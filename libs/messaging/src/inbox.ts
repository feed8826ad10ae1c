import type { Pool, PoolClient } from 'pg';
import { type Migration, runMigrations } from '@attest/event-store';

/** The messaging lib's tables, in schema `messaging`, versioned as component `messaging`. */
export const messagingMigrations: Migration[] = [
  {
    version: 1,
    name: 'inbox: events each consumer group has handled',
    async up(client) {
      await client.query(`
        CREATE SCHEMA IF NOT EXISTS messaging;
        CREATE TABLE messaging.inbox (
          consumer_group text NOT NULL,
          event_id uuid NOT NULL,
          handled_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (consumer_group, event_id)
        );
      `);
    },
  },
];

export async function migrateMessaging(pool: Pool): Promise<void> {
  await runMigrations(pool, 'messaging', messagingMigrations);
}

/**
 * Records that `group` handles `eventId`, inside the caller's transaction. False: the group already handled it
 * (or another member is handling it now; the insert waits for that transaction and then sees the row).
 */
export async function claimInInbox(tx: PoolClient, group: string, eventId: string): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO messaging.inbox (consumer_group, event_id) VALUES ($1, $2)
     ON CONFLICT (consumer_group, event_id) DO NOTHING`,
    [group, eventId],
  );
  return r.rowCount === 1;
}

/** Claims many events at once; returns the ids that were new (the others were handled before). */
export async function claimManyInInbox(
  tx: PoolClient,
  group: string,
  eventIds: string[],
): Promise<Set<string>> {
  const r = await tx.query<{ event_id: string }>(
    `INSERT INTO messaging.inbox (consumer_group, event_id) SELECT $1, unnest($2::uuid[])
     ON CONFLICT (consumer_group, event_id) DO NOTHING RETURNING event_id`,
    [group, eventIds],
  );
  return new Set(r.rows.map((row) => row.event_id));
}
