import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { ConcurrencyError, TenantMismatchError } from './errors';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './event-rows';
import { eventStoreMigrations } from './event-store-schema';
import { assertExpectedVersion, ExpectedVersion } from './expected-version';
import { chainHash, ChainVerdict, GENESIS_HASH, verifyEvents } from './hash-chain';
import { runMigrations } from './migrations';
import { LOG_START, LogBound, LogPosition, NewEvent, RecordedEvent } from './recorded-event';

export interface StreamAppend {
  tenantId: string;
  streamId: string;
  /** The aggregate kind, e.g. `assessment`; fixed at the stream's first append. */
  streamType: string;
  expectedVersion: ExpectedVersion;
  events: NewEvent[];
}

export interface AppendResult {
  /** Each stream's version after the append. */
  versions: Record<string, number>;
  events: RecordedEvent[];
}

/** Decides which recorded events leave through the outbox, and to which topic. `null`: stays internal. */
export type OutboxRoute = (event: Omit<RecordedEvent, 'position'>) => { topic: string; key: string } | null;

export interface EventStoreOptions {
  outbox?: OutboxRoute;
  /** Injected for tests that need a fixed timeline; the store otherwise stamps events with the current time. */
  now?: () => Date;
}

/** PostgreSQL channel notified on every append, so subscribers wake without waiting for their next poll. */
export const APPEND_CHANNEL = 'attest_event_store_append';

export class PostgresEventStore {
  private readonly now: () => Date;

  constructor(
    readonly pool: Pool,
    private readonly options: EventStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Creates or upgrades the store's tables. Safe to call from every replica at start. */
  async migrate(): Promise<void> {
    await runMigrations(this.pool, 'event-store', eventStoreMigrations);
  }

  append(input: StreamAppend): Promise<AppendResult> {
    return this.appendBatch([input]);
  }

  /**
   * Appends to one or more streams atomically: every stream's expected version holds and all events are
   * written, with their outbox records, or nothing is.
   */
  async appendBatch(appends: StreamAppend[]): Promise<AppendResult> {
    const streams = new Set<string>();
    for (const a of appends) {
      if (!a.tenantId || !a.streamId || !a.streamType)
        throw new TypeError('tenantId, streamId and streamType are required');
      if (streams.has(a.streamId)) throw new TypeError(`stream ${a.streamId} appears twice in one batch`);
      streams.add(a.streamId);
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await this.appendInTransaction(client, appends);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (isUniqueViolation(err, 'events_stream_id_stream_version_key')) {
        throw new ConcurrencyError(appends.map((a) => a.streamId).join(','), 'unchanged', -1);
      }
      throw err;
    } finally {
      client.release();
    }
  }

  private async appendInTransaction(client: PoolClient, appends: StreamAppend[]): Promise<AppendResult> {
    // Tenant chain heads first, in a fixed order, so two batches spanning the same tenants cannot deadlock.
    // The no-op upsert creates a missing head and locks the row in one round trip.
    const tenants = [...new Set(appends.map((a) => a.tenantId))].sort();
    const heads = new Map<string, { sequence: number; hash: string }>();
    for (const tenant of tenants) {
      const head = await client.query<{ last_sequence: string; last_hash: string }>(
        `INSERT INTO event_store.tenant_chains AS t (tenant_id, last_sequence, last_hash) VALUES ($1, 0, $2)
         ON CONFLICT (tenant_id) DO UPDATE SET tenant_id = t.tenant_id
         RETURNING last_sequence, last_hash`,
        [tenant, GENESIS_HASH],
      );
      heads.set(tenant, { sequence: Number(head.rows[0].last_sequence), hash: head.rows[0].last_hash });
    }

    const current = await client.query<{ stream_id: string; tenant_id: string; version: string }>(
      'SELECT stream_id, tenant_id, version FROM event_store.streams WHERE stream_id = ANY($1) FOR UPDATE',
      [appends.map((a) => a.streamId)],
    );
    const existing = new Map(current.rows.map((r) => [r.stream_id, r]));

    const recordedAt = this.now().toISOString();
    const pending: Omit<RecordedEvent, 'position'>[] = [];
    const versions: Record<string, number> = {};
    for (const a of appends) {
      const row = existing.get(a.streamId);
      if (row && row.tenant_id !== a.tenantId)
        throw new TenantMismatchError(a.streamId, row.tenant_id, a.tenantId);
      let version = row ? Number(row.version) : 0;
      assertExpectedVersion(a.streamId, a.expectedVersion, version);
      const head = heads.get(a.tenantId)!;
      for (const e of a.events) {
        version++;
        head.sequence++;
        const fields = {
          eventId: e.eventId ?? randomUUID(),
          tenantId: a.tenantId,
          streamId: a.streamId,
          streamType: a.streamType,
          streamVersion: version,
          tenantSequence: head.sequence,
          type: e.type,
          // A JSON round trip drops what jsonb cannot keep (undefined, functions), so the hash covers what is stored.
          data: JSON.parse(JSON.stringify(e.data ?? null)) as unknown,
          metadata: JSON.parse(JSON.stringify(e.metadata ?? {})) as Record<string, unknown>,
          recordedAt,
        };
        const hash = chainHash(head.hash, fields);
        pending.push({ ...fields, prevHash: head.hash, hash });
        head.hash = hash;
      }
      versions[a.streamId] = version;
    }
    if (pending.length === 0) return { versions, events: [] };

    const route = this.options.outbox;
    const routes = pending.map((p) => (route ? route(p) : null));
    // Events, stream versions, chain heads and outbox records in one statement: one round trip for the whole batch.
    const inserted = await client.query<{ global_position: string; transaction_id: string }>(
      `WITH ev AS (
         INSERT INTO event_store.events (event_id, tenant_id, stream_id, stream_type, stream_version, tenant_sequence,
           event_type, data, metadata, recorded_at, prev_hash, hash)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[],
           $8::jsonb[], $9::jsonb[], $10::timestamptz[], $11::text[], $12::text[])
         RETURNING global_position, transaction_id, event_id),
       st AS (
         INSERT INTO event_store.streams (stream_id, tenant_id, stream_type, version, updated_at)
         SELECT * FROM unnest($13::text[], $14::text[], $15::text[], $16::bigint[], $17::timestamptz[])
         ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, updated_at = EXCLUDED.updated_at),
       tc AS (
         UPDATE event_store.tenant_chains t SET last_sequence = u.seq, last_hash = u.hash
         FROM unnest($18::text[], $19::bigint[], $20::text[]) AS u(tenant, seq, hash) WHERE t.tenant_id = u.tenant),
       ob AS (
         INSERT INTO event_store.outbox (event_id, topic, partition_key)
         SELECT u.event_id, u.topic, u.partition_key
         FROM unnest($1::uuid[], $21::text[], $22::text[]) AS u(event_id, topic, partition_key)
         JOIN ev ON ev.event_id = u.event_id
         WHERE u.topic IS NOT NULL)
       SELECT ev.global_position, ev.transaction_id::text AS transaction_id, pg_notify('${APPEND_CHANNEL}', '')
       FROM unnest($1::uuid[]) WITH ORDINALITY AS o(event_id, n) JOIN ev ON ev.event_id = o.event_id
       ORDER BY o.n`,
      [
        pending.map((p) => p.eventId),
        pending.map((p) => p.tenantId),
        pending.map((p) => p.streamId),
        pending.map((p) => p.streamType),
        pending.map((p) => p.streamVersion),
        pending.map((p) => p.tenantSequence),
        pending.map((p) => p.type),
        pending.map((p) => JSON.stringify(p.data)),
        pending.map((p) => JSON.stringify(p.metadata)),
        pending.map((p) => p.recordedAt),
        pending.map((p) => p.prevHash),
        pending.map((p) => p.hash),
        appends.map((a) => a.streamId),
        appends.map((a) => a.tenantId),
        appends.map((a) => a.streamType),
        appends.map((a) => versions[a.streamId]),
        appends.map(() => recordedAt),
        tenants,
        tenants.map((t) => heads.get(t)!.sequence),
        tenants.map((t) => heads.get(t)!.hash),
        routes.map((r) => r?.topic ?? null),
        routes.map((r) => r?.key ?? null),
      ],
    );
    const events: RecordedEvent[] = pending.map((p, i) => ({
      ...p,
      position: {
        transactionId: inserted.rows[i].transaction_id,
        globalPosition: Number(inserted.rows[i].global_position),
      },
    }));
    return { versions, events };
  }

  /** A stream's events after `afterVersion` (0 = from the start), in stream order. */
  async readStream(
    streamId: string,
    afterVersion = 0,
  ): Promise<{ version: number; events: RecordedEvent[] }> {
    const rows = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version`,
      [streamId, afterVersion],
    );
    const events = rows.rows.map(toRecordedEvent);
    const version = events.length
      ? events[events.length - 1].streamVersion
      : await this.streamVersion(streamId);
    return { version, events };
  }

  async streamVersion(streamId: string): Promise<number> {
    const r = await this.pool.query<{ version: string }>(
      'SELECT version FROM event_store.streams WHERE stream_id = $1',
      [streamId],
    );
    return r.rows.length ? Number(r.rows[0].version) : 0;
  }

  /**
   * The global log after `after`, in log order, up to `limit` events. Only transactions older than every one
   * still in flight are returned, so an event whose position was taken before a later commit is never skipped.
   * `until` bounds the read for as-of views: up to a log position, or events recorded at or before a time.
   */
  async readLog(
    after: LogPosition = LOG_START,
    limit = 500,
    options: { until?: LogBound; queryable?: Pick<Pool, 'query'> } = {},
  ): Promise<RecordedEvent[]> {
    const params: unknown[] = [after.transactionId, after.globalPosition, limit];
    let bound = '';
    if (options.until && 'position' in options.until) {
      params.push(options.until.position.transactionId, options.until.position.globalPosition);
      bound = 'AND (transaction_id, global_position) <= ($4::xid8, $5::bigint)';
    } else if (options.until && 'recordedAt' in options.until) {
      params.push(options.until.recordedAt);
      bound = 'AND recorded_at <= $4::timestamptz';
    }
    const rows = await (options.queryable ?? this.pool).query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events
       WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         AND (transaction_id, global_position) > ($1::xid8, $2::bigint) ${bound}
       -- Qualified: the select list exposes transaction_id as text, and an unqualified ORDER BY would sort that
       -- text ('10' < '9') instead of the xid8 column and its index.
       ORDER BY events.transaction_id, events.global_position
       LIMIT $3`,
      params,
    );
    return rows.rows.map(toRecordedEvent);
  }

  /** The log position of the event at a global position, for as-of reads by position. */
  async positionOf(globalPosition: number): Promise<LogPosition | null> {
    const r = await this.pool.query<{ transaction_id: string }>(
      'SELECT transaction_id::text AS transaction_id FROM event_store.events WHERE global_position = $1',
      [globalPosition],
    );
    return r.rows.length ? { transactionId: r.rows[0].transaction_id, globalPosition } : null;
  }

  /** Recomputes a tenant's hash chain from the stored events and names the first one that does not verify. */
  async verifyChain(tenantId: string): Promise<ChainVerdict> {
    const head = await this.pool.query<{ last_sequence: string; last_hash: string }>(
      'SELECT last_sequence, last_hash FROM event_store.tenant_chains WHERE tenant_id = $1',
      [tenantId],
    );
    const events: RecordedEvent[] = [];
    // Read in pages so a long chain does not need one huge result.
    for (let after = 0; ;) {
      const page = await this.pool.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE tenant_id = $1 AND tenant_sequence > $2
         ORDER BY tenant_sequence LIMIT 5000`,
        [tenantId, after],
      );
      if (page.rows.length === 0) break;
      for (const row of page.rows) events.push(toRecordedEvent(row));
      after = events[events.length - 1].tenantSequence;
    }
    const h = head.rows[0];
    return verifyEvents(
      tenantId,
      events,
      h ? { sequence: Number(h.last_sequence), hash: h.last_hash } : undefined,
    );
  }
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === constraint;
}
