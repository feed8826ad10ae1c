import { randomUUID } from 'node:crypto';
import { ConcurrencyError, DuplicateEventIdError, TenantMismatchError } from './errors';
import { eventStoreMigrations } from './event-store-schema';
import { runMigrations } from './migrations';
import { EventStoreOptions, PostgresEventStore, StreamAppend } from './postgres-event-store';
import { compareLogPositions, LOG_START, LogPosition, RecordedEvent } from './recorded-event';
import { createTestDatabase, TestDatabase } from './test-database';
import { waitUntil, waitUntilReadable } from './test-waits';

describe('PostgresEventStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool);
    await store.migrate();
    await store.migrate(); // a second start finds nothing to do
  });
  afterAll(() => db.drop());

  const evt = (n: number) => ({ type: 'ControlTested', data: { n, note: 'ok' } });
  /** Appends to a `control` stream of tenant t1 (or `tenantId`). */
  const appendToControl = (
    streamId: string,
    expectedVersion: Parameters<PostgresEventStore['append']>[0]['expectedVersion'],
    events: ReturnType<typeof evt>[],
    tenantId = 't1',
  ) => store.append({ tenantId, streamId, streamType: 'control', expectedVersion, events });

  it('appends with an expected version and reads the stream back in order', async () => {
    const stream = `control-${randomUUID()}`;
    await appendToControl(stream, 'no-stream', [evt(1), evt(2)]);
    const r = await appendToControl(stream, 2, [evt(3)]);
    expect(r.versions[stream]).toBe(3);

    const read = await store.readStream(stream);
    expect(read.version).toBe(3);
    expect(read.events.map((e) => [e.streamVersion, (e.data as { n: number }).n])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect((await store.readStream(stream, 2)).events.map((e) => e.streamVersion)).toEqual([3]);
  });

  it('refuses a stale expected version with a typed error and writes nothing', async () => {
    const stream = `control-${randomUUID()}`;
    await appendToControl(stream, 'no-stream', [evt(1)]);
    await expect(appendToControl(stream, 'no-stream', [evt(2)])).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(appendToControl(stream, 5, [evt(2)])).rejects.toMatchObject({
      name: 'ConcurrencyError',
      expected: '5',
      actual: 1,
    });
    expect((await store.readStream(stream)).version).toBe(1);
  });

  it('keeps a stream with its tenant', async () => {
    const stream = `control-${randomUUID()}`;
    await appendToControl(stream, 'any', [evt(1)]);
    await expect(appendToControl(stream, 'any', [evt(2)], 't2')).rejects.toBeInstanceOf(TenantMismatchError);
  });

  it('appends to several streams atomically: one stale stream fails the whole batch', async () => {
    const a = `a-${randomUUID()}`;
    const b = `b-${randomUUID()}`;
    await store.append({
      tenantId: 't1',
      streamId: b,
      streamType: 'x',
      expectedVersion: 'no-stream',
      events: [evt(1)],
    });
    await expect(
      store.appendBatch([
        { tenantId: 't1', streamId: a, streamType: 'x', expectedVersion: 'no-stream', events: [evt(1)] },
        { tenantId: 't1', streamId: b, streamType: 'x', expectedVersion: 'no-stream', events: [evt(2)] },
      ]),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.streamVersion(a)).toBe(0);
  });

  it('lets exactly one of two concurrent appends at the same version win', async () => {
    const stream = `race-${randomUUID()}`;
    await store.append({
      tenantId: 't-race',
      streamId: stream,
      streamType: 'x',
      expectedVersion: 'no-stream',
      events: [evt(0)],
    });
    const outcomes = await Promise.allSettled(
      [1, 2].map((n) =>
        store.append({
          tenantId: 't-race',
          streamId: stream,
          streamType: 'x',
          expectedVersion: 1,
          events: [evt(n)],
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream(stream)).version).toBe(2);
  });

  it('under 8 concurrent writers, a reader tailing the log sees every event exactly once, in stream order', async () => {
    const run = randomUUID().slice(0, 8);
    const writers = 8;
    const appendsPerWriter = 40;
    const tail: RecordedEvent[] = [];
    let last: LogPosition | null = null;
    // Tail while writing: an event whose position is taken before a later commit must not be skipped. The tail
    // ends once it has passed the last append (the log is only readable below the server's oldest open transaction,
    // so an empty page proves nothing).
    const tailing = (async () => {
      let pos = LOG_START;
      const deadline = Date.now() + 30_000;
      while (!last || compareLogPositions(pos, last) < 0) {
        if (Date.now() > deadline) throw new Error('the tail never reached the last append');
        const page = await store.readLog(pos, 200);
        tail.push(...page);
        if (page.length) pos = page[page.length - 1].position;
        else await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const appended: RecordedEvent[] = [];
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < appendsPerWriter; i++) {
          // Writers share two tenants so chain locks contend, and each owns its own streams.
          const r = await store.append({
            tenantId: `load-${run}-${w % 2}`,
            streamId: `load-${run}-${w}-${i % 4}`,
            streamType: 'load',
            expectedVersion: 'any',
            events: [evt(i), evt(i)],
          });
          appended.push(...r.events);
        }
      }),
    );
    last = appended.map((e) => e.position).sort(compareLogPositions)[appended.length - 1];
    await tailing;

    const mine = tail.filter((e) => e.streamId.startsWith(`load-${run}-`));
    expect(mine).toHaveLength(writers * appendsPerWriter * 2);
    expect(new Set(mine.map((e) => e.eventId)).size).toBe(mine.length);
    const byStream = new Map<string, number[]>();
    for (const e of mine) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.streamVersion]);
    for (const versions of byStream.values()) expect(versions).toEqual(versions.map((_, i) => i + 1));
    for (const tenant of [0, 1]) {
      const seqs = mine.filter((e) => e.tenantId === `load-${run}-${tenant}`).map((e) => e.tenantSequence);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs.map((_, i) => i + 1));
    }
  });

  it('chains each tenant’s events and names the first tampered event', async () => {
    const tenant = `tamper-${randomUUID()}`;
    for (let i = 0; i < 5; i++) {
      await store.append({
        tenantId: tenant,
        streamId: `${tenant}-s${i % 2}`,
        streamType: 'evidence',
        expectedVersion: 'any',
        events: [evt(i)],
      });
    }
    expect(await store.verifyChain(tenant)).toMatchObject({ ok: true, events: 5 });

    const victim = await db.pool.query<{ event_id: string; global_position: string }>(
      'SELECT event_id, global_position FROM event_store.events WHERE tenant_id = $1 AND tenant_sequence = 3',
      [tenant],
    );
    await db.pool.query(
      `UPDATE event_store.events SET data = jsonb_set(data, '{note}', '"edited"') WHERE event_id = $1`,
      [victim.rows[0].event_id],
    );
    expect(await store.verifyChain(tenant)).toMatchObject({
      ok: false,
      reason: 'hash-mismatch',
      eventId: victim.rows[0].event_id,
      tenantSequence: 3,
      globalPosition: Number(victim.rows[0].global_position),
    });
  });

  it('notices events removed from the end of a chain', async () => {
    const tenant = `trunc-${randomUUID()}`;
    for (let i = 0; i < 3; i++) {
      await store.append({
        tenantId: tenant,
        streamId: `${tenant}-s`,
        streamType: 'evidence',
        expectedVersion: 'any',
        events: [evt(i)],
      });
    }
    await db.pool.query('DELETE FROM event_store.events WHERE tenant_id = $1 AND tenant_sequence = 3', [
      tenant,
    ]);
    expect(await store.verifyChain(tenant)).toMatchObject({
      ok: false,
      reason: 'head-mismatch',
      tenantSequence: 3,
    });
  });

  it('records each event’s topic, public type and source, and refuses a type the route does not map (old: outbox rows)', async () => {
    const routed = new PostgresEventStore(db.pool, {
      source: '/attest/test',
      outbox: (e) =>
        e.type === 'ControlTested' ? { topic: 'attest.test.events.v1', ceType: 'io.attest.test.tested.v1' } : null,
    });
    const stream = `routed-${randomUUID()}`;
    const r = await routed.append({
      tenantId: 't1',
      streamId: stream,
      streamType: 'x',
      expectedVersion: 'no-stream',
      events: [evt(1)],
    });
    const published = { ceType: 'io.attest.test.tested.v1', source: '/attest/test', topic: 'attest.test.events.v1' };
    expect(r.events[0]).toMatchObject({ ...published, type: 'ControlTested', schemaVersion: 1 });
    expect((await routed.readStream(stream)).events[0]).toMatchObject(published);
    // Every appended event is published, so a tenant's chain is complete on Kafka: an unmapped type is refused.
    await expect(
      routed.append({
        tenantId: 't1',
        streamId: stream,
        streamType: 'x',
        expectedVersion: 1,
        events: [evt(2), { type: 'Internal', data: {} }],
      }),
    ).rejects.toThrow(new TypeError('event type Internal (stream type x) has no public type: every appended event is published'));
    expect(await routed.streamVersion(stream)).toBe(1);
    // Without a route nothing is published, and the store type stands for the public one.
    const internal = await appendToControl(`internal-${randomUUID()}`, 'no-stream', [evt(1)]);
    expect(internal.events[0]).toMatchObject({ topic: null, ceType: 'ControlTested', source: '' });
    expect(() => new PostgresEventStore(db.pool, { outbox: () => null })).toThrow(TypeError);
  });

  describe('caller-supplied event ids', () => {
    const withIds = (streamId: string, ids: string[], expectedVersion: StreamAppend['expectedVersion'] = 'no-stream') => ({
      tenantId: 't1',
      streamId,
      streamType: 'control',
      expectedVersion,
      events: ids.map((eventId, i) => ({ ...evt(i), eventId })),
    });

    it('a retried append returns the recorded events instead of appending them again (old: ConcurrencyError or unique violation)', async () => {
      const stream = `retry-${randomUUID()}`;
      const input = withIds(stream, [randomUUID(), randomUUID()]);
      const first = await store.append(input);
      expect(await store.append(input)).toEqual(first);
      // Retried concurrently and after the stream moved on: still the same result, still no duplicate.
      const [a, b] = await Promise.all([store.append(input), store.append(input)]);
      await appendToControl(stream, 2, [evt(3)]);
      expect([a, b, await store.append(input)]).toEqual([first, first, first]);
      const read = await store.readStream(stream);
      expect(read.events.map((e) => e.eventId)).toEqual([...first.events.map((e) => e.eventId), expect.any(String)]);
      expect(await store.verifyChain('t1')).toMatchObject({ ok: true });
    });

    it('refuses an id already recorded for a different event with DuplicateEventIdError', async () => {
      const stream = `dup-${randomUUID()}`;
      const [id] = (await store.append(withIds(stream, [randomUUID()]))).events.map((e) => e.eventId);
      const other = `dup-${randomUUID()}`;
      // Another stream, other data, or one recorded event among new ones: not a retry.
      await expect(store.append(withIds(other, [id]))).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(
        store.append({ ...withIds(stream, [id]), events: [{ ...evt(7), eventId: id }] }),
      ).rejects.toMatchObject({ name: 'DuplicateEventIdError', eventId: id, recordedIn: stream });
      await expect(store.append(withIds(stream, [id, randomUUID()]))).rejects.toBeInstanceOf(
        DuplicateEventIdError,
      );
      expect(await store.streamVersion(other)).toBe(0);
      expect(await store.streamVersion(stream)).toBe(1);
    });
  });

  it('stamps recorded_at in the database, never backwards within a tenant: replicas with skewed clocks cannot make an as-of-by-time view show version N+1 without N', async () => {
    // Until issue 9 each replica stamped events with its own clock (a `now` option, which the store no longer has):
    // one replica a minute fast, the other right.
    const replica = (skewMs: number) =>
      new PostgresEventStore(db.pool, { now: () => new Date(Date.now() + skewMs) } as EventStoreOptions);
    const stream = `skew-${randomUUID()}`;
    const tenantId = `skew-${randomUUID()}`;
    const one = { tenantId, streamId: stream, streamType: 'control' };
    await replica(60_000).append({ ...one, expectedVersion: 'no-stream', events: [evt(1)] });
    const second = await replica(0).append({ ...one, expectedVersion: 1, events: [evt(2)] });
    const secondAt = second.events[0].recordedAt;

    await waitUntilReadable(db.pool, second.events[0].position);
    const asOf = await store.readLog(LOG_START, 10_000, { until: { recordedAt: secondAt } });
    expect(asOf.filter((e) => e.streamId === stream).map((e) => e.streamVersion)).toEqual([1, 2]);

    // The database's own clock stepping back (a failover to a server whose clock lags) does not either.
    const ahead = await db.pool.query<{ t: Date }>(
      `UPDATE event_store.tenant_chains SET last_recorded_at = now() + interval '1 hour' WHERE tenant_id = $1
       RETURNING last_recorded_at AS t`,
      [tenantId],
    );
    const third = await store.append({ ...one, expectedVersion: 2, events: [evt(3)] });
    expect(third.events[0].recordedAt).toBe(ahead.rows[0].t.toISOString());
    const times = (await store.readStream(stream)).events.map((e) => e.recordedAt);
    expect([...times].sort()).toEqual(times);
  });

  it('verifies in one snapshot bounded by the head: an append committed while verification waits is no tamper alarm (old: head-mismatch)', async () => {
    const tenant = `snap-${randomUUID()}`;
    const appendTo = (version: StreamAppend['expectedVersion'], n: number): StreamAppend => ({
      tenantId: tenant,
      streamId: `${tenant}-s`,
      streamType: 'evidence',
      expectedVersion: version,
      events: [evt(n)],
    });
    for (let i = 0; i < 3; i++) await store.append(appendTo(i === 0 ? 'no-stream' : i, i));
    const locker = await db.pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE event_store.events IN ACCESS EXCLUSIVE MODE');
      const verdict = store.verifyChain(tenant);
      // Deterministic interleaving: verification is blocked reading the events when the append commits.
      await waitUntil('verifyChain waits for the events lock', async () => {
        const r = await db.pool.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
             AND wait_event_type = 'Lock' AND query LIKE '%tenant_sequence >%'`,
        );
        return r.rows.length > 0;
      });
      await store.appendInTransaction(locker, [appendTo(3, 3)]);
      await locker.query('COMMIT');
      expect(await verdict).toMatchObject({ ok: true, events: 3 });
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      locker.release();
    }
    expect(await store.verifyChain(tenant)).toMatchObject({ ok: true, events: 4 });
  });

  it('hashes the global position: an event moved in the log no longer verifies (old: not hashed)', async () => {
    const tenant = `moved-${randomUUID()}`;
    const r = await store.append({
      tenantId: tenant,
      streamId: `${tenant}-s`,
      streamType: 'evidence',
      expectedVersion: 'no-stream',
      events: [evt(1), evt(2)],
    });
    expect(await store.verifyChain(tenant)).toMatchObject({ ok: true, events: 2 });
    // Identity columns can only be reset to DEFAULT, which takes the next position.
    await db.pool.query('UPDATE event_store.events SET global_position = DEFAULT WHERE event_id = $1', [
      r.events[1].eventId,
    ]);
    expect(await store.verifyChain(tenant)).toMatchObject({
      ok: false,
      reason: 'hash-mismatch',
      eventId: r.events[1].eventId,
    });
  });

  it('upgrades a store created before issue 9: old events get their store type as public type, an empty source and their outbox topic', async () => {
    const old = await createTestDatabase();
    try {
      await runMigrations(
        old.pool,
        'event-store',
        eventStoreMigrations.filter((m) => m.version === 1),
      );
      const recordedAt = '2026-01-02T03:04:05.678Z';
      await old.pool.query(
        `WITH ev AS (
           INSERT INTO event_store.events (event_id, tenant_id, stream_id, stream_type, stream_version, tenant_sequence,
             event_type, data, metadata, recorded_at, prev_hash, hash)
           VALUES ($1, 'acme', 's-1', 'control', 1, 1, 'ControlTested', '{}', '{}', $2, $3, $3)),
         st AS (INSERT INTO event_store.streams VALUES ('s-1', 'acme', 'control', 1, $2)),
         ob AS (INSERT INTO event_store.outbox (event_id, topic, partition_key) VALUES ($1, 'attest.old.v1', 's-1'))
         INSERT INTO event_store.tenant_chains VALUES ('acme', 1, $3)`,
        [randomUUID(), recordedAt, '0'.repeat(64)],
      );
      const upgraded = new PostgresEventStore(old.pool);
      await upgraded.migrate();
      const [event] = (await upgraded.readStream('s-1')).events;
      expect(event).toMatchObject({ ceType: 'ControlTested', source: '', schemaVersion: 1, topic: 'attest.old.v1' });
      // The tenant's time carries on from its last event.
      await old.pool.query(
        `UPDATE event_store.tenant_chains SET last_recorded_at = last_recorded_at + interval '100 years'`,
      );
      const next = await upgraded.append({
        tenantId: 'acme',
        streamId: 's-1',
        streamType: 'control',
        expectedVersion: 1,
        events: [evt(2)],
      });
      expect(next.events[0]).toMatchObject({ tenantSequence: 2, recordedAt: '2126-01-02T03:04:05.678Z' });
    } finally {
      await old.drop();
    }
  });

  it('orders the log by transaction id as a number, not as text', async () => {
    // Transaction ids of 99 and 100 sort the other way round as text; write two such rows directly.
    const db2 = await createTestDatabase();
    try {
      const s2 = new PostgresEventStore(db2.pool);
      await s2.migrate();
      for (const [tx, n] of [
        ['100', 2],
        ['99', 1],
      ] as const) {
        await db2.pool.query(
          `INSERT INTO event_store.events (transaction_id, event_id, tenant_id, stream_id, stream_type, stream_version,
             tenant_sequence, event_type, ce_type, source, data, metadata, recorded_at, prev_hash, hash)
           VALUES ($1::xid8, gen_random_uuid(), 'order', 'order-' || $2::text, 'x', 1, $2::bigint, 'X', 'X', '', '{}', '{}',
             now(), $3, $3)`,
          [tx, n, '0'.repeat(64)],
        );
      }
      const log = await s2.readLog();
      expect(log.map((e) => e.position.transactionId)).toEqual(['99', '100']);
      expect((await s2.readLog(log[0].position)).map((e) => e.position.transactionId)).toEqual(['100']);
    } finally {
      await db2.drop();
    }
  });
});
