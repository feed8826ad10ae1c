import type { Pool, PoolClient } from 'pg';
import { eventColumns, EventRow, toRecordedEvent } from './event-rows';
import type { LogPosition, RecordedEvent } from './recorded-event';
import { LOG_HORIZON_SQL } from './log-horizon';

/** A published event as the relay sends it: the stored event and its data exactly as stored. */
export interface OutboxRecord {
  /** As recorded (never upcasted: the published form is the stored form), without `data`. */
  event: Omit<RecordedEvent, 'data' | 'topic'> & { topic: string };
  /** The stored JSON text of `data`, sent as the record's value without a parse and stringify. */
  data: string;
}

/** The relay's hold on the database: fences every statement of the holder. */
export interface RelayLease {
  epoch: number;
  /** Where the previous holder left off: the relay continues after it. */
  checkpoint: LogPosition;
}

const LEASE_LOCK = "hashtext('attest-outbox-relay')";

// The event columns with `data` as its stored text, so the relay never parses what it only forwards.
const RECORD_COLUMNS = eventColumns('e')
  .split(', ')
  .map((column) => (column === 'e.data' ? 'e.data::text AS data' : column))
  .join(', ');
if (!RECORD_COLUMNS.includes('e.data::text AS data'))
  throw new Error('the event columns no longer name e.data');

/**
 * The publishing side of the event store for a relay. What leaves is the gap-safe global log restricted to events
 * with a topic; one checkpoint row says how far it was published.
 *
 * One relay per database holds the lease: an advisory lock on a session of its own, plus an `epoch` it bumps on
 * taking it. Reads, checkpoint moves and dead letters check `epoch = mine` in the same statement, so a relay whose
 * session died (the lock with it) while another took over cannot move the checkpoint: it is fenced and gives up.
 */
export class OutboxStore {
  private leaseClient: PoolClient | null = null;
  private held: RelayLease | null = null;
  private stopWatching = (): void => undefined;

  constructor(private readonly pool: Pool) {}

  /** The lease this store holds, as of the last check. */
  get lease(): RelayLease | null {
    return this.held;
  }

  /**
   * Tries to become the database's relay. True while this store holds the lease: an existing lease is confirmed
   * with a round trip on its session (a killed session is only noticed when used), and a lost one is taken
   * again if it is free, with a new epoch.
   */
  async acquireLease(): Promise<boolean> {
    if (this.leaseClient) {
      if (await this.leaseConfirmed(this.leaseClient)) return true;
      this.dropLease();
    }
    const client = await this.pool.connect();
    try {
      const lock = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LEASE_LOCK}) AS ok`);
      if (!lock.rows[0].ok) {
        client.release();
        return false;
      }
      // Autocommit on the lease session: the new epoch fences the previous holder at once.
      const r = await client.query<{ epoch: string; transaction_id: string; global_position: string }>(
        `UPDATE event_store.relay_checkpoint SET epoch = epoch + 1
         RETURNING epoch, transaction_id::text AS transaction_id, global_position`,
      );
      const row = r.rows[0];
      this.held = {
        epoch: Number(row.epoch),
        checkpoint: { transactionId: row.transaction_id, globalPosition: Number(row.global_position) },
      };
    } catch (err) {
      // A session that may hold the lock without a new epoch is destroyed, which frees the lock.
      client.release(true);
      throw err;
    }
    // The lock lives and dies with this session: when the connection breaks, the lease is gone.
    const lost = () => {
      if (this.leaseClient === client) this.dropLease();
    };
    client.on('error', lost);
    client.on('end', lost);
    this.leaseClient = client;
    this.stopWatching = () => {
      client.off('error', lost);
      client.off('end', lost);
    };
    return true;
  }

  /** True while a lease is held as far as this store knows (no round trip; `acquireLease` confirms). */
  get holdsLease(): boolean {
    return this.leaseClient !== null;
  }

  /** Gives the lease up. Never throws; a session that cannot unlock is destroyed, which unlocks it. */
  async releaseLease(): Promise<void> {
    const client = this.leaseClient;
    if (!client) return;
    // Forgotten first, so the session breaking now is not a second release; the listeners still absorb its errors.
    this.leaseClient = null;
    this.held = null;
    this.endLeaseSession(client, !(await this.unlocked(client)));
  }

  /**
   * The next published events after `after`, in log order, up to `limit`; only transactions older than every one
   * in flight, so a late commit is never skipped. `null`: this store's lease epoch is no longer current (fenced).
   */
  async nextBatch(after: LogPosition, limit: number): Promise<OutboxRecord[] | null> {
    const lease = this.held;
    if (!lease) return null;
    const r = await this.pool.query<(EventRow & { data: string }) | { event_id: null }>(
      `SELECT ${RECORD_COLUMNS}
       FROM event_store.relay_checkpoint c
       LEFT JOIN LATERAL (
         SELECT * FROM event_store.events
         WHERE topic IS NOT NULL
           AND transaction_id < ${LOG_HORIZON_SQL}
           AND (transaction_id, global_position) > ($2::xid8, $3::bigint)
         ORDER BY transaction_id, global_position
         LIMIT $4) e ON true
       WHERE c.epoch = $1
       ORDER BY e.transaction_id, e.global_position`,
      [lease.epoch, after.transactionId, after.globalPosition, limit],
    );
    if (r.rows.length === 0) return null;
    const records: OutboxRecord[] = [];
    for (const row of r.rows) {
      if (row.event_id === null) continue; // the lease row alone: nothing new
      const { data, ...event } = toRecordedEvent(row as EventRow);
      records.push({ event: { ...event, topic: event.topic as string }, data: data as string });
    }
    return records;
  }

  /** Moves the checkpoint to `to` (everything up to it was published). False: fenced, nothing moved. */
  async advance(to: LogPosition): Promise<boolean> {
    const lease = this.held;
    if (!lease) return false;
    const r = await this.pool.query(
      `UPDATE event_store.relay_checkpoint SET transaction_id = $2::xid8, global_position = $3, updated_at = now()
       WHERE epoch = $1`,
      [lease.epoch, to.transactionId, to.globalPosition],
    );
    return r.rowCount === 1;
  }

  /**
   * Records that Kafka refused an event for good, so it is skipped with a trace. Idempotent (a relay that dies
   * after it records again). False: fenced, nothing recorded.
   */
  async recordDeadLetter(record: OutboxRecord, reason: string, error: string): Promise<boolean> {
    const lease = this.held;
    if (!lease) return false;
    const r = await this.pool.query(
      `INSERT INTO event_store.relay_dead_letters (event_id, global_position, topic, reason, error)
       SELECT $2, $3, $4, $5, $6 FROM event_store.relay_checkpoint WHERE epoch = $1
       ON CONFLICT (event_id) DO UPDATE
         SET reason = EXCLUDED.reason, error = EXCLUDED.error, dead_lettered_at = now()`,
      [
        lease.epoch,
        record.event.eventId,
        record.event.position.globalPosition,
        record.event.topic,
        reason,
        error,
      ],
    );
    return r.rowCount === 1;
  }

  /** How far the relay has published. */
  async checkpoint(): Promise<LogPosition & { epoch: number }> {
    const r = await this.pool.query<{ transaction_id: string; global_position: string; epoch: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position, epoch FROM event_store.relay_checkpoint`,
    );
    const row = r.rows[0];
    return {
      transactionId: row.transaction_id,
      globalPosition: Number(row.global_position),
      epoch: Number(row.epoch),
    };
  }

  /** Committed events with a topic that the relay has not published yet (its lag). */
  async pendingCount(): Promise<number> {
    const r = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM event_store.events e, event_store.relay_checkpoint c
       WHERE e.topic IS NOT NULL AND (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)`,
    );
    return Number(r.rows[0].n);
  }

  /** One round trip on the lease session: alive, and still the current epoch. */
  private async leaseConfirmed(client: PoolClient): Promise<boolean> {
    try {
      const r = await client.query<{ epoch: string }>('SELECT epoch FROM event_store.relay_checkpoint');
      return Number(r.rows[0]?.epoch) === this.held?.epoch;
    } catch {
      return false;
    }
  }

  private async unlocked(client: PoolClient): Promise<boolean> {
    try {
      await client.query(`SELECT pg_advisory_unlock(${LEASE_LOCK})`);
      return true;
    } catch {
      return false;
    }
  }

  /** Forgets a lease whose session broke or was fenced; the session is destroyed, which frees its lock. */
  private dropLease(): void {
    const client = this.leaseClient;
    this.leaseClient = null;
    this.held = null;
    if (client) this.endLeaseSession(client, true);
  }

  private endLeaseSession(client: PoolClient, destroy: boolean): void {
    // A destroyed session keeps its listeners: it may still report its end, which must not go unhandled.
    if (!destroy) this.stopWatching();
    this.stopWatching = () => undefined;
    client.release(destroy);
  }
}
