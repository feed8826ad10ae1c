import { randomUUID } from 'node:crypto';
import { ConcurrencyError, TenantMismatchError } from './errors';
import { PostgresEventStore } from './postgres-event-store';
import { LOG_START, RecordedEvent } from './recorded-event';
import { createTestDatabase, TestDatabase } from './test-database';

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
    let writing = true;
    // Tail while writing: an event whose position is taken before a later commit must not be skipped.
    const tailing = (async () => {
      let pos = LOG_START;
      for (;;) {
        const stillWriting = writing;
        const page = await store.readLog(pos, 200);
        tail.push(...page);
        if (page.length) pos = page[page.length - 1].position;
        else if (!stillWriting) return;
        else await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < appendsPerWriter; i++) {
          // Writers share two tenants so chain locks contend, and each owns its own streams.
          await store.append({
            tenantId: `load-${run}-${w % 2}`,
            streamId: `load-${run}-${w}-${i % 4}`,
            streamType: 'load',
            expectedVersion: 'any',
            events: [evt(i), evt(i)],
          });
        }
      }),
    );
    writing = false;
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

  it('writes outbox records in the same transaction as the events they announce', async () => {
    const routed = new PostgresEventStore(db.pool, {
      outbox: (e) => (e.type === 'Internal' ? null : { topic: 'attest.test.events.v1', key: e.streamId }),
    });
    const stream = `outbox-${randomUUID()}`;
    const r = await routed.append({
      tenantId: 't1',
      streamId: stream,
      streamType: 'x',
      expectedVersion: 'no-stream',
      events: [evt(1), { type: 'Internal', data: {} }],
    });
    const rows = await db.pool.query(
      'SELECT event_id, topic, partition_key FROM event_store.outbox WHERE partition_key = $1',
      [stream],
    );
    expect(rows.rows).toEqual([
      { event_id: r.events[0].eventId, topic: 'attest.test.events.v1', partition_key: stream },
    ]);
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
             tenant_sequence, event_type, data, metadata, recorded_at, prev_hash, hash)
           VALUES ($1::xid8, gen_random_uuid(), 'order', 'order-' || $2::text, 'x', 1, $2::bigint, 'X', '{}', '{}', now(), $3, $3)`,
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
