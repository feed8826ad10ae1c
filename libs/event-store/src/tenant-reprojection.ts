import type { PoolClient } from 'pg';
import type { PostgresEventStore } from './postgres-event-store';
import type { ProjectionRunner } from './projection-runner';
import { LOG_START, type LogPosition } from './recorded-event';

/**
 * Rebuilds one tenant's rows of a service's read models from the log, inside the caller's transaction: used after
 * an erasure, so rows that hold a forgotten person's name show `[erased]` (the runners' projections reveal what
 * they apply, and the caller's transaction no longer has the person's keys).
 *
 * Read-model rows are keyed by tenant and every projection statement names the tenant of the event it applies, so
 * replaying only the tenant's events onto its emptied rows gives what a full rebuild would give for that tenant;
 * other tenants are not touched. The runners' checkpoints are locked first (a runner's step waits meanwhile), and
 * each projection is replayed up to its own checkpoint. `runners` must be every runner of their schemas: the
 * tenant's rows are deleted from every table there with a `tenant_id` column.
 *
 * Each runner reads the log up to its checkpoint, all tenants, keeping the tenant's events: linear in the log, and
 * runners wait meanwhile. Erasures are rare; if the log grows too long for that, an index by tenant would bound it.
 */
export async function reprojectTenant(
  tx: PoolClient,
  store: PostgresEventStore,
  runners: readonly ProjectionRunner[],
  tenantId: string,
  batchSize = 1000,
): Promise<void> {
  const schemas = [...new Set(runners.map((r) => r.schema))];
  const names = runners.map((r) => `${r.schema}.${r.projection.name}`);
  const checkpoints = await tx.query<{ projection: string; transaction_id: string; global_position: string }>(
    `SELECT projection, transaction_id::text AS transaction_id, global_position
     FROM event_store.projection_checkpoints c
     WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) s WHERE left(c.projection, length(s) + 1) = s || '.')
     ORDER BY projection FOR UPDATE`,
    [schemas],
  );
  const others = checkpoints.rows.map((r) => r.projection).filter((p) => !names.includes(p));
  if (others.length || checkpoints.rows.length !== names.length)
    throw new Error(
      `reprojectTenant needs every runner of ${schemas.join(', ')} (set up): have ${names.join(', ')}, ` +
        `checkpoints ${checkpoints.rows.map((r) => r.projection).join(', ')}`,
    );

  for (const table of await tenantTablesChildrenFirst(tx, schemas))
    await tx.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);

  const checkpointOf = new Map<string, LogPosition>(
    checkpoints.rows.map((r) => [
      r.projection,
      { transactionId: r.transaction_id, globalPosition: Number(r.global_position) },
    ]),
  );
  for (const runner of runners) {
    // Every runner has a checkpoint (checked above).
    const until = checkpointOf.get(`${runner.schema}.${runner.projection.name}`) ?? LOG_START;
    const wanted = runner.projection.eventTypes;
    for (let from = LOG_START; ;) {
      const events = await store.readLog(from, batchSize, { until: { position: until }, queryable: tx });
      if (events.length === 0) break;
      const relevant = events.filter((e) => e.tenantId === tenantId && (!wanted || wanted.includes(e.type)));
      if (relevant.length) await runner.projection.apply(tx, runner.schema, relevant);
      from = events[events.length - 1].position;
    }
  }
}

/**
 * The tables of `schemas` with a `tenant_id` column, quoted and qualified, each after every table whose foreign
 * keys reference it (read models may reference their own rows, e.g. gaps → assessments).
 */
async function tenantTablesChildrenFirst(tx: PoolClient, schemas: string[]): Promise<string[]> {
  const tables = await tx.query<{ oid: number; name: string }>(
    `SELECT c.oid::int AS oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
     WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p')
     ORDER BY 2`,
    [schemas],
  );
  const references = await tx.query<{ child: number; parent: number }>(
    `SELECT conrelid::int AS child, confrelid::int AS parent FROM pg_constraint
     WHERE contype = 'f' AND conrelid <> confrelid AND conrelid = ANY($1::oid[])`,
    [tables.rows.map((t) => t.oid)],
  );
  const ordered: string[] = [];
  let left = tables.rows;
  while (left.length) {
    const referenced = new Set(
      references.rows.filter((r) => left.some((t) => t.oid === r.child)).map((r) => r.parent),
    );
    const free = left.filter((t) => !referenced.has(t.oid));
    if (free.length === 0)
      throw new Error(`read-model tables reference each other in a cycle: ${left.map((t) => t.name)}`);
    ordered.push(...free.map((t) => t.name));
    left = left.filter((t) => referenced.has(t.oid));
  }
  return ordered;
}
