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
