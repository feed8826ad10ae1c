import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { withStoreTransaction } from './append-notifier';
import type { PostgresEventStore } from './postgres-event-store';
import { Projection, sqlIdent } from './projection';
import { LOG_START, LogBound } from './recorded-event';

/** An as-of schema older than this was left by a process that died mid-view; nothing reads it any more. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;

/** `asof_<unix seconds>_<random>`: the creation time in the name lets a sweep tell abandoned schemas apart. */
const AS_OF_SCHEMA = /^asof_(\d+)_[0-9a-f]+$/;

/** What an as-of view replays beyond its projections. */
export interface AsOfOptions {
  /**
   * Replay only this tenant's events. Read-model rows are keyed by tenant and every projection statement names the
   * tenant of the event it applies, so the tenant's rows come out as a replay of the whole log would leave them.
   */
  tenantId?: string;
  /** Events read from the log at a time. */
  batchSize?: number;
}

/**
 * The projections as they stood at a past moment: replays the log up to `until` into a throwaway schema (each
 * projection set up there, applied in log order), lets `read` query it in a read-only transaction, then drops the
 * schema. The live read model is not touched. Several projections let `read` run the queries the service runs on
 * its live read model, which may join the tables of more than one.
 *
 * Every step commits on its own and the read holds no transaction id. A transaction holding one for the whole
 * replay would hold back `pg_snapshot_xmin`, which is cluster-wide, and every follower of the log on the server
 * (which only reads below it) would stall until the as-of view ended.
 */
export async function projectAsOf<T>(
  store: PostgresEventStore,
  projections: Projection | readonly Projection[],
  until: LogBound,
  read: (tx: PoolClient, schema: string) => Promise<T>,
  options: AsOfOptions = {},
): Promise<T> {
  const { pool } = store;
  const replayed: readonly Projection[] = isProjection(projections) ? [projections] : projections;
  const { tenantId, batchSize = 1000 } = options;
  await sweepAsOfSchemas(pool);
  const schema = `asof_${Math.floor(Date.now() / 1000)}_${randomBytes(6).toString('hex')}`;
  await withStoreTransaction(pool, async (tx) => {
    await tx.query(`CREATE SCHEMA ${sqlIdent(schema)}`);
    for (const projection of replayed) await projection.setup(tx, schema);
  });
  try {
    for (let from = LOG_START; ;) {
      const events = await store.readLog(from, batchSize, { until });
      if (events.length === 0) break;
      const ofTenant = tenantId === undefined ? events : events.filter((e) => e.tenantId === tenantId);
      const batches = replayed
        .map((projection) => {
          const wanted = projection.eventTypes;
          return {
            projection,
            relevant: wanted ? ofTenant.filter((e) => wanted.includes(e.type)) : ofTenant,
          };
        })
        .filter((b) => b.relevant.length > 0);
      if (batches.length)
        await withStoreTransaction(pool, async (tx) => {
          for (const { projection, relevant } of batches) await projection.apply(tx, schema, relevant);
        });
      from = events[events.length - 1].position;
    }
    return await readOnly(pool, (tx) => read(tx, schema));
  } finally {
    // A failed drop (the pool ending) is left to the next sweep.
    await pool.query(`DROP SCHEMA IF EXISTS ${sqlIdent(schema)} CASCADE`).catch(() => undefined);
  }
}

function isProjection(value: Projection | readonly Projection[]): value is Projection {
  return 'apply' in value;
}

/** Drops as-of schemas left behind by processes that died during a view. */
export async function sweepAsOfSchemas(pool: Pool, olderThanMs = ABANDONED_AFTER_MS): Promise<void> {
  const r = await pool.query<{ nspname: string }>(
    "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'asof\\_%'",
  );
  const cutoff = Date.now() - olderThanMs;
  for (const { nspname } of r.rows) {
    const created = AS_OF_SCHEMA.exec(nspname);
    if (created && Number(created[1]) * 1000 < cutoff)
      await pool.query(`DROP SCHEMA IF EXISTS ${sqlIdent(nspname)} CASCADE`);
  }
}

async function readOnly<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN READ ONLY');
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
