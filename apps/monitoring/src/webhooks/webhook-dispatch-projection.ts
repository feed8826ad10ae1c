import type { PoolClient } from 'pg';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpointRegisteredData,
  type WebhookEndpointRemovedData,
} from '@attest/monitoring-domain';
import { sqlIdent, type Projection, type RecordedEvent } from '@attest/event-store';
import { decodeCloudEvent, encodeCloudEvent } from '@attest/messaging';

/** Why the pending deliveries of a removed endpoint are dead-lettered rather than sent. */
export const ENDPOINT_REMOVED_REASON = 'endpoint removed';

/**
 * The webhook tables, in the inputs schema (kept, never rebuilt: a delivery's tries happened once):
 * - `webhook_secrets`: each endpoint's signing secret, written when it is registered, never in an event; after a
 *   rotation the replaced one too, honoured (deliveries signed with both) until `previous_valid_until`;
 * - `webhook_subscriptions`: where each endpoint wants which event types, as the dispatcher has seen them in log
 *   order, so an event goes to exactly the endpoints subscribed when it was recorded (the read model's endpoints,
 *   followed by another runner, may be ahead or behind);
 * - `webhook_deliveries`: one per (event, endpoint), its id the `webhook-id` every try carries; `body` is the event
 *   as the CloudEvent integrators read from Kafka (personal values sealed, the chain hash verifiable);
 * - `webhook_delivery_attempts`: every try, with the receiver's status code or the error.
 */
export async function setUpWebhookTables(tx: PoolClient, schema: string): Promise<void> {
  const s = sqlIdent(schema);
  await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.webhook_secrets (
    tenant_id text NOT NULL,
    endpoint_id uuid NOT NULL,
    secret text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    previous_secret text,
    previous_valid_until timestamptz,
    PRIMARY KEY (tenant_id, endpoint_id))`);
  await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.webhook_subscriptions (
    tenant_id text NOT NULL,
    endpoint_id uuid NOT NULL,
    url text NOT NULL,
    event_types text[] NOT NULL,
    removed boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, endpoint_id))`);
  await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.webhook_deliveries (
    delivery_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- the queue's order (lists page on it)
    sequence bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant_id text NOT NULL,
    endpoint_id uuid NOT NULL,
    event_id uuid NOT NULL,
    event_type text NOT NULL,
    body text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead-lettered')),
    -- failed tries since the delivery was queued or last redelivered: where it is in the retry schedule
    failed_tries integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    queued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    delivered_at timestamptz,
    dead_lettered_at timestamptz,
    dead_letter_reason text,
    UNIQUE (event_id, endpoint_id))`);
  await tx.query(
    `CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON ${s}.webhook_deliveries (next_attempt_at)
     WHERE status = 'pending'`,
  );
  await tx.query(
    `CREATE INDEX IF NOT EXISTS webhook_deliveries_by_tenant
     ON ${s}.webhook_deliveries (tenant_id, sequence DESC)`,
  );
  await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.webhook_delivery_attempts (
    delivery_id uuid NOT NULL REFERENCES ${s}.webhook_deliveries ON DELETE CASCADE,
    attempt integer NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code integer,
    error text,
    duration_ms integer NOT NULL,
    PRIMARY KEY (delivery_id, attempt))`);
}

/** The event as a structured-mode CloudEvent: the attributes and data integrators decode from the Kafka record. */
export function cloudEventBody(event: RecordedEvent): string {
  const { message } = encodeCloudEvent(event);
  return JSON.stringify(decodeCloudEvent({ headers: message.headers, value: Buffer.from(message.value) }));
}

const DELIVERED_TYPES: readonly string[] = WEBHOOK_EVENT_TYPES;

/**
 * The webhook dispatcher: follows the service's log and queues a delivery of each event to every endpoint of its
 * tenant subscribed to its type at that point of the log (idempotent on (event, endpoint), so a replay queues
 * nothing again). Its runner is the service's own, outside the read models: the events stay sealed (what leaves
 * the service to a third party carries no personal value in the clear, as on Kafka), and an erasure's rebuild of
 * the read models never empties the deliveries.
 */
export function webhookDispatchProjection(): Projection {
  return {
    name: 'webhook-dispatch',
    eventTypes: ['WebhookEndpointRegistered', 'WebhookEndpointRemoved', ...DELIVERED_TYPES],
    setup: setUpWebhookTables,
    async reset(tx, schema) {
      // Deliveries are history, not a view: they stay, and the replay queues none of them again. The subscriptions
      // are replayed in log order, so each event meets the endpoints it met the first time (not later ones).
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.webhook_subscriptions`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      // Each tenant's live subscriptions, read once per batch and forgotten when one of its endpoints changes:
      // most events (a cycle's TestFailing) have no subscriber, and cost no body then.
      const subscribers = new Map<string, { endpointId: string; eventTypes: string[] }[]>();
      const subscribersOf = async (tenantId: string) => {
        let found = subscribers.get(tenantId);
        if (!found) {
          const r = await tx.query<{ endpoint_id: string; event_types: string[] }>(
            `SELECT endpoint_id, event_types FROM ${s}.webhook_subscriptions WHERE tenant_id = $1 AND NOT removed`,
            [tenantId],
          );
          found = r.rows.map((row) => ({ endpointId: row.endpoint_id, eventTypes: row.event_types }));
          subscribers.set(tenantId, found);
        }
        return found;
      };
      for (const e of events) {
        if (e.type === 'WebhookEndpointRegistered') {
          const d = e.data as WebhookEndpointRegisteredData;
          await tx.query(
            `INSERT INTO ${s}.webhook_subscriptions (tenant_id, endpoint_id, url, event_types)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
            [e.tenantId, d.endpointId, d.url, d.eventTypes],
          );
          subscribers.delete(e.tenantId);
        } else if (e.type === 'WebhookEndpointRemoved') {
          const d = e.data as WebhookEndpointRemovedData;
          await tx.query(
            `UPDATE ${s}.webhook_subscriptions SET removed = true WHERE tenant_id = $1 AND endpoint_id = $2`,
            [e.tenantId, d.endpointId],
          );
          await tx.query(
            `UPDATE ${s}.webhook_deliveries SET status = 'dead-lettered', next_attempt_at = NULL,
               dead_lettered_at = now(), dead_letter_reason = $3
             WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'pending'`,
            [e.tenantId, d.endpointId, ENDPOINT_REMOVED_REASON],
          );
          subscribers.delete(e.tenantId);
        } else {
          const endpointIds = (await subscribersOf(e.tenantId))
            .filter((sub) => sub.eventTypes.includes(e.type))
            .map((sub) => sub.endpointId);
          if (endpointIds.length === 0) continue;
          await tx.query(
            `INSERT INTO ${s}.webhook_deliveries
               (tenant_id, endpoint_id, event_id, event_type, body, status, next_attempt_at)
             SELECT $1, endpoint_id, $3, $4, $5, 'pending', now() FROM unnest($2::uuid[]) AS endpoint_id
             ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
            [e.tenantId, endpointIds, e.eventId, e.type, cloudEventBody(e)],
          );
        }
      }
    },
  };
}
