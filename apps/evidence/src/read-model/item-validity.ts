import type { PoolClient } from 'pg';
import { sqlIdent } from '@attest/event-store';
import { validUntil } from '@attest/evidence-domain';
import { EVIDENCE_CONTROLS } from './known-controls';

/**
 * Re-derives the `valid_until` of items (in the read model of `schema`) from their current period and the
 * frequencies of their linked controls: after a new version or link (the projection) and after a control's
 * frequency or applicability changed (the control-mapping listener). Kept as a column so lists filter on freshness
 * and the sweep finds what expires without folding every item.
 */
export async function refreshValidity(
  tx: PoolClient,
  schema: string,
  tenantId: string,
  itemIds: readonly string[],
): Promise<void> {
  const s = sqlIdent(schema);
  const items = await tx.query<{ item_id: string; period_to: string; control_ids: string[] }>(
    `SELECT item_id, period_to, control_ids FROM ${s}.items WHERE tenant_id = $1 AND item_id = ANY($2::text[])`,
    [tenantId, itemIds],
  );
  for (const item of items.rows) {
    const frequencies = await EVIDENCE_CONTROLS.frequenciesBoundingValidity(tx, tenantId, item.control_ids);
    await tx.query(`UPDATE ${s}.items SET valid_until = $3 WHERE tenant_id = $1 AND item_id = $2`, [
      tenantId,
      item.item_id,
      validUntil(item.period_to, frequencies),
    ]);
  }
}

/** The same, for every item of the tenant linked to the control. */
export async function refreshValidityOfControl(
  tx: PoolClient,
  schema: string,
  tenantId: string,
  controlId: string,
): Promise<void> {
  const linked = await tx.query<{ item_id: string }>(
    `SELECT item_id FROM ${sqlIdent(schema)}.items WHERE tenant_id = $1 AND control_ids @> ARRAY[$2::text]`,
    [tenantId, controlId],
  );
  await refreshValidity(
    tx,
    schema,
    tenantId,
    linked.rows.map((r) => r.item_id),
  );
}
