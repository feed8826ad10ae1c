import type { Pool, PoolClient } from 'pg';
import type { Frequency } from '@attest/catalog';
import { sqlIdent } from '@attest/event-store';
import type { KnownControl } from './evidence-views';

/**
 * The schema of the tenants' controls as control-mapping's events describe them. Not `evidence_read`: the read
 * model there is rebuilt from this service's own log (all of it on a new layout, a tenant's rows after an erasure,
 * which deletes the tenant's rows of every table in the runners' schemas), and these rows could not be rebuilt from
 * it; they come from another service's topic, once, through the consumer group.
 */
export const KNOWN_CONTROLS_SCHEMA = 'evidence_controls';
/** The table, quoted for SQL. */
export const KNOWN_CONTROLS_TABLE = `${sqlIdent(KNOWN_CONTROLS_SCHEMA)}.controls`;

/** Creates the schema and table (once; instances starting together take turns). */
export async function setUpKnownControls(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${KNOWN_CONTROLS_SCHEMA}:setup`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${sqlIdent(KNOWN_CONTROLS_SCHEMA)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${KNOWN_CONTROLS_TABLE} (
      tenant_id text NOT NULL,
      control_id text NOT NULL,
      code text NOT NULL,
      catalog_control_id text,
      name text NOT NULL,
      frequency text NOT NULL,
      criteria text[] NOT NULL,
      not_applicable boolean NOT NULL DEFAULT false,
      stream_version integer NOT NULL,
      PRIMARY KEY (tenant_id, control_id))`);
    await client.query(
      `CREATE INDEX IF NOT EXISTS controls_by_catalog_id ON ${KNOWN_CONTROLS_TABLE} (tenant_id, catalog_control_id)`,
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** A control as it enters the set (adopted from the catalog or added as the organization's own). */
export interface NewControl {
  controlId: string;
  code: string;
  catalogControlId?: string;
  name: string;
  frequency: Frequency;
  criteria: string[];
}

/** What a later control event changes; absent fields stay as they are. */
export interface ControlChange {
  name?: string;
  frequency?: Frequency;
  criteria?: string[];
  notApplicable?: boolean;
}

/**
 * Writes of the known controls, in the consumer's transaction. Each row keeps the control stream's version of the
 * last event applied, so a redelivered or older event changes nothing.
 */
export const knownControlWrites = {
  /** Answers whether the control is new here. */
  async add(tx: PoolClient, tenantId: string, control: NewControl, streamVersion: number): Promise<boolean> {
    const r = await tx.query(
      `INSERT INTO ${KNOWN_CONTROLS_TABLE} (tenant_id, control_id, code, catalog_control_id, name, frequency, criteria,
         stream_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        tenantId,
        control.controlId,
        control.code,
        control.catalogControlId ?? null,
        control.name,
        control.frequency,
        control.criteria,
        streamVersion,
      ],
    );
    return r.rowCount === 1;
  },

  /** Answers whether the row changed (false: unknown control, or the event is not newer than the row). */
  async change(
    tx: PoolClient,
    tenantId: string,
    controlId: string,
    change: ControlChange,
    streamVersion: number,
  ): Promise<boolean> {
    const r = await tx.query(
      `UPDATE ${KNOWN_CONTROLS_TABLE} SET name = coalesce($3, name), frequency = coalesce($4, frequency),
         criteria = coalesce($5, criteria), not_applicable = coalesce($6, not_applicable), stream_version = $7
       WHERE tenant_id = $1 AND control_id = $2 AND stream_version < $7`,
      [
        tenantId,
        controlId,
        change.name ?? null,
        change.frequency ?? null,
        change.criteria ?? null,
        change.notApplicable ?? null,
        streamVersion,
      ],
    );
    return r.rowCount === 1;
  },
};

interface ControlRow {
  control_id: string;
  code: string;
  catalog_control_id: string | null;
  name: string;
  frequency: Frequency;
  criteria: string[];
  not_applicable: boolean;
}

function toKnownControl(row: ControlRow): KnownControl {
  return {
    controlId: row.control_id,
    code: row.code,
    ...(row.catalog_control_id ? { catalogControlId: row.catalog_control_id } : {}),
    name: row.name,
    frequency: row.frequency,
    criteria: row.criteria,
    notApplicable: row.not_applicable,
  };
}

/** The tenant's known controls among `ids` of `column`, by code (then id). */
export async function knownControls(
  db: Pick<Pool, 'query'>,
  tenantId: string,
  column: 'control_id' | 'catalog_control_id',
  ids: readonly string[],
): Promise<KnownControl[]> {
  if (ids.length === 0) return [];
  const r = await db.query<ControlRow>(
    `SELECT control_id, code, catalog_control_id, name, frequency, criteria, not_applicable FROM ${KNOWN_CONTROLS_TABLE}
     WHERE tenant_id = $1 AND ${column} = ANY($2::text[]) ORDER BY code, control_id`,
    [tenantId, ids],
  );
  return r.rows.map(toKnownControl);
}

/**
 * The frequencies that bound the validity of evidence linked to these controls: those of the applicable ones (a
 * control marked not applicable needs no evidence). The rows are share-locked until the caller's transaction ends,
 * so a concurrent change of one of them waits, and then sees (and re-derives) what the caller wrote.
 */
export async function frequenciesBoundingValidity(
  tx: PoolClient,
  tenantId: string,
  controlIds: readonly string[],
): Promise<Frequency[]> {
  if (controlIds.length === 0) return [];
  const r = await tx.query<{ frequency: Frequency; not_applicable: boolean }>(
    `SELECT frequency, not_applicable FROM ${KNOWN_CONTROLS_TABLE} WHERE tenant_id = $1 AND control_id = ANY($2::text[])
     ORDER BY control_id FOR SHARE`,
    [tenantId, controlIds],
  );
  return r.rows.filter((row) => !row.not_applicable).map((row) => row.frequency);
}
