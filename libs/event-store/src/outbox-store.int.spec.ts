import { randomUUID } from 'node:crypto';
import { eventStoreMigrations } from './event-store-schema';
import { runMigrations } from './migrations';
import { type OutboxRecord, OutboxStore } from './outbox-store';
import { PostgresEventStore } from './postgres-event-store';
import { LOG_START, type LogPosition } from './recorded-event';
import { createTestDatabase, TestDatabase } from './test-database';

const TOPIC = 'attest.outboxstoretest.events.v1';

/**
 * The relay reads only transactions older than every one in flight in its database (log-horizon.ts), so a commit
 * shows up once concurrent transactions there have ended: poll for it, with a deadline.
 */
async function readWhen(
  relay: OutboxStore,
  from: LogPosition,
  limit: number,
  done: (records: OutboxRecord[]) => boolean,
): Promise<OutboxRecord[]> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const records = await relay.nextBatch(from, limit);
    if (records === null) throw new Error('fenced');
    if (done(records)) return records;
    if (Date.now() > deadline) throw new Error(`read ${records.length} records, not the ones expected`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('OutboxStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool, {
      source: '/attest/outboxstoretest',
      outbox: (e) => ({ topic: TOPIC, ceType: `io.attest.outboxstoretest.${e.type}.v1` }),
    });
    await store.migrate();
  });
  afterAll(() => db.drop());

  const appendOne = (data: unknown) =>
    store.append({
      tenantId: 'tenant-1',
      streamId: `stream-${randomUUID()}`,
      streamType: 'sample',
      expectedVersion: 'no-stream',
      events: [{ type: 'SampleRecorded', data }],
    });

  /** Ends the session holding the relay lock, as an operator or a failover would; resolves once it is gone. */
  async function killLeaseSession(): Promise<void> {
    const r = await db.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(r.rows).toHaveLength(1);
    await db.pool.query('SELECT pg_terminate_backend($1, 5000)', [r.rows[0].pid]);
  }

  // Old code: acquireLease() answered from memory, so a holder whose session had been killed (not yet noticed)
  // still said true while another relay held the lease, and nothing fenced its writes.
  it('fences a holder whose session was killed: it answers false, reads nothing and cannot move the checkpoint', async () => {
    const a = new OutboxStore(db.pool);
    const b = new OutboxStore(db.pool);
    try {
      expect(await a.acquireLease()).toBe(true);
      expect(await b.acquireLease()).toBe(false);
      const stale = a.lease!;

      await killLeaseSession();
      expect(await b.acquireLease()).toBe(true);
      expect(b.lease!.epoch).toBe(stale.epoch + 1);

      // Whether or not `a` has noticed its session is gone, every statement it makes as holder is refused.
      await appendOne({ n: 1 });
      expect(await a.nextBatch(LOG_START, 10)).toBeNull();
      expect(await a.advance({ transactionId: '999999999', globalPosition: 1 })).toBe(false);
      expect(await a.acquireLease()).toBe(false);
      expect(await readWhen(b, b.lease!.checkpoint, 10, (r) => r.length === 1)).toHaveLength(1);
    } finally {
      await a.releaseLease();
      await b.releaseLease();
    }
  });

  it('checks the epoch in the same statement: a holder whose epoch moved on is refused while its session lives', async () => {
    const a = new OutboxStore(db.pool);
    try {
      expect(await a.acquireLease()).toBe(true);
      const { checkpoint } = a.lease!;
      await appendOne({ n: 1 });
      const [record] = await readWhen(a, checkpoint, 1, (r) => r.length === 1);
      // Another relay took over without `a` noticing (its lock gone with a session it has not used since).
      await db.pool.query('UPDATE event_store.relay_checkpoint SET epoch = epoch + 1');
      expect(await a.nextBatch(checkpoint, 10)).toBeNull();
      expect(await a.advance(record.event.position)).toBe(false);
      expect(await a.recordDeadLetter(record, 'refused', 'stale')).toBe(false);
      expect((await a.checkpoint()).globalPosition).toBe(checkpoint.globalPosition);
    } finally {
      await a.releaseLease();
    }
  });

  it('reads published events after a position in log order, data as its stored JSON text, and moves the checkpoint', async () => {
    const relay = new OutboxStore(db.pool);
    try {
      expect(await relay.acquireLease()).toBe(true);
      // From the end of the log: earlier tests appended.
      const end = await db.pool.query<{ transaction_id: string; global_position: string }>(
        `SELECT transaction_id::text AS transaction_id, global_position FROM event_store.events
         ORDER BY events.transaction_id DESC, global_position DESC LIMIT 1`,
      );
      const from = {
        transactionId: end.rows[0].transaction_id,
        globalPosition: Number(end.rows[0].global_position),
      };
      expect(await relay.advance(from)).toBe(true);
      const first = await appendOne({ b: 'x', a: [1, 2.5, { c: null }] });
      const second = await appendOne({ n: 2 });
      expect(await relay.pendingCount()).toBe(2);

      const batch = await readWhen(relay, from, 10, (r) => r.length === 2);
      expect(batch.map((r) => r.event.eventId)).toEqual([first.events[0].eventId, second.events[0].eventId]);
      const stored = await db.pool.query<{ data: string }>(
        'SELECT data::text AS data FROM event_store.events WHERE event_id = $1',
        [first.events[0].eventId],
      );
      expect(batch[0].data).toBe(stored.rows[0].data);
      expect(batch[0].event).toMatchObject({
        topic: TOPIC,
        ceType: 'io.attest.outboxstoretest.SampleRecorded.v1',
        source: '/attest/outboxstoretest',
        hash: first.events[0].hash,
      });
      expect(await relay.nextBatch(from, 1)).toHaveLength(1);

      expect(await relay.advance(batch[1].event.position)).toBe(true);
      expect(await relay.pendingCount()).toBe(0);
      expect(await relay.nextBatch(batch[1].event.position, 10)).toEqual([]);
    } finally {
      await relay.releaseLease();
    }
  });

  it('records a dead letter once per event', async () => {
    const relay = new OutboxStore(db.pool);
    try {
      expect(await relay.acquireLease()).toBe(true);
      const from = relay.lease!.checkpoint;
      const { events } = await appendOne({ big: true });
      const [record] = (
        await readWhen(relay, from, 1000, (r) => r.some((x) => x.event.eventId === events[0].eventId))
      ).filter((r) => r.event.eventId === events[0].eventId);
      expect(await relay.recordDeadLetter(record, 'refused', 'MESSAGE_TOO_LARGE: first')).toBe(true);
      expect(await relay.recordDeadLetter(record, 'refused', 'MESSAGE_TOO_LARGE: again')).toBe(true);
      const rows = await db.pool.query(
        'SELECT event_id, topic, reason, error FROM event_store.relay_dead_letters',
      );
      expect(rows.rows).toEqual([
        { event_id: events[0].eventId, topic: TOPIC, reason: 'refused', error: 'MESSAGE_TOO_LARGE: again' },
      ]);
    } finally {
      await relay.releaseLease();
    }
  });
});

describe('relay checkpoint migration (real PostgreSQL)', () => {
  // Plus 7 (tenant heads record the last appending transaction), which today's store needs to append the events.
  const before = eventStoreMigrations.filter((m) => m.version < 4 || m.version === 7);

  async function outboxDatabase(
    sent: (index: number) => boolean,
  ): Promise<{ db: TestDatabase; ids: string[] }> {
    const db = await createTestDatabase();
    await runMigrations(db.pool, 'event-store', before);
    const store = new PostgresEventStore(db.pool, {
      source: '/attest/migrationtest',
      outbox: () => ({ topic: TOPIC, ceType: 'io.attest.migrationtest.sample.v1' }),
    });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { events } = await store.append({
        tenantId: 'tenant-1',
        streamId: `stream-${i}`,
        streamType: 'sample',
        expectedVersion: 'no-stream',
        events: [{ type: 'SampleRecorded', data: { i } }],
      });
      ids.push(events[0].eventId);
    }
    // What the previous relay left: an outbox record per event, the first ones sent.
    for (const [i, id] of ids.entries()) {
      await db.pool.query(
        `INSERT INTO event_store.outbox (event_id, topic, partition_key, sent_at) VALUES ($1, $2, $3, $4)`,
        [id, TOPIC, `stream-${i}`, sent(i) ? new Date() : null],
      );
    }
    return { db, ids };
  }

  it('starts the relay just before the oldest record the outbox had not sent, and drops the outbox', async () => {
    const { db, ids } = await outboxDatabase((i) => i < 2);
    try {
      await runMigrations(db.pool, 'event-store', eventStoreMigrations);
      const relay = new OutboxStore(db.pool);
      try {
        expect(await relay.acquireLease()).toBe(true);
        const batch = await readWhen(relay, relay.lease!.checkpoint, 10, (r) => r.length === 2);
        expect(batch.map((r) => r.event.eventId)).toEqual(ids.slice(2));
      } finally {
        // A lease left checked out would make the pool's end, and so drop(), wait forever.
        await relay.releaseLease();
      }
      const outbox = await db.pool.query("SELECT to_regclass('event_store.outbox') AS t");
      expect(outbox.rows[0].t).toBeNull();
    } finally {
      await db.drop();
    }
  });

  it('starts at the end of the log when the outbox had sent everything', async () => {
    const { db } = await outboxDatabase(() => true);
    try {
      await runMigrations(db.pool, 'event-store', eventStoreMigrations);
      expect(await new OutboxStore(db.pool).pendingCount()).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
