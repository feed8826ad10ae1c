import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { forgetAppends, markAppended, notifyAfterCommit } from './append-notifier';
import {
  ConcurrencyError,
  DuplicateEventIdError,
  LogOrderConflictError,
  TenantMismatchError,
} from './errors';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './event-rows';
import { eventStoreMigrations } from './event-store-schema';
import { assertExpectedVersion, ExpectedVersion } from './expected-version';
import { chainedFormOf, chainHash, ChainVerdict, GENESIS_HASH, verifyEvents } from './hash-chain';
import { runMigrations } from './migrations';
import { sweepAsOfSchemas } from './project-as-of';
import { LOG_START, LogBound, LogPosition, NewEvent, RecordedEvent } from './recorded-event';
import { currentSchemaVersion, EventUpcasters, upcast } from './upcasting';
import { LOG_HORIZON_SQL } from './log-horizon';

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

/** What a route sees of an event about to be recorded. */
export type RoutableEvent = Pick<
  RecordedEvent,
  'tenantId' | 'streamId' | 'streamType' | 'type' | 'schemaVersion' | 'data' | 'metadata'
>;

/**
 * Decides where a recorded event is published: its topic and public CloudEvents type (the key is always the stream
 * id). Every event a service appends is published, so a tenant's chain is complete on Kafka: `null` (an unmapped
 * type) makes `append` refuse the event.
 */
export type OutboxRoute = (event: RoutableEvent) => { topic: string; ceType: string } | null;

export interface EventStoreOptions {
  /** Publishes every appended event; requires `source`. Absent: nothing is published (`topic` stays null). */
  outbox?: OutboxRoute;
  /** The CloudEvents `source` stamped on every event (e.g. `/attest/readiness`); required with `outbox`. */
  source?: string;
  /** Applied to events read by `readStream` and `readLog` (not to stored reads, which verify and publish). */
  upcasters?: EventUpcasters;
}

export interface ReadOptions {
  /** Reads in the caller's transaction. */
  queryable?: Pick<Pool, 'query'>;
  /** The events as stored (not upcasted): what the chain hashes and the relay publishes. */
  stored?: boolean;
}

/** An event on its way in: everything but its place in the stream, the chain and the log. */
type PreparedEvent = Pick<
  RecordedEvent,
  'type' | 'ceType' | 'source' | 'schemaVersion' | 'topic' | 'data' | 'metadata'
> & { eventId?: string };

interface PreparedAppend extends StreamAppend {
  prepared: PreparedEvent[];
  /** Each event's data and metadata as the JSON text stored: serialised once, at prepare. */
  texts: StoredTexts[];
}

interface StoredTexts {
  data: string;
  metadata: string;
}

export class PostgresEventStore {
  private readonly source: string;

  constructor(
    readonly pool: Pool,
    private readonly options: EventStoreOptions = {},
  ) {
    if (options.outbox && !options.source)
      throw new TypeError('an event store that publishes (outbox) needs its CloudEvents source');
    this.source = options.source ?? '';
  }

  /** Creates or upgrades the store's tables. Safe to call from every replica at start. */
  async migrate(): Promise<void> {
    await runMigrations(this.pool, 'event-store', eventStoreMigrations);
    await sweepAsOfSchemas(this.pool);
  }

  append(input: StreamAppend): Promise<AppendResult> {
    return this.appendBatch([input]);
  }

  /**
   * Appends to one or more streams atomically: every stream's expected version holds and all events are
   * written, or nothing is. Followers of the log are woken after the commit. Never a LogOrderConflictError: its own
   * transaction writes nothing before the tenant's lock.
   */
  async appendBatch(appends: StreamAppend[]): Promise<AppendResult> {
    if (appends.length === 0) return { versions: {}, events: [] };
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const result = await this.appendIn(client, appends, 'begin');
      await client.query('COMMIT');
      notifyAfterCommit(client);
      return result;
    } catch (err) {
      forgetAppends(client);
      // A connection that cannot even roll back is discarded rather than handed to the next caller.
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Appends inside the caller's open transaction, so the events commit (or roll back) with the caller's other
   * writes, e.g. a consumer's inbox record and read-model rows. The caller commits, then calls
   * `notifyAfterCommit(tx)` (`withStoreTransaction` does both). A ConcurrencyError, TenantMismatchError or
   * DuplicateEventIdError leaves the transaction to be rolled back (or rolled back to a savepoint taken before).
   * A LogOrderConflictError (the transaction wrote before another one appended to the tenant and committed) needs
   * the whole transaction rolled back and redone in a new one; a savepoint would keep the old transaction id.
   *
   * Three round trips: lock the tenants' chain heads (stamping the time), read the streams and allocate the log
   * positions (both hashed), then write events, stream versions and heads in one statement.
   */
  async appendInTransaction(client: PoolClient, appends: StreamAppend[]): Promise<AppendResult> {
    return this.appendIn(client, appends, 'in-transaction');
  }

  /**
   * Takes the tenants' append locks (held until the transaction ends) without taking a transaction id. A transaction
   * that must keep a tenant's chain still before it appends (e.g. to sign the head) calls this before its first
   * write, so its own append is not refused with a LogOrderConflictError.
   */
  async lockTenantsForAppend(tx: PoolClient, tenantIds: string[]): Promise<void> {
    await tx.query(lockTenantsStatement('$1::text[]'), [tenantIds]);
  }

  /**
   * `begin`: the append opens the transaction itself, BEGIN travelling with its first statement; the caller commits.
   */
  private async appendIn(
    client: PoolClient,
    appends: StreamAppend[],
    transaction: 'begin' | 'in-transaction',
  ): Promise<AppendResult> {
    const prepared = appends.map((a) => this.prepare(a));
    assertDistinct(prepared);
    if (prepared.length === 0) return { versions: {}, events: [] };
    // The log is ordered by transaction id, which a transaction takes at its first write, not at its append. So a
    // tenant's appends first queue on an advisory lock, which takes no id: a transaction that had not written yet
    // takes its id after the previous appender committed, and lands after it. One that wrote before (a consumer's
    // inbox claim) may be older than the tenant's last appender: its head is locked but not updated (nor returned),
    // and the append is refused rather than put before events it follows.
    // The upsert then creates a missing head, locks it, and stamps the tenant's time while holding the lock: never
    // earlier than the tenant's last event, so as-of-by-time reads never see version N+1 without N.
    // One round trip (BEGIN, when the append opens the transaction, and both locks): a simple-protocol query may
    // hold several statements, but takes no parameters, so the tenant ids go in as escaped literals.
    const tenants = [...new Set(appends.map((a) => a.tenantId))].sort();
    const tenantList = `ARRAY[${tenants.map((t) => client.escapeLiteral(t)).join(', ')}]::text[]`;
    const statements = [
      lockTenantsStatement(tenantList),
      `INSERT INTO event_store.tenant_chains AS t
         (tenant_id, last_sequence, last_hash, last_recorded_at, last_transaction_id)
       SELECT tenant, 0, ${client.escapeLiteral(GENESIS_HASH)}, date_trunc('milliseconds', clock_timestamp()),
         pg_current_xact_id()
       FROM unnest(${tenantList}) AS tenant
       ORDER BY tenant
       ON CONFLICT (tenant_id) DO UPDATE
         SET last_recorded_at = greatest(date_trunc('milliseconds', clock_timestamp()), t.last_recorded_at),
           last_transaction_id = pg_current_xact_id()
         WHERE t.last_transaction_id <= pg_current_xact_id()
       RETURNING tenant_id, last_sequence, last_hash, last_recorded_at AS recorded_at,
         pg_current_xact_id()::text AS transaction_id`,
    ];
    if (transaction === 'begin') statements.unshift('BEGIN');
    type HeadRow = {
      tenant_id: string;
      last_sequence: string;
      last_hash: string;
      recorded_at: Date;
      transaction_id: string;
    };
    const results = (await client.query(statements.join(';\n'))) as unknown as { rows: HeadRow[] }[];
    const locked = results[results.length - 1].rows;
    if (locked.length < tenants.length) {
      const fine = new Set(locked.map((r) => r.tenant_id));
      throw new LogOrderConflictError(tenants.filter((t) => !fine.has(t)));
    }
    const transactionId = locked[0].transaction_id;
    const heads = new Map(
      locked.map((r) => [
        r.tenant_id,
        { sequence: Number(r.last_sequence), hash: r.last_hash, recordedAt: r.recorded_at.toISOString() },
      ]),
    );

    // A fresh statement, so it sees what the holder of a head we waited for committed. Holding a tenant's head
    // serialises every append to its streams, so the stream rows need no lock of their own.
    const withIds = prepared.flatMap((a) =>
      a.prepared.flatMap((e, i) => (e.eventId ? [{ a, e, eventId: e.eventId, text: a.texts[i] }] : [])),
    );
    const eventCount = prepared.reduce((n, a) => n + a.prepared.length, 0);
    const read = await client.query<{
      streams: { stream_id: string; tenant_id: string; version: number }[];
      positions: string[];
      recorded: (Omit<EventRow, 'recorded_at'> & { recorded_at: string; same: boolean })[];
    }>({
      ...READ_STREAMS_AND_POSITIONS,
      values: [
        appends.map((a) => a.streamId),
        eventCount,
        withIds.map((x) => x.eventId),
        withIds.map((x) => x.a.tenantId),
        withIds.map((x) => x.a.streamId),
        withIds.map((x) => x.e.type),
        withIds.map((x) => x.text.data),
      ],
    });
    const { streams, positions, recorded } = read.rows[0];
    const existing = new Map(streams.map((r) => [r.stream_id, r]));
    const recordedById = new Map(recorded.map((r) => [r.event_id, r]));

    const pending: RecordedEvent[] = [];
    const pendingTexts: StoredTexts[] = [];
    const replayed: RecordedEvent[] = [];
    const versions: Record<string, number> = {};
    let nextPosition = 0;
    for (const a of prepared) {
      const retry = this.retriedEvents(a, recordedById);
      if (retry) {
        replayed.push(...retry);
        versions[a.streamId] = retry[retry.length - 1].streamVersion;
        continue;
      }
      const row = existing.get(a.streamId);
      if (row && row.tenant_id !== a.tenantId)
        throw new TenantMismatchError(a.streamId, row.tenant_id, a.tenantId);
      let version = row ? Number(row.version) : 0;
      assertExpectedVersion(a.streamId, a.expectedVersion, version);
      const head = heads.get(a.tenantId)!;
      for (const [i, e] of a.prepared.entries()) {
        version++;
        head.sequence++;
        const event: RecordedEvent = {
          ...e,
          eventId: e.eventId ?? randomUUID(),
          tenantId: a.tenantId,
          streamId: a.streamId,
          streamType: a.streamType,
          streamVersion: version,
          tenantSequence: head.sequence,
          recordedAt: head.recordedAt,
          position: { transactionId, globalPosition: Number(positions[nextPosition++]) },
          prevHash: head.hash,
          hash: '',
        };
        event.hash = chainHash(head.hash, chainedFormOf(event));
        head.hash = event.hash;
        pending.push(event);
        pendingTexts.push(a.texts[i]);
      }
      versions[a.streamId] = version;
    }
    if (pending.length === 0) return { versions, events: replayed };

    const writtenStreams = new Set(pending.map((p) => p.streamId));
    const written = prepared.filter((a) => writtenStreams.has(a.streamId));
    const write = {
      ...WRITE_EVENTS_STREAMS_HEADS,
      values: [
        pending.map((p) => p.position.globalPosition),
        pending.map((p) => p.eventId),
        pending.map((p) => p.tenantId),
        pending.map((p) => p.streamId),
        pending.map((p) => p.streamType),
        pending.map((p) => p.streamVersion),
        pending.map((p) => p.tenantSequence),
        pending.map((p) => p.type),
        pending.map((p) => p.ceType),
        pending.map((p) => p.source),
        pending.map((p) => p.schemaVersion),
        pending.map((p) => p.topic),
        pendingTexts.map((t) => t.data),
        pendingTexts.map((t) => t.metadata),
        pending.map((p) => p.recordedAt),
        pending.map((p) => p.prevHash),
        pending.map((p) => p.hash),
        written.map((a) => a.streamId),
        written.map((a) => a.tenantId),
        written.map((a) => a.streamType),
        written.map((a) => versions[a.streamId]),
        written.map((a) => heads.get(a.tenantId)!.recordedAt),
        tenants,
        tenants.map((t) => heads.get(t)!.sequence),
        tenants.map((t) => heads.get(t)!.hash),
      ],
    };
    await client.query(write).catch((err: unknown) => {
      // Two appends creating the same stream: neither had a row to see, and the second insert collides.
      if (isUniqueViolation(err, 'events_stream_id_stream_version_key'))
        throw new ConcurrencyError(written.map((a) => a.streamId).join(','), 'unchanged', -1);
      // The same caller-supplied id appended concurrently under another tenant's head.
      if (isUniqueViolation(err, 'events_event_id_key')) {
        const id =
          /\(event_id\)=\(([^)]+)\)/.exec((err as { detail?: string }).detail ?? '')?.[1] ?? 'unknown';
        throw new DuplicateEventIdError(id, 'appended concurrently');
      }
      throw err;
    });
    markAppended(client, this.pool);
    // In the order the appends were given, retried ones included.
    const byStream = new Map<string, RecordedEvent[]>();
    for (const e of [...replayed, ...pending]) {
      const list = byStream.get(e.streamId);
      if (list) list.push(e);
      else byStream.set(e.streamId, [e]);
    }
    return { versions, events: appends.flatMap((a) => byStream.get(a.streamId) ?? []) };
  }

  /** Validates one append and settles each event's published form (type, source, topic) and schema version. */
  private prepare(a: StreamAppend): PreparedAppend {
    if (!a.tenantId || !a.streamId || !a.streamType)
      throw new TypeError('tenantId, streamId and streamType are required');
    const route = this.options.outbox;
    const texts: StoredTexts[] = [];
    const prepared = a.events.map((e): PreparedEvent => {
      const schemaVersion =
        e.schemaVersion ?? currentSchemaVersion(this.options.upcasters, a.streamType, e.type);
      if (!Number.isInteger(schemaVersion) || schemaVersion < 1)
        throw new TypeError(`schema version of ${e.type} must be a positive integer`);
      // Serialised once: the text is the jsonb parameter, and its parse is what the event carries and the hash covers
      // (the round trip drops what jsonb cannot keep: undefined, functions).
      const text = { data: JSON.stringify(e.data ?? null), metadata: JSON.stringify(e.metadata ?? {}) };
      texts.push(text);
      const body = {
        tenantId: a.tenantId,
        streamId: a.streamId,
        streamType: a.streamType,
        type: e.type,
        schemaVersion,
        data: JSON.parse(text.data) as unknown,
        metadata: JSON.parse(text.metadata) as Record<string, unknown>,
      };
      let published: { topic: string | null; ceType: string } = { topic: null, ceType: e.type };
      if (route) {
        const target = route(body);
        if (!target)
          throw new TypeError(
            `event type ${e.type} (stream type ${a.streamType}) has no public type: every appended event is published`,
          );
        published = target;
      }
      return {
        eventId: e.eventId,
        type: e.type,
        ceType: published.ceType,
        source: this.source,
        schemaVersion,
        topic: published.topic,
        data: body.data,
        metadata: body.metadata,
      };
    });
    return { ...a, prepared, texts };
  }

  /**
   * The recorded events when this append is a retry of one already recorded (all its events carry ids recorded
   * for the same stream, type and data); null when it is new. An id recorded for anything else is refused.
   */
  private retriedEvents(
    a: PreparedAppend,
    recordedById: Map<string, Omit<EventRow, 'recorded_at'> & { recorded_at: string; same: boolean }>,
  ): RecordedEvent[] | null {
    const found = a.prepared.map((e) => (e.eventId ? recordedById.get(e.eventId) : undefined));
    const first = found.findIndex((r) => r !== undefined);
    if (first < 0) return null;
    // A recorded id on another event, or on one event of an append whose others are new: not a retry.
    const clash = found.findIndex((r) => r !== undefined && !r.same);
    const at = clash >= 0 ? clash : found.some((r) => !r) ? first : -1;
    if (at >= 0) throw new DuplicateEventIdError(a.prepared[at].eventId!, found[at]!.stream_id);
    return found.map((r) => toRecordedEvent({ ...r!, recorded_at: new Date(r!.recorded_at) }));
  }

  /** A stream's events after `afterVersion` (0 = from the start), in stream order, upcasted unless `stored`. */
  async readStream(
    streamId: string,
    afterVersion = 0,
    options: ReadOptions = {},
  ): Promise<{ version: number; events: RecordedEvent[] }> {
    const db = options.queryable ?? this.pool;
    const rows = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version`,
      [streamId, afterVersion],
    );
    const events = rows.rows.map((r) => this.fromRow(r, options));
    const version = events.length
      ? events[events.length - 1].streamVersion
      : await this.streamVersion(streamId, db);
    return { version, events };
  }

  async streamVersion(streamId: string, db: Pick<Pool, 'query'> = this.pool): Promise<number> {
    const r = await db.query<{ version: string }>(
      'SELECT version FROM event_store.streams WHERE stream_id = $1',
      [streamId],
    );
    return r.rows.length ? Number(r.rows[0].version) : 0;
  }

  /**
   * A stretch of a tenant's hash chain, `fromSequence` through `toSequence`, in chain order and as stored (what the
   * hashes cover): e.g. the slice an evidence bundle carries from its items' events to a signed checkpoint.
   */
  async readTenantChain(
    tenantId: string,
    fromSequence: number,
    toSequence: number,
  ): Promise<RecordedEvent[]> {
    const rows = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events
       WHERE tenant_id = $1 AND tenant_sequence BETWEEN $2 AND $3 ORDER BY tenant_sequence`,
      [tenantId, fromSequence, toSequence],
    );
    return rows.rows.map(toRecordedEvent);
  }

  /** Every tenant with events in the store, for work a service does across its tenants (scheduled sweeps). */
  async tenants(): Promise<string[]> {
    const r = await this.pool.query<{ tenant_id: string }>(
      'SELECT tenant_id FROM event_store.tenant_chains ORDER BY tenant_id',
    );
    return r.rows.map((row) => row.tenant_id);
  }

  /**
   * The global log after `after`, in log order, up to `limit` events, upcasted unless `stored`. Only transactions
   * older than every one still in flight are returned, so an event whose position was taken before a later commit
   * is never skipped. `until` bounds the read for as-of views: up to a log position, or events recorded at or
   * before a time.
   */
  async readLog(
    after: LogPosition = LOG_START,
    limit = 500,
    options: ReadOptions & { until?: LogBound } = {},
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
       WHERE transaction_id < ${LOG_HORIZON_SQL}
         AND (transaction_id, global_position) > ($1::xid8, $2::bigint) ${bound}
       -- Qualified: the select list exposes transaction_id as text, and an unqualified ORDER BY would sort that
       -- text ('10' < '9') instead of the xid8 column and its index.
       ORDER BY events.transaction_id, events.global_position
       LIMIT $3`,
      params,
    );
    return rows.rows.map((r) => this.fromRow(r, options));
  }

  /**
   * The log position of the event at a global position, for as-of reads by position; with `tenantId`, only of an
   * event of that tenant (another tenant's position is as unknown as one that does not exist).
   */
  async positionOf(globalPosition: number, tenantId?: string): Promise<LogPosition | null> {
    const r = await this.pool.query<{ transaction_id: string }>(
      `SELECT transaction_id::text AS transaction_id FROM event_store.events
       WHERE global_position = $1 AND ($2::text IS NULL OR tenant_id = $2)`,
      [globalPosition, tenantId ?? null],
    );
    return r.rows.length ? { transactionId: r.rows[0].transaction_id, globalPosition } : null;
  }

  /**
   * Recomputes a tenant's hash chain from the stored events and names the first one that does not verify. Reads
   * the head and the events in one snapshot, bounded by the head, so concurrent appends never look like tampering.
   */
  async verifyChain(tenantId: string): Promise<ChainVerdict> {
    const tx = await this.pool.connect();
    try {
      await tx.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const head = await tx.query<{ last_sequence: string; last_hash: string }>(
        'SELECT last_sequence, last_hash FROM event_store.tenant_chains WHERE tenant_id = $1',
        [tenantId],
      );
      const h = head.rows[0];
      const events: RecordedEvent[] = [];
      // Read in pages so a long chain does not need one huge result.
      for (let after = 0; h;) {
        const page = await tx.query<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM event_store.events
           WHERE tenant_id = $1 AND tenant_sequence > $2 AND tenant_sequence <= $3
           ORDER BY tenant_sequence LIMIT 5000`,
          [tenantId, after, h.last_sequence],
        );
        if (page.rows.length === 0) break;
        for (const row of page.rows) events.push(toRecordedEvent(row));
        after = events[events.length - 1].tenantSequence;
      }
      await tx.query('COMMIT');
      return verifyEvents(
        tenantId,
        events,
        h ? { sequence: Number(h.last_sequence), hash: h.last_hash } : undefined,
      );
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      tx.release();
    }
  }

  private fromRow(row: EventRow, options: ReadOptions): RecordedEvent {
    const event = toRecordedEvent(row);
    return options.stored ? event : upcast(this.options.upcasters, event);
  }
}

/*
 * The append's statements with parameters are named (prepared once per connection): PostgreSQL then parses and plans
 * them once per connection instead of once per append. A name must only ever stand for one text.
 */

/** The streams' versions, the events' log positions (hashed, so allocated before) and retried caller-supplied ids. */
const READ_STREAMS_AND_POSITIONS = {
  name: 'event_store.append.read.v1',
  text: `SELECT
    (SELECT coalesce(json_agg(json_build_object('stream_id', stream_id, 'tenant_id', tenant_id, 'version', version)), '[]')
     FROM event_store.streams WHERE stream_id = ANY($1)) AS streams,
    ARRAY(SELECT nextval('event_store.events_global_position_seq') FROM generate_series(1, $2)) AS positions,
    (SELECT coalesce(json_agg(to_jsonb(e) || jsonb_build_object('same',
        e.tenant_id = c.tenant_id AND e.stream_id = c.stream_id AND e.event_type = c.type AND e.data = c.data)), '[]')
     FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::jsonb[]) AS c(event_id, tenant_id, stream_id, type, data)
     JOIN event_store.events e ON e.event_id = c.event_id) AS recorded`,
};

/** Events, stream versions and chain heads in one statement. */
const WRITE_EVENTS_STREAMS_HEADS = {
  name: 'event_store.append.write.v1',
  text: `WITH ev AS (
           INSERT INTO event_store.events (global_position, event_id, tenant_id, stream_id, stream_type, stream_version,
             tenant_sequence, event_type, ce_type, source, schema_version, topic, data, metadata, recorded_at, prev_hash, hash)
           OVERRIDING SYSTEM VALUE
           SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
             $8::text[], $9::text[], $10::text[], $11::int[], $12::text[], $13::jsonb[], $14::jsonb[], $15::timestamptz[],
             $16::text[], $17::text[])),
         st AS (
           INSERT INTO event_store.streams AS s (stream_id, tenant_id, stream_type, version, updated_at)
           SELECT * FROM unnest($18::text[], $19::text[], $20::text[], $21::bigint[], $22::timestamptz[])
           ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, updated_at = EXCLUDED.updated_at)
         UPDATE event_store.tenant_chains t SET last_sequence = u.seq, last_hash = u.hash
         FROM unnest($23::text[], $24::bigint[], $25::text[]) AS u(tenant, seq, hash) WHERE t.tenant_id = u.tenant`,
};

/** Advisory locks (no transaction id needed) on the tenants, in hash order so that two batches cannot deadlock. */
function lockTenantsStatement(tenantList: string): string {
  return `SELECT pg_advisory_xact_lock(hashtext('event_store.tenant_chains'), h)
    FROM (SELECT DISTINCT hashtext(tenant) AS h FROM unnest(${tenantList}) AS tenant ORDER BY h) AS heads`;
}

/** A stream may appear once per batch, and a caller-supplied event id once. */
function assertDistinct(appends: PreparedAppend[]): void {
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const a of appends) {
    if (streams.has(a.streamId)) throw new TypeError(`stream ${a.streamId} appears twice in one batch`);
    streams.add(a.streamId);
    for (const e of a.prepared) {
      if (!e.eventId) continue;
      if (ids.has(e.eventId)) throw new TypeError(`event id ${e.eventId} appears twice in one batch`);
      ids.add(e.eventId);
    }
  }
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === constraint;
}
