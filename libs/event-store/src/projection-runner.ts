import { randomBytes } from 'node:crypto';
import type { PoolClient } from 'pg';
import { listenForAppends } from './log-subscription';
import type { PostgresEventStore } from './postgres-event-store';
import { Projection, sqlIdent } from './projection';
import { LOG_START, LogBound, LogPosition } from './recorded-event';

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
    for (;;) {
      const n = await this.step();
      total += n;
      if (n < this.batchSize) return total;
    }
  }

  /** Follows the log until `signal` aborts. */
  async run(signal: AbortSignal, pollIntervalMs = 1000): Promise<void> {
    const appends = await listenForAppends(this.store.pool);
    try {
      while (!signal.aborted) {
        await this.catchUp();
        await appends.wait(pollIntervalMs, signal);
      }
    } finally {
      await appends.close();
    }
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

  private async inTransaction<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    const tx = await this.store.pool.connect();
    try {
      await tx.query('BEGIN');
      const result = await work(tx);
      await tx.query('COMMIT');
      return result;
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      tx.release();
    }
  }
}

/**
 * The projection as it stood at a past moment: replays the log up to `until` into a throwaway schema inside
 * a transaction, lets `read` query it, then rolls everything back. The live read model is not touched.
 */
export async function projectAsOf<T>(
  store: PostgresEventStore,
  projection: Projection,
  until: LogBound,
  read: (tx: PoolClient, schema: string) => Promise<T>,
  batchSize = 1000,
): Promise<T> {
  const schema = `asof_${randomBytes(6).toString('hex')}`;
  const tx = await store.pool.connect();
  try {
    await tx.query('BEGIN');
    await tx.query(`CREATE SCHEMA ${sqlIdent(schema)}`);
    await projection.setup(tx, schema);
    for (let from = LOG_START; ;) {
      const events = await store.readLog(from, batchSize, { until, queryable: tx });
      if (events.length === 0) break;
      const wanted = projection.eventTypes;
      const relevant = wanted ? events.filter((e) => wanted.includes(e.type)) : events;
      if (relevant.length) await projection.apply(tx, schema, relevant);
      from = events[events.length - 1].position;
    }
    return await read(tx, schema);
  } finally {
    await tx.query('ROLLBACK').catch(() => undefined);
    tx.release();
  }
}
