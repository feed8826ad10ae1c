import type { Pool, PoolClient } from 'pg';
import { eventColumns, EventRow, toRecordedEvent } from './event-rows';
import type { RecordedEvent } from './recorded-event';

export interface OutboxRecord {
  id: number;
  topic: string;
  key: string;
  event: RecordedEvent;
}

/**
 * The publishing side of the outbox, for a relay. One relay per database holds the lease (an advisory lock on
 * its own session) so records leave in outbox order; another replica waits and takes over if it dies.
 */
export class OutboxStore {
  private leaseClient: PoolClient | null = null;

  constructor(private readonly pool: Pool) {}

  /** Tries to become the database's relay. True while this process holds the lease. */
  async acquireLease(): Promise<boolean> {
    if (this.leaseClient) return true;
    const client = await this.pool.connect();
    const r = await client.query<{ ok: boolean }>(
      "SELECT pg_try_advisory_lock(hashtext('attest-outbox-relay')) AS ok",
    );
    if (r.rows[0].ok) {
      this.leaseClient = client;
      // The lock lives and dies with this session: if the connection breaks, the lease is gone too,
      // and another relay may already hold it.
      const lost = () => {
        if (this.leaseClient !== client) return;
        this.leaseClient = null;
        client.release(true); // a broken connection goes back to the pool only to be discarded
      };
      client.on('error', lost);
      client.on('end', lost);
      return true;
    }
    client.release();
    return false;
  }

  async releaseLease(): Promise<void> {
    const client = this.leaseClient;
    this.leaseClient = null;
    if (!client) return;
    await client.query("SELECT pg_advisory_unlock(hashtext('attest-outbox-relay'))").catch(() => undefined);
    client.release();
  }

  /** The oldest unsent records, in the order they were written. */
  async nextBatch(limit: number): Promise<OutboxRecord[]> {
    const r = await this.pool.query<EventRow & { outbox_id: string; topic: string; partition_key: string }>(
      `SELECT o.id AS outbox_id, o.topic, o.partition_key, ${eventColumns('e')}
       FROM event_store.outbox o JOIN event_store.events e ON e.event_id = o.event_id
       WHERE o.sent_at IS NULL ORDER BY o.id LIMIT $1`,
      [limit],
    );
    return r.rows.map((row) => ({
      id: Number(row.outbox_id),
      topic: row.topic,
      key: row.partition_key,
      event: toRecordedEvent(row),
    }));
  }

  async markSent(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query('UPDATE event_store.outbox SET sent_at = now() WHERE id = ANY($1::bigint[])', [
      ids,
    ]);
  }

  async pendingCount(): Promise<number> {
    const r = await this.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM event_store.outbox WHERE sent_at IS NULL',
    );
    return Number(r.rows[0].n);
  }
}
