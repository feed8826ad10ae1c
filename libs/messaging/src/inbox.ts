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
  {
    version: 2,
    name: 'inbox: index by age, for pruning',
    async up(client) {
      // BRIN: rows arrive in handled_at order, so a few bytes per block range find the old ones, and a claim does not
      // pay for a second b-tree.
      await client.query('CREATE INDEX inbox_handled_at ON messaging.inbox USING brin (handled_at)');
    },
  },
];

export async function migrateMessaging(pool: Pool): Promise<void> {
  await runMigrations(pool, 'messaging', messagingMigrations);
}

/** Which of these events the group has handled (committed) already; takes no lock and no transaction id. */
export async function handledInInbox(
  tx: PoolClient,
  group: string,
  eventIds: string[],
): Promise<Set<string>> {
  const r = await tx.query<{ event_id: string }>(
    'SELECT event_id FROM messaging.inbox WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])',
    [group, eventIds],
  );
  return new Set(r.rows.map((row) => row.event_id));
}

/**
 * Records that `group` handled these events, inside the caller's transaction; returns the ids that were new. An id
 * another transaction is claiming waits for it, then counts as not new if that one committed.
 */
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
