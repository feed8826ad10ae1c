import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { sqlIdent, withStoreTransaction } from '@attest/event-store';
import { INPUTS_SCHEMA, MONITORING_OPTIONS, type ResolvedOptions } from '../monitoring-options';
import { retryDelayAfter } from './retry-schedule';
import { sendWebhook, WEBHOOK_TIMEOUT_MS, type TryOutcome } from './webhook-sender';

/** Deliveries claimed at once (each is sent concurrently with the others of its batch). */
const BATCH = 20;
/** Longest sleep with nothing due: a safety net for a wake that was missed (e.g. another instance queued). */
const IDLE_RECHECK_MS = 1_000;
/**
 * How long a claimed try is hidden from other workers: the timeout and a margin. A worker that dies mid-try leaves
 * the delivery due again after it, to be tried again with the same `webhook-id`.
 */
const CLAIM_MS = WEBHOOK_TIMEOUT_MS + 5_000;

interface ClaimedDelivery {
  delivery_id: string;
  body: string;
  failed_tries: number;
  url: string;
  secret: string | null;
  previous_secret: string | null;
}

/**
 * Sends due webhook deliveries and records every try. Due rows are claimed with `FOR UPDATE SKIP LOCKED` (several
 * instances of the service never send one try twice); a 2xx answer delivers; otherwise the delivery waits out the
 * next delay of the retry schedule, and after the last try it is dead-lettered with the last status or error as
 * its reason. The worker sleeps until the next try is due, or until `wake()` (new deliveries, a redelivery).
 * Tries use the wall clock, not the service's business clock: receivers check `webhook-timestamp` against theirs.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly pool: Pool;
  private readonly table = `${sqlIdent(INPUTS_SCHEMA)}.webhook_deliveries`;
  private readonly attempts = `${sqlIdent(INPUTS_SCHEMA)}.webhook_delivery_attempts`;
  private readonly retryDelaysMs: readonly number[];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wokenWhileRunning = false;
  private stopped = true;

  constructor(@Inject(MONITORING_OPTIONS) options: ResolvedOptions) {
    this.pool = options.pool;
    this.retryDelaysMs = options.webhookRetryDelaysMs;
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Looks for due deliveries now (after new ones were queued or one was redelivered). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wokenWhileRunning = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.deliverDue()
      .catch((error: unknown) => {
        this.logger.error({ message: 'webhook deliveries failed; trying again', error: String(error) });
        return IDLE_RECHECK_MS;
      })
      .then((waitMs) => {
        this.running = null;
        if (this.wokenWhileRunning) {
          this.wokenWhileRunning = false;
          this.wake();
        } else if (!this.stopped) {
          this.timer = setTimeout(() => this.wake(), waitMs);
          this.timer.unref();
        }
      });
  }

  /** Sends every delivery due now, batch by batch; returns how long until the next one is due (capped). */
  async deliverDue(): Promise<number> {
    for (;;) {
      const claimed = await this.claim();
      await Promise.all(claimed.map((d) => this.tryDelivery(d)));
      if (claimed.length < BATCH || this.stopped) break;
    }
    const next = await this.pool.query<{ wait_ms: number | null }>(
      `SELECT ceil(extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8 AS wait_ms
       FROM ${this.table} WHERE status = 'pending'`,
    );
    const waitMs = next.rows[0]?.wait_ms;
    return waitMs === null || waitMs === undefined
      ? IDLE_RECHECK_MS
      : Math.min(Math.max(waitMs, 0), IDLE_RECHECK_MS);
  }

  private async claim(): Promise<ClaimedDelivery[]> {
    const s = sqlIdent(INPUTS_SCHEMA);
    const r = await this.pool.query<ClaimedDelivery>(
      `WITH due AS (
         SELECT delivery_id FROM ${this.table}
         WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at, sequence LIMIT $1 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE ${this.table} d SET next_attempt_at = now() + $2 * interval '1 millisecond'
         FROM due WHERE d.delivery_id = due.delivery_id
         RETURNING d.delivery_id, d.tenant_id, d.endpoint_id, d.body, d.failed_tries)
       SELECT c.delivery_id, c.body, c.failed_tries, e.url, k.secret,
         CASE WHEN k.previous_valid_until > now() THEN k.previous_secret END AS previous_secret
       FROM claimed c
       JOIN ${s}.webhook_subscriptions e ON e.tenant_id = c.tenant_id AND e.endpoint_id = c.endpoint_id
       LEFT JOIN ${s}.webhook_secrets k ON k.tenant_id = c.tenant_id AND k.endpoint_id = c.endpoint_id`,
      [BATCH, CLAIM_MS],
    );
    return r.rows;
  }

  private async tryDelivery(delivery: ClaimedDelivery): Promise<void> {
    const started = Date.now();
    const attemptedAt = new Date(started);
    const outcome: TryOutcome =
      delivery.secret === null
        ? { delivered: false, statusCode: null, error: 'the endpoint has no signing secret' }
        : await sendWebhook({
            url: delivery.url,
            secrets: delivery.previous_secret
              ? [delivery.secret, delivery.previous_secret]
              : [delivery.secret],
            messageId: delivery.delivery_id,
            body: delivery.body,
          });
    await this.record(delivery, attemptedAt, Date.now() - started, outcome);
  }

  /** The try and what follows from it, in one transaction: delivered, due again after a delay, or dead-lettered. */
  private async record(
    delivery: ClaimedDelivery,
    attemptedAt: Date,
    durationMs: number,
    outcome: TryOutcome,
  ): Promise<void> {
    const failedTries = delivery.failed_tries + 1;
    const retryInMs = outcome.delivered ? null : retryDelayAfter(failedTries, this.retryDelaysMs);
    const reason = outcome.statusCode === null ? outcome.error : `HTTP ${outcome.statusCode}`;
    await withStoreTransaction(this.pool, async (tx) => {
      await tx.query(
        `INSERT INTO ${this.attempts} (delivery_id, attempt, attempted_at, status_code, error, duration_ms)
         SELECT $1, coalesce(max(attempt), 0) + 1, $2, $3, $4, $5 FROM ${this.attempts} WHERE delivery_id = $1`,
        [delivery.delivery_id, attemptedAt.toISOString(), outcome.statusCode, outcome.error, durationMs],
      );
      if (outcome.delivered) {
        await tx.query(
          `UPDATE ${this.table} SET status = 'delivered', delivered_at = now(), next_attempt_at = NULL
           WHERE delivery_id = $1 AND status = 'pending'`,
          [delivery.delivery_id],
        );
      } else if (retryInMs !== null) {
        await tx.query(
          `UPDATE ${this.table} SET failed_tries = $2, next_attempt_at = now() + $3 * interval '1 millisecond'
           WHERE delivery_id = $1 AND status = 'pending'`,
          [delivery.delivery_id, failedTries, retryInMs],
        );
      } else {
        await tx.query(
          `UPDATE ${this.table} SET status = 'dead-lettered', failed_tries = $2, next_attempt_at = NULL,
             dead_lettered_at = now(), dead_letter_reason = $3
           WHERE delivery_id = $1 AND status = 'pending'`,
          [delivery.delivery_id, failedTries, `${failedTries} tries failed; the last: ${reason}`],
        );
        this.logger.warn({
          message: 'webhook delivery dead-lettered',
          deliveryId: delivery.delivery_id,
          reason,
        });
      }
    });
  }
}
