import type { Pool, PoolClient } from 'pg';
import type { Frequency } from '@attest/catalog';
import { sqlIdent, setUpUnderLock } from '@attest/event-store';

/** A tenant's control as control-mapping's events describe it. */
export interface KnownControl {
  controlId: string;
  code: string;
  catalogControlId?: string;
  name: string;
  frequency: Frequency;
  criteria: string[];
  notApplicable: boolean;
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

/**
 * A service's copy of the tenants' controls, learnt from control-mapping's topic through the service's own consumer
 * group, in the table `controls` of `schema`. That schema must not be one a projection runner rebuilds from the
 * service's own log (all of it on a new layout, a tenant's rows after an erasure): these rows could not be rebuilt
 * from it, they arrive once.
 */
export class KnownControls {
  /** The table, quoted for SQL. */
  readonly table: string;

  constructor(readonly schema: string) {
    this.table = `${sqlIdent(schema)}.controls`;
  }

  /** Creates the schema and table (once; instances starting together take turns). */
  async setUp(pool: Pool): Promise<void> {
    await setUpUnderLock(pool, `${this.schema}:setup`, async (client) => {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${sqlIdent(this.schema)}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
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
        `CREATE INDEX IF NOT EXISTS controls_by_catalog_id ON ${this.table} (tenant_id, catalog_control_id)`,
      );
    });
  }

  /**
   * Adds a control in the consumer's transaction; answers whether it is new here. Each row keeps the control
   * stream's version of the last event applied, so a redelivered or older event changes nothing.
   */
  async add(tx: PoolClient, tenantId: string, control: NewControl, streamVersion: number): Promise<boolean> {
    const r = await tx.query(
      `INSERT INTO ${this.table} (tenant_id, control_id, code, catalog_control_id, name, frequency, criteria,
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
  }

  /** Answers whether the row changed (false: unknown control, or the event is not newer than the row). */
  async change(
    tx: PoolClient,
    tenantId: string,
    controlId: string,
    change: ControlChange,
    streamVersion: number,
  ): Promise<boolean> {
    const r = await tx.query(
      `UPDATE ${this.table} SET name = coalesce($3, name), frequency = coalesce($4, frequency),
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
  }

  /** The tenant's known controls among `ids` of `column`, by code (then id). */
  async find(
    db: Pick<Pool, 'query'>,
    tenantId: string,
    column: 'control_id' | 'catalog_control_id',
    ids: readonly string[],
  ): Promise<KnownControl[]> {
    if (ids.length === 0) return [];
    const r = await db.query<ControlRow>(
      `SELECT control_id, code, catalog_control_id, name, frequency, criteria, not_applicable FROM ${this.table}
       WHERE tenant_id = $1 AND ${column} = ANY($2::text[]) ORDER BY code, control_id`,
      [tenantId, ids],
    );
    return r.rows.map(toKnownControl);
  }

  /**
   * The frequencies that bound the validity of evidence linked to these controls: those of the applicable ones (a
   * control marked not applicable needs no evidence). The rows are share-locked until the caller's transaction
   * ends, so a concurrent change of one of them waits, and then sees (and re-derives) what the caller wrote.
   */
  async frequenciesBoundingValidity(
    tx: PoolClient,
    tenantId: string,
    controlIds: readonly string[],
  ): Promise<Frequency[]> {
    if (controlIds.length === 0) return [];
    const r = await tx.query<{ frequency: Frequency; not_applicable: boolean }>(
      `SELECT frequency, not_applicable FROM ${this.table} WHERE tenant_id = $1 AND control_id = ANY($2::text[])
       ORDER BY control_id FOR SHARE`,
      [tenantId, controlIds],
    );
    return r.rows.filter((row) => !row.not_applicable).map((row) => row.frequency);
  }
}
