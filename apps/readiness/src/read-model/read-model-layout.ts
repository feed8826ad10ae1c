import type { Pool } from 'pg';
import { setUpUnderLock, sqlIdent } from '@attest/event-store';

/**
 * The layout of the read models: their tables, keys and what the projections put in them. Bump it whenever that
 * changes; the service then replaces the old read models at start and rebuilds them from the event log.
 * 1: tables keyed by id. 2: every table keyed by (tenant_id, id). 3: the stream version (ETag) of every resource.
 * 4: criterion conclusions of completed assessments (criteria, scoring_method), gaps not assessed.
 * 5: risk treatment (status, acceptance, remediation tasks, transfer), documented risk reviews.
 */
export const READ_MODEL_LAYOUT = 5;

/**
 * Makes `schema` hold read models of `layout`. When it holds another layout (a schema without a layout table is
 * layout 1), or does not exist, the schema is (re)created empty and every projection checkpoint under it removed,
 * so the projection runners set the tables up anew and replay the log from the start. One transaction under an
 * advisory lock: of several instances starting at once, one replaces, the others find the layout current.
 */
export async function ensureReadModelLayout(
  pool: Pool,
  schema: string,
  layout: number,
): Promise<'current' | 'created' | 'replaced'> {
  const s = sqlIdent(schema);
  return setUpUnderLock(pool, `read-model-layout:${schema}`, async (client) => {
    const found = await client.query<{ schema: string | null; layout_table: string | null }>(
      'SELECT to_regnamespace($1) AS schema, to_regclass($2) AS layout_table',
      [s, `${s}.layout`],
    );
    if (found.rows[0].layout_table) {
      const current = await client.query<{ version: number }>(`SELECT version FROM ${s}.layout`);
      if (current.rows[0]?.version === layout) return 'current';
    }
    await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    // The runners keep their checkpoints as `<schema>.<projection>`.
    await client.query(
      'DELETE FROM event_store.projection_checkpoints WHERE left(projection, length($1)) = $1',
      [`${schema}.`],
    );
    await client.query(`CREATE SCHEMA ${s}`);
    await client.query(`CREATE TABLE ${s}.layout (version integer NOT NULL)`);
    await client.query(`INSERT INTO ${s}.layout (version) VALUES ($1)`, [layout]);
    return found.rows[0].schema ? 'replaced' : 'created';
  });
}
