import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { sqlIdent } from '@attest/event-store';
import { INPUTS_SCHEMA } from '../monitoring-options';

/** A new signing secret in the Standard Webhooks format: `whsec_` and the base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

const SECRETS = `${sqlIdent(INPUTS_SCHEMA)}.webhook_secrets`;

/** Keeps an endpoint's signing secret (never in an event: the log is published, the secret must not be). */
export async function saveWebhookSecret(pool: Pool, tenantId: string, endpointId: string, secret: string) {
  await pool.query(`INSERT INTO ${SECRETS} (tenant_id, endpoint_id, secret) VALUES ($1, $2, $3)`, [
    tenantId,
    endpointId,
    secret,
  ]);
}

export async function deleteWebhookSecret(pool: Pool, tenantId: string, endpointId: string) {
  await pool.query(`DELETE FROM ${SECRETS} WHERE tenant_id = $1 AND endpoint_id = $2`, [
    tenantId,
    endpointId,
  ]);
}

/** How long a replaced secret still signs deliveries: a day to put the new one in place at the receiver. */
export const ROTATION_GRACE_HOURS = 24;

/**
 * Replaces an endpoint's secret by `secret`; the replaced one keeps signing for ROTATION_GRACE_HOURS. Returns until
 * when, or null when the tenant has no secret for that endpoint.
 */
export async function rotateWebhookSecret(
  pool: Pool,
  tenantId: string,
  endpointId: string,
  secret: string,
): Promise<Date | null> {
  const r = await pool.query<{ previous_valid_until: Date }>(
    `UPDATE ${SECRETS} SET previous_secret = secret, secret = $3, created_at = now(),
       previous_valid_until = now() + $4 * interval '1 hour'
     WHERE tenant_id = $1 AND endpoint_id = $2 RETURNING previous_valid_until`,
    [tenantId, endpointId, secret, ROTATION_GRACE_HOURS],
  );
  return r.rows[0]?.previous_valid_until ?? null;
}
