import type { PoolClient } from 'pg';
import { withStoreTransaction } from './append-notifier';
import { followAppends } from './log-subscription';
import type { PostgresEventStore } from './postgres-event-store';
import { Projection, sqlIdent } from './projection';
import { LOG_START, LogPosition } from './recorded-event';
import { LOG_HORIZON_SQL } from './log-horizon';

/**
 * Keeps one projection up to date with the log. Each batch is applied and the checkpoint moved in one
 * transaction, under a row lock on the checkpoint, so a restarted or second runner never applies an event twice.
 */
export class ProjectionRunner {
  constructor(
    private readonly store: PostgresEventStore,
    readonly projection: Projection,
    readonly schema: string,
    private readonly batchSize = 500,
  ) {}

  async setup(): Promise<void> {
    await this.inTransaction(async (tx) => {
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${sqlIdent(this.schema)}`);
      await this.projection.setup(tx, this.schema);
      await tx.query(
        `INSERT INTO event_store.projection_checkpoints (projection, transaction_id, global_position)
         VALUES ($1, '0', 0) ON CONFLICT DO NOTHING`,
        [this.checkpointName],
      );
    });
  }

  /** Applies everything committed so far; returns how many events it read. */
  async catchUp(): Promise<number> {
    let total = 0;
    while (await this.hasNewEvents()) {
      const n = await this.step();
      total += n;
      if (n < this.batchSize) break;
    }
    return total;
  }

  /** Follows the log until `signal` aborts. */
  run(signal: AbortSignal, pollIntervalMs = 1000): Promise<void> {
    return followAppends(this.store.pool, () => this.catchUp(), { pollIntervalMs, signal });
  }

  /** Empties the read model and replays the whole log into it. */
  async rebuild(): Promise<number> {
    await this.inTransaction(async (tx) => {
      await this.projection.reset(tx, this.schema);
      await tx.query(
        `UPDATE event_store.projection_checkpoints SET transaction_id = '0', global_position = 0, updated_at = now()
         WHERE projection = $1`,
        [this.checkpointName],
      );
    });
    return this.catchUp();
  }

  async checkpoint(): Promise<LogPosition> {
    const r = await this.store.pool.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position FROM event_store.projection_checkpoints
       WHERE projection = $1`,
      [this.checkpointName],
    );
    return r.rows.length
      ? { transactionId: r.rows[0].transaction_id, globalPosition: Number(r.rows[0].global_position) }
      : LOG_START;
  }

  private get checkpointName(): string {
    return `${this.schema}.${this.projection.name}`;
  }

  /**
   * Whether the log holds events past the checkpoint, in one statement without a transaction: an idle runner then
   * neither locks nor writes its checkpoint row (locking it would take a transaction id and write WAL on every wake).
   */
  private async hasNewEvents(): Promise<boolean> {
    const r = await this.store.pool.query<{ pending: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM event_store.events e
         WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
           AND e.transaction_id < ${LOG_HORIZON_SQL}) AS pending
       FROM event_store.projection_checkpoints c WHERE c.projection = $1`,
      [this.checkpointName],
    );
    if (r.rows.length === 0) throw new Error(`projection ${this.checkpointName} is not set up`);
    return r.rows[0].pending;
  }

  private async step(): Promise<number> {
    return this.inTransaction(async (tx) => {
      const cp = await tx.query<{ transaction_id: string; global_position: string }>(
        `SELECT transaction_id::text AS transaction_id, global_position FROM event_store.projection_checkpoints
         WHERE projection = $1 FOR UPDATE`,
        [this.checkpointName],
      );
      if (cp.rows.length === 0) throw new Error(`projection ${this.checkpointName} is not set up`);
      const from = {
        transactionId: cp.rows[0].transaction_id,
        globalPosition: Number(cp.rows[0].global_position),
      };
      const events = await this.store.readLog(from, this.batchSize, { queryable: tx });
      if (events.length === 0) return 0;
      const wanted = this.projection.eventTypes;
      const relevant = wanted ? events.filter((e) => wanted.includes(e.type)) : events;
      if (relevant.length) await this.projection.apply(tx, this.schema, relevant);
      const last = events[events.length - 1].position;
      await tx.query(
        `UPDATE event_store.projection_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = now()
         WHERE projection = $1`,
        [this.checkpointName, last.transactionId, last.globalPosition],
      );
      return events.length;
    });
  }

  private inTransaction<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    return withStoreTransaction(this.store.pool, work);
  }
}
