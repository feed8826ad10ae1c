import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { appendNotifierFor, notifyAfterCommit, withStoreTransaction } from './append-notifier';
import { subscribeToLog } from './log-subscription';
import { PostgresEventStore, StreamAppend } from './postgres-event-store';
import type { RecordedEvent } from './recorded-event';
import { createTestDatabase, TestDatabase } from './test-database';
import { waitUntil, waitUntilReadable } from './test-waits';

/**
 * Far longer than the deadline for reading an append once it is readable (the server's other transactions may hold
 * the whole log back for a while first): a follower that reads it in time was woken by LISTEN/NOTIFY, not its poll.
 */
const POLL_INTERVAL_MS = 120_000;
const WAKE_DEADLINE_MS = 10_000;

describe('append notifications (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool);
    await store.migrate();
  });
  afterAll(() => db.drop());

  const appendTo = (streamId: string): StreamAppend => ({
    tenantId: 'acme',
    streamId,
    streamType: 'control',
    expectedVersion: 'any',
    events: [{ type: 'ControlTested', data: {} }],
  });

  /** A follower of the log that polls only every minute; resolves once it has read `sentinel`. */
  async function follower() {
    const seen: RecordedEvent[] = [];
    const stop = new AbortController();
    // A sentinel read proves the follower is listening (it LISTENs before its first read) and waiting.
    const sentinel = await store.append(appendTo(`sentinel-${randomUUID()}`));
    await waitUntilReadable(db.pool, sentinel.events[0].position);
    const following = subscribeToLog(store, async (events) => void seen.push(...events), {
      pollIntervalMs: POLL_INTERVAL_MS,
      signal: stop.signal,
    });
    const sees = (eventId: string) => seen.some((e) => e.eventId === eventId);
    await waitUntil('the follower read the sentinel', async () => sees(sentinel.events[0].eventId));
    return {
      sees,
      async stop() {
        stop.abort();
        await following;
      },
    };
  }

  it('wakes a waiting follower within seconds of an append, long before its poll interval (fails if NOTIFY is broken)', async () => {
    const f = await follower();
    try {
      const { events } = await store.append(appendTo(`woken-${randomUUID()}`));
      await waitUntilReadable(db.pool, events[0].position);
      await waitUntil('the follower read the append', async () => f.sees(events[0].eventId), WAKE_DEADLINE_MS);
    } finally {
      await f.stop();
    }
  });

  it('wakes it for appends made in the caller’s transaction once the caller commits', async () => {
    const f = await follower();
    try {
      const { events } = await withStoreTransaction(db.pool, (tx) =>
        store.appendInTransaction(tx, [appendTo(`in-tx-${randomUUID()}`)]),
      );
      await waitUntilReadable(db.pool, events[0].position);
      await waitUntil('the follower read the append', async () => f.sees(events[0].eventId), WAKE_DEADLINE_MS);

      // A caller managing its own transaction (a consumer) calls notifyAfterCommit itself.
      const tx = await db.pool.connect();
      let appended: RecordedEvent[];
      try {
        await tx.query('BEGIN');
        ({ events: appended } = await store.appendInTransaction(tx, [appendTo(`own-tx-${randomUUID()}`)]));
        await tx.query('COMMIT');
        notifyAfterCommit(tx);
      } finally {
        tx.release();
      }
      await waitUntilReadable(db.pool, appended[0].position);
      await waitUntil('the follower read the append', async () => f.sees(appended[0].eventId), WAKE_DEADLINE_MS);
    } finally {
      await f.stop();
    }
  });

  it('ending the pool right after an append neither fails nor leaves a notification behind', async () => {
    const pool = new Pool({ connectionString: db.url, max: 2 });
    const short = new PostgresEventStore(pool);
    await short.append(appendTo(`ending-${randomUUID()}`));
    await short.append(appendTo(`ending-${randomUUID()}`)); // queued behind the first notification
    await pool.end(); // waits for the notification in flight; the queued one finds the pool ending
    await appendNotifierFor(pool).idle();
  });
});
