import type { Pool } from 'pg';
// Read only: the table is the bridge's (it and startNextPeriod record the periods); its name is its public part.
import { AUDIT_PERIODS_TABLE } from '../bridge/audit-periods';

/** The known organizations after `after` (all from the first when absent), in id order, at most `limit`. */
export type KnownTenants = (after: string | undefined, limit: number) => Promise<string[]>;

/**
 * The organizations with an audit period recorded: every one with a lifecycle, so every one that should have
 * schedules. Keyset pages (after the last id of the previous page), so a page costs the same however far in, and a
 * tenant recorded meanwhile is picked up if its id sorts later.
 */
export function knownTenants(db: Pick<Pool, 'query'>): KnownTenants {
  return async (after, limit) => {
    const { rows } = await db.query<{ tenant_id: string }>(
      `SELECT DISTINCT tenant_id FROM ${AUDIT_PERIODS_TABLE}
       WHERE $1::text IS NULL OR tenant_id > $1 ORDER BY tenant_id LIMIT $2`,
      [after ?? null, limit],
    );
    return rows.map((r) => r.tenant_id);
  };
}
