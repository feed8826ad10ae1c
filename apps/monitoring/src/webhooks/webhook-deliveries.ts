import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DomainError } from '@attest/decider';
import { sqlIdent } from '@attest/event-store';
import { cursorKey, keyPart } from '@attest/service-kit';
import { INPUTS_SCHEMA, MONITORING_OPTIONS, type ResolvedOptions } from '../monitoring-options';
import type { PageRead } from '../read-model/monitoring-views';
import { WebhookDeliveryWorker } from './webhook-delivery-worker';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead-lettered'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The refusals of the webhook routes that are not the domain's (the HTTP status each is answered with). */
export const WEBHOOK_REFUSALS = {
  'webhook-delivery-not-found': 404,
  'webhook-delivery-pending': 409,
} as const;

export interface WebhookDeliveryView {
  /** Also the `webhook-id` of every try. */
  deliveryId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  queuedAt: string;
  attemptCount: number;
  nextAttemptAt?: string;
  deliveredAt?: string;
  deadLetteredAt?: string;
  deadLetterReason?: string;
}

export interface WebhookAttemptView {
  attempt: number;
  at: string;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

export interface WebhookDeliveryDetailView extends WebhookDeliveryView {
  attempts: WebhookAttemptView[];
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  endpointId?: string;
}

/** Deliveries, newest queued first (the queue's own order). */
export type DeliverySortKey = [sequence: number];
export const deliverySortKey = (d: WebhookDeliveryView & { sequence: number }): DeliverySortKey => [
  d.sequence,
];
export const isDeliverySortKey = cursorKey<DeliverySortKey>(keyPart.integer(1, Number.MAX_SAFE_INTEGER));

interface DeliveryRow {
  sequence: string;
  delivery_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  queued_at: Date;
  attempt_count: number;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  dead_lettered_at: Date | null;
  dead_letter_reason: string | null;
}

/**
 * A tenant's webhook deliveries as the worker keeps them (in the inputs schema: they are what happened, not a view
 * of the log), and redelivery.
 */
@Injectable()
export class WebhookDeliveries {
  private readonly pool: Pool;
  private readonly s = sqlIdent(INPUTS_SCHEMA);

  constructor(
    @Inject(MONITORING_OPTIONS) options: ResolvedOptions,
    private readonly worker: WebhookDeliveryWorker,
  ) {
    this.pool = options.pool;
  }

  async list(
    tenantId: string,
    filter: DeliveryFilter,
    page: PageRead<DeliverySortKey>,
  ): Promise<(WebhookDeliveryView & { sequence: number })[]> {
    const r = await this.pool.query<DeliveryRow>(
      `${this.select()}
       WHERE d.tenant_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($3::uuid IS NULL OR d.endpoint_id = $3)
         AND ($4::bigint IS NULL OR d.sequence < $4)
       ORDER BY d.sequence DESC LIMIT $5`,
      [tenantId, filter.status ?? null, filter.endpointId ?? null, page.after?.[0] ?? null, page.limit],
    );
    return r.rows.map((row) => ({ ...deliveryView(row), sequence: Number(row.sequence) }));
  }

  /** The delivery with every try; refused with `webhook-delivery-not-found` when the tenant has no such one. */
  async get(tenantId: string, deliveryId: string): Promise<WebhookDeliveryDetailView> {
    const r = await this.pool.query<DeliveryRow>(
      `${this.select()} WHERE d.tenant_id = $1 AND d.delivery_id = $2`,
      [tenantId, deliveryId],
    );
    if (r.rows.length === 0) throw deliveryNotFound(deliveryId);
    const attempts = await this.pool.query<{
      attempt: number;
      attempted_at: Date;
      status_code: number | null;
      error: string | null;
      duration_ms: number;
    }>(
      `SELECT attempt, attempted_at, status_code, error, duration_ms FROM ${this.s}.webhook_delivery_attempts
       WHERE delivery_id = $1 ORDER BY attempt`,
      [deliveryId],
    );
    return {
      ...deliveryView(r.rows[0]),
      attempts: attempts.rows.map((a) => ({
        attempt: a.attempt,
        at: a.attempted_at.toISOString(),
        ...(a.status_code === null ? {} : { statusCode: a.status_code }),
        ...(a.error === null ? {} : { error: a.error }),
        durationMs: a.duration_ms,
      })),
    };
  }

  /**
   * Queues a delivered or dead-lettered delivery again: due now, its retry schedule from the start, the same body
   * and `webhook-id` (a receiver that had it drops the repeat). Refused while it is pending, and for an endpoint
   * that was removed.
   */
  async redeliver(tenantId: string, deliveryId: string): Promise<WebhookDeliveryDetailView> {
    const r = await this.pool.query<{ status: DeliveryStatus; removed: boolean; requeued: boolean }>(
      `WITH target AS (
         SELECT d.delivery_id, d.status, s.removed FROM ${this.s}.webhook_deliveries d
         JOIN ${this.s}.webhook_subscriptions s ON s.tenant_id = d.tenant_id AND s.endpoint_id = d.endpoint_id
         WHERE d.tenant_id = $1 AND d.delivery_id = $2 FOR UPDATE OF d),
       requeued AS (
         UPDATE ${this.s}.webhook_deliveries d SET status = 'pending', failed_tries = 0, next_attempt_at = now(),
           delivered_at = NULL, dead_lettered_at = NULL, dead_letter_reason = NULL
         FROM target t WHERE d.delivery_id = t.delivery_id AND t.status <> 'pending' AND NOT t.removed
         RETURNING d.delivery_id)
       SELECT t.status, t.removed, EXISTS (SELECT 1 FROM requeued) AS requeued FROM target t`,
      [tenantId, deliveryId],
    );
    const row = r.rows[0];
    if (!row) throw deliveryNotFound(deliveryId);
    if (row.removed)
      throw new DomainError('webhook-endpoint-removed', 'The endpoint of this delivery was removed.', {
        deliveryId,
      });
    if (!row.requeued)
      throw new DomainError(
        'webhook-delivery-pending',
        'The delivery is still pending: it is tried again anyway.',
        {
          deliveryId,
        },
      );
    this.worker.wake();
    return this.get(tenantId, deliveryId);
  }

  private select(): string {
    return `SELECT d.sequence, d.delivery_id, d.endpoint_id, d.event_id, d.event_type, d.status, d.queued_at,
        d.next_attempt_at, d.delivered_at, d.dead_lettered_at, d.dead_letter_reason,
        (SELECT count(*)::int FROM ${this.s}.webhook_delivery_attempts a WHERE a.delivery_id = d.delivery_id)
          AS attempt_count
      FROM ${this.s}.webhook_deliveries d`;
  }
}

function deliveryNotFound(deliveryId: string): DomainError {
  return new DomainError('webhook-delivery-not-found', `There is no webhook delivery ${deliveryId}.`, {
    deliveryId,
  });
}

function deliveryView(row: DeliveryRow): WebhookDeliveryView {
  return {
    deliveryId: row.delivery_id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    queuedAt: row.queued_at.toISOString(),
    attemptCount: row.attempt_count,
    ...(row.status === 'pending' && row.next_attempt_at
      ? { nextAttemptAt: row.next_attempt_at.toISOString() }
      : {}),
    ...(row.delivered_at ? { deliveredAt: row.delivered_at.toISOString() } : {}),
    ...(row.dead_lettered_at ? { deadLetteredAt: row.dead_lettered_at.toISOString() } : {}),
    ...(row.dead_letter_reason === null ? {} : { deadLetterReason: row.dead_letter_reason }),
  };
}
