import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { LogOrderConflictError } from './errors';
import { PostgresEventStore, StreamAppend } from './postgres-event-store';
import { compareLogPositions, LOG_START, LogPosition } from './recorded-event';
import { createTestDatabase, TestDatabase } from './test-database';
import { waitUntil, waitUntilReadable } from './test-waits';

// A transaction's id (the log's first sort key) is taken at its first write, not at its append. These tests catch
// the old behaviour: a transaction that wrote before another appended to the same stream could still append after
// it, and the log (relay, projections) then gave version 2 before version 1.
describe('log order follows append order within a tenant (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('attest_it_log_order');
    store = new PostgresEventStore(db.pool);
    await store.migrate();
  });
  afterAll(() => db.drop());

  const appendTo = (
    tenantId: string,
    streamId: string,
    expectedVersion: StreamAppend['expectedVersion'],
    n: number,
  ): StreamAppend => ({
    tenantId,
    streamId,
    streamType: 'control',
    expectedVersion,
    events: [{ type: 'ControlTested', data: { n } }],
  });

  /** The stream's versions in log order, once the log is readable past `last`. */
  async function logVersionsOf(streamId: string, last: LogPosition): Promise<number[]> {
    await waitUntilReadable(db.pool, last);
    const log = await store.readLog(LOG_START, 10_000);
    return log.filter((e) => e.streamId === streamId).map((e) => e.streamVersion);
  }

  async function inTransaction<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    const tx = await db.pool.connect();
    try {
      await tx.query('BEGIN');
      const result = await work(tx);
      await tx.query('COMMIT');
      return result;
    } catch (err) {
      await tx.query('ROLLBACK');
      throw err;
    } finally {
      tx.release();
    }
  }

  it('refuses an append in a transaction that wrote before a later append of the tenant; a new transaction succeeds', async () => {
    const tenant = `t-${randomUUID()}`;
    const stream = `control-${randomUUID()}`;
    const a = await db.pool.connect();
    try {
      // A consumer transaction: its first write (here: forcing an id) comes before B's append.
      await a.query('BEGIN');
      await a.query('SELECT pg_current_xact_id()');
      const b = await store.append(appendTo(tenant, stream, 'no-stream', 1));
      // Old code: appended (v2 with A's older id) and the log read v2, v1.
      await expect(store.appendInTransaction(a, [appendTo(tenant, stream, 1, 2)])).rejects.toBeInstanceOf(
        LogOrderConflictError,
      );
      await a.query('ROLLBACK');

      const retried = await inTransaction((tx) =>
        store.appendInTransaction(tx, [appendTo(tenant, stream, 1, 2)]),
      );
      expect(compareLogPositions(retried.events[0].position, b.events[0].position)).toBeGreaterThan(0);
      expect(await logVersionsOf(stream, retried.events[0].position)).toEqual([1, 2]);
    } finally {
      await a.query('ROLLBACK').catch(() => undefined);
      a.release();
    }
  });

  it('keeps stream order in the log when an appendBatch waits for a tenant head another transaction holds', async () => {
    const [t1, t2] = [`t1-${randomUUID()}`, `t2-${randomUUID()}`];
    const stream = `control-${randomUUID()}`;
    await store.appendBatch([
      appendTo(t1, `control-${randomUUID()}`, 'any', 0),
      appendTo(t2, `control-${randomUUID()}`, 'any', 0),
    ]);
    const lockWaiters = async () =>
      Number(
        (
          await db.pool.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        ).rows[0].n,
      );

    const hold = await db.pool.connect();
    try {
      // An append to t1 in progress.
      await hold.query('BEGIN');
      await store.appendInTransaction(hold, [appendTo(t1, `control-${randomUUID()}`, 'any', 0)]);
      // X waits for t1 (old code: already holding its transaction id).
      const x = store.appendBatch([
        appendTo(t1, `control-${randomUUID()}`, 'any', 0),
        appendTo(t2, stream, 'any', 0),
      ]);
      await waitUntil('X waits for t1', async () => (await lockWaiters()) === 1);
      // Y, a later transaction, appends to the same t2 stream: now, or after X if X already holds t2.
      let yDone = false;
      const y = store.appendBatch([appendTo(t2, stream, 'any', 0)]).finally(() => (yDone = true));
      await waitUntil('Y appended or waits', async () => yDone || (await lockWaiters()) === 2);
      await hold.query('COMMIT');

      const events = [...(await x).events, ...(await y).events].filter((e) => e.streamId === stream);
      const last = events.map((e) => e.position).sort(compareLogPositions)[1];
      // Old code: X appended v2 with its older id, so the log read v2 before v1.
      expect(await logVersionsOf(stream, last)).toEqual([1, 2]);
    } finally {
      await hold.query('ROLLBACK').catch(() => undefined);
      hold.release();
    }
  });
});
