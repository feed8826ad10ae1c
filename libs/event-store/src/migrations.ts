import type { Pool, PoolClient } from 'pg';

export interface Migration {
  version: number;
  name: string;
  up(client: PoolClient): Promise<void>;
}

/**
 * Applies a component's pending migrations in one transaction, under an advisory lock so that service
 * replicas starting together do not race. Each component (the event store, a service's read models)
 * numbers its own migrations. The lock is one for every component, not one each: they share the bookkeeping
 * table, and two of them creating it at once (components of one service start concurrently) would collide.
 */
export async function runMigrations(
  pool: Pool,
  component: string,
  migrations: Migration[],
): Promise<number[]> {
  const versions = migrations.map((m) => m.version);
  if (new Set(versions).size !== versions.length)
    throw new Error(`${component}: duplicate migration versions`);
  return setUpUnderLock(pool, 'attest-migrations', async (client) => {
    await client.query('CREATE SCHEMA IF NOT EXISTS attest_migrations');
    await client.query(`CREATE TABLE IF NOT EXISTS attest_migrations.applied (
      component text NOT NULL,
      version int NOT NULL,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version))`);
    const done = await client.query<{ version: number }>(
      'SELECT version FROM attest_migrations.applied WHERE component = $1',
      [component],
    );
    const applied = new Set(done.rows.map((r) => r.version));
    const ran: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await m.up(client);
      await client.query(
        'INSERT INTO attest_migrations.applied (component, version, name) VALUES ($1, $2, $3)',
        [component, m.version, m.name],
      );
      ran.push(m.version);
    }
    return ran;
  });
}

/**
 * Runs set-up work (tables created if missing) in one transaction under an advisory lock on `key`: instances
 * starting together take turns, and a failure leaves nothing half-created.
 */
export async function setUpUnderLock<T>(
  pool: Pool,
  key: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
