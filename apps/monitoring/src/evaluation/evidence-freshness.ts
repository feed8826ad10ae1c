import type { Pool, PoolClient } from 'pg';
import { sqlIdent, setUpUnderLock } from '@attest/event-store';
import type { ControlHealthInputs, EvidenceFreshness } from '@attest/monitoring-domain';

interface ItemRow {
  version: number;
  controlIds: string[];
  status: EvidenceFreshness;
}

/**
 * The freshness of the tenants' evidence items as the evidence service's events tell it, in table
 * `evidence_freshness` of the inputs schema (not rebuilt from this service's log: the rows arrive once, through the
 * consumer group). Each item keeps its current version: an expiry of an older version, arriving after a newer version
 * (the deadline's stream is not the item's, so Kafka does not order them), changes nothing. Every write runs in the
 * consumer's transaction and answers the controls whose evidence changed, for their health to be assessed again.
 */
export class EvidenceFreshnessStore {
  private readonly table: string;

  constructor(private readonly schema: string) {
    this.table = `${sqlIdent(schema)}.evidence_freshness`;
  }

  /** Creates the schema and table (once; instances starting together take turns). */
  async setUp(pool: Pool): Promise<void> {
    await setUpUnderLock(pool, `${this.schema}:evidence-freshness`, async (client) => {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${sqlIdent(this.schema)}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        tenant_id text NOT NULL,
        item_id text NOT NULL,
        version integer NOT NULL,
        control_ids text[] NOT NULL,
        status text NOT NULL,
        PRIMARY KEY (tenant_id, item_id))`);
      await client.query(
        `CREATE INDEX IF NOT EXISTS evidence_freshness_by_control ON ${this.table} USING gin (control_ids)`,
      );
    });
  }

  /** A new item (version 1) is fresh evidence for the controls it names. */
  async submitted(tx: PoolClient, tenantId: string, itemId: string, controlIds: string[]): Promise<string[]> {
    return this.transition(tx, tenantId, itemId, (row) =>
      row ? null : { version: 1, controlIds, status: 'fresh' },
    );
  }

  /** A newer version is fresh again (an expiry of it may follow). */
  versioned(tx: PoolClient, tenantId: string, itemId: string, version: number): Promise<string[]> {
    return this.transition(tx, tenantId, itemId, (row) =>
      row && version > row.version ? { ...row, version, status: 'fresh' } : null,
    );
  }

  /** The item supports one more control, as fresh (or not) as it is: a link never makes stale evidence valid. */
  linked(tx: PoolClient, tenantId: string, itemId: string, controlId: string): Promise<string[]> {
    return this.transition(tx, tenantId, itemId, (row) =>
      row && !row.controlIds.includes(controlId)
        ? { ...row, controlIds: [...row.controlIds, controlId] }
        : null,
    );
  }

  /** `version` is about to expire (or, at `expired`, did); an older version's news is stale. */
  stale(
    tx: PoolClient,
    tenantId: string,
    itemId: string,
    version: number,
    status: 'expiring' | 'expired',
  ): Promise<string[]> {
    return this.transition(tx, tenantId, itemId, (row) => {
      if (!row || version < row.version) return null;
      if (version === row.version && (row.status === status || row.status === 'expired')) return null;
      return { ...row, version, status };
    });
  }

  /** The content was disposed of: the item is evidence no more. */
  async gone(tx: PoolClient, tenantId: string, itemId: string): Promise<string[]> {
    const r = await tx.query<{ control_ids: string[] }>(
      `DELETE FROM ${this.table} WHERE tenant_id = $1 AND item_id = $2 RETURNING control_ids`,
      [tenantId, itemId],
    );
    return r.rows[0]?.control_ids ?? [];
  }

  /** The items linked to the control, with their freshness. */
  async ofControl(
    db: Pick<Pool, 'query'>,
    tenantId: string,
    controlId: string,
  ): Promise<ControlHealthInputs['evidence']> {
    const r = await db.query<{ itemId: string; freshness: EvidenceFreshness }>(
      `SELECT item_id AS "itemId", status AS freshness FROM ${this.table}
       WHERE tenant_id = $1 AND control_ids @> ARRAY[$2::text] ORDER BY item_id`,
      [tenantId, controlId],
    );
    return r.rows;
  }

  /**
   * Reads the item's row (locked until the consumer's transaction ends), applies `next` and writes what it returns
   * (null: nothing changes). Answers the controls whose evidence changed: all the item's old and new controls when
   * its status changed, else those it gained.
   */
  private async transition(
    tx: PoolClient,
    tenantId: string,
    itemId: string,
    next: (row: ItemRow | null) => ItemRow | null,
  ): Promise<string[]> {
    const r = await tx.query<{ version: number; control_ids: string[]; status: EvidenceFreshness }>(
      `SELECT version, control_ids, status FROM ${this.table} WHERE tenant_id = $1 AND item_id = $2 FOR UPDATE`,
      [tenantId, itemId],
    );
    const before = r.rows[0]
      ? { version: r.rows[0].version, controlIds: r.rows[0].control_ids, status: r.rows[0].status }
      : null;
    const after = next(before);
    if (!after) return [];
    await tx.query(
      `INSERT INTO ${this.table} (tenant_id, item_id, version, control_ids, status) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, item_id) DO UPDATE SET version = EXCLUDED.version, control_ids = EXCLUDED.control_ids,
         status = EXCLUDED.status`,
      [tenantId, itemId, after.version, after.controlIds, after.status],
    );
    if (before && before.status === after.status)
      return after.controlIds.filter((id) => !before.controlIds.includes(id));
    return [...new Set([...(before?.controlIds ?? []), ...after.controlIds])];
  }
}
