import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { runMigrations, type Migration } from '@attest/event-store';
import { systemClock, type Clock } from '../clock';

/** The table lives in the service's own database, in this schema. */
export const IDEMPOTENCY_SCHEMA = 'service_kit';

export const IDEMPOTENCY_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'idempotency keys',
    async up(client) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${IDEMPOTENCY_SCHEMA}`);
      await client.query(`CREATE TABLE ${IDEMPOTENCY_SCHEMA}.idempotency_keys (
        tenant_id text NOT NULL,
        idempotency_key text NOT NULL,
        -- who sent the first request with the key, and what: a repeat must match all of them
        actor_id text NOT NULL,
        request_method text NOT NULL,
        request_path text NOT NULL,
        request_hash text NOT NULL,
        -- 'in-flight' while the first request runs (claim_id identifies that run), then 'completed'
        state text NOT NULL CHECK (state IN ('in-flight', 'completed')),
        claim_id uuid NOT NULL,
        in_flight_until timestamptz NOT NULL,
        response_status int,
        response_headers jsonb,
        response_body text,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, idempotency_key))`);
      await client.query(
        `CREATE INDEX idempotency_keys_expires_at ON ${IDEMPOTENCY_SCHEMA}.idempotency_keys (expires_at)`,
      );
    },
  },
];

/** What identifies a request: a repeat with the same key must be the same request. */
export interface IdempotentRequest {
  tenantId: string;
  key: string;
  actorId: string;
  method: string;
  path: string;
  /** SHA-256 of the body's canonical JSON. */
  bodyHash: string;
}

/** The first request's answer, replayed to repeats. */
export interface StoredResponse {
  status: number;
  /** Location, ETag and Content-Type, when the answer had them. */
  headers: Record<string, string>;
  /** The JSON text of the body; null when there was none. */
  body: string | null;
}

export type IdempotencyClaim =
  /** The key is this request's now: run it, then complete or release the claim. */
  | { outcome: 'claimed'; claimId: string }
  | { outcome: 'replay'; response: StoredResponse }
  /** The key was used for another request (body, path, method or caller). */
  | { outcome: 'reused' }
  /** The first request with the key still runs. */
  | { outcome: 'in-flight' };

export interface IdempotencyStoreOptions {
  /** How long a key and its answer are kept (default 24 hours); after that the key is free again. */
  retentionMs?: number;
  /**
   * How long a running first request holds its key (default 5 minutes). If its process died, a repeat after this
   * time runs the request again instead of waiting for the retention to end.
   */
  inFlightTimeoutMs?: number;
  clock?: Clock;
}

const HOUR = 3_600_000;

/**
 * Idempotency keys in PostgreSQL (table service_kit.idempotency_keys of the service's database, created on first
 * use by the migration runner): one row per tenant and key, claimed atomically, so of two concurrent requests with
 * one key exactly one runs. Expired rows are pruned at most once an hour by the process, and a claim takes over an
 * expired row anyway.
 */
export class IdempotencyStore {
  private readonly logger = new Logger(IdempotencyStore.name);
  private readonly retentionMs: number;
  private readonly inFlightTimeoutMs: number;
  private readonly clock: Clock;
  private migrated?: Promise<void>;
  private lastPrune = 0;

  constructor(
    private readonly pool: Pool,
    options: IdempotencyStoreOptions = {},
  ) {
    this.retentionMs = options.retentionMs ?? 24 * HOUR;
    this.inFlightTimeoutMs = options.inFlightTimeoutMs ?? 5 * 60_000;
    this.clock = options.clock ?? systemClock;
  }

  /** Creates the table if needed (once per process; retried after a failure). */
  migrate(): Promise<void> {
    this.migrated ??= runMigrations(this.pool, 'service-kit.idempotency', IDEMPOTENCY_MIGRATIONS).then(
      () => undefined,
      (error: unknown) => {
        this.migrated = undefined;
        throw error;
      },
    );
    return this.migrated;
  }

  async claim(request: IdempotentRequest): Promise<IdempotencyClaim> {
    await this.migrate();
    const now = this.clock.now();
    this.pruneIfDue(now);
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimId = randomUUID();
      // Inserts the key, or takes over its row when that expired, or when its first request stopped answering
      // (in flight past its timeout) and this is the same request.
      const claimed = await this.pool.query(
        `INSERT INTO ${IDEMPOTENCY_SCHEMA}.idempotency_keys AS k
           (tenant_id, idempotency_key, actor_id, request_method, request_path, request_hash, state, claim_id,
            in_flight_until, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'in-flight', $7, $8, $9, $10)
         ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET
           actor_id = EXCLUDED.actor_id, request_method = EXCLUDED.request_method,
           request_path = EXCLUDED.request_path, request_hash = EXCLUDED.request_hash, state = 'in-flight',
           claim_id = EXCLUDED.claim_id, in_flight_until = EXCLUDED.in_flight_until, response_status = NULL,
           response_headers = NULL, response_body = NULL, created_at = EXCLUDED.created_at,
           expires_at = EXCLUDED.expires_at
         WHERE k.expires_at <= EXCLUDED.created_at
            OR (k.state = 'in-flight' AND k.in_flight_until <= EXCLUDED.created_at
                AND (k.actor_id, k.request_method, k.request_path, k.request_hash)
                  = (EXCLUDED.actor_id, EXCLUDED.request_method, EXCLUDED.request_path, EXCLUDED.request_hash))
         RETURNING claim_id`,
        [
          request.tenantId,
          request.key,
          request.actorId,
          request.method,
          request.path,
          request.bodyHash,
          claimId,
          new Date(now.getTime() + this.inFlightTimeoutMs),
          now,
          new Date(now.getTime() + this.retentionMs),
        ],
      );
      if (claimed.rowCount === 1) return { outcome: 'claimed', claimId };
      const { rows } = await this.pool.query<{
        actor_id: string;
        request_method: string;
        request_path: string;
        request_hash: string;
        state: 'in-flight' | 'completed';
        response_status: number | null;
        response_headers: Record<string, string> | null;
        response_body: string | null;
      }>(
        `SELECT actor_id, request_method, request_path, request_hash, state, response_status, response_headers,
                response_body
           FROM ${IDEMPOTENCY_SCHEMA}.idempotency_keys WHERE tenant_id = $1 AND idempotency_key = $2`,
        [request.tenantId, request.key],
      );
      const row = rows[0];
      // Released or pruned between the two statements: claim again.
      if (!row) continue;
      if (
        row.actor_id !== request.actorId ||
        row.request_method !== request.method ||
        row.request_path !== request.path ||
        row.request_hash !== request.bodyHash
      )
        return { outcome: 'reused' };
      if (row.state === 'in-flight') return { outcome: 'in-flight' };
      return {
        outcome: 'replay',
        response: {
          status: row.response_status ?? 200,
          headers: row.response_headers ?? {},
          body: row.response_body,
        },
      };
    }
    throw new Error('idempotency key could not be claimed: it changed three times in a row');
  }

  /** Stores the first request's answer for its repeats. */
  async complete(request: IdempotentRequest, claimId: string, response: StoredResponse): Promise<void> {
    await this.pool.query(
      `UPDATE ${IDEMPOTENCY_SCHEMA}.idempotency_keys
          SET state = 'completed', response_status = $4, response_headers = $5, response_body = $6
        WHERE tenant_id = $1 AND idempotency_key = $2 AND claim_id = $3`,
      [
        request.tenantId,
        request.key,
        claimId,
        response.status,
        JSON.stringify(response.headers),
        response.body,
      ],
    );
  }

  /** Frees the key after the first request failed: a repeat runs the request again. */
  async release(request: IdempotentRequest, claimId: string): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${IDEMPOTENCY_SCHEMA}.idempotency_keys
        WHERE tenant_id = $1 AND idempotency_key = $2 AND claim_id = $3`,
      [request.tenantId, request.key, claimId],
    );
  }

  /** Deletes the keys expired at `now`; returns how many. */
  async prune(now: Date = this.clock.now()): Promise<number> {
    await this.migrate();
    const result = await this.pool.query(
      `DELETE FROM ${IDEMPOTENCY_SCHEMA}.idempotency_keys WHERE expires_at <= $1`,
      [now],
    );
    return result.rowCount ?? 0;
  }

  private pruneIfDue(now: Date): void {
    if (now.getTime() - this.lastPrune < HOUR) return;
    this.lastPrune = now.getTime();
    this.prune(now).catch((error: unknown) =>
      this.logger.warn({ message: 'pruning expired idempotency keys failed', error }),
    );
  }
}
