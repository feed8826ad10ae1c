import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from './postgres-event-store';
import { LOG_START } from './recorded-event';
import { createTestDatabase, TestDatabase, transactionHoldingAnId } from './test-database';
import { waitUntil } from './test-waits';

// The old gate was the cluster-wide pg_snapshot_xmin: the first test caught it (the append stayed unreadable until
// the other database's transaction ended), which stalled every projection, relay and read-your-writes wait.
describe('how far the log is readable (real PostgreSQL)', () => {
  let db: TestDatabase;
  let elsewhere: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('attest_it_horizon');
    elsewhere = await createTestDatabase('attest_it_horizon_other');
    store = new PostgresEventStore(db.pool);
    await store.migrate();
  });
  afterAll(async () => {
    await db.drop();
    await elsewhere.drop();
  });

  const appendOne = (streamId: string) =>
    store.append({
      tenantId: 'tenant-a',
      streamId,
      streamType: 'control',
      expectedVersion: 'no-stream',
      events: [{ type: 'ControlTested', data: {} }],
    });
  const logHas = async (streamId: string) =>
    (await store.readLog(LOG_START, 10_000)).some((e) => e.streamId === streamId);

  it('reads an append at once although a transaction in another database holds an older id', async () => {
    const holder = await transactionHoldingAnId(elsewhere.url);
    try {
      const streamId = `horizon-${randomUUID()}`;
      await appendOne(streamId);
      // Deadline well below how long the holder stays open (until the end of this test).
      await waitUntil('the append to be readable', () => logHas(streamId), 5_000);
    } finally {
      await holder.end();
    }
  });

  it('holds an append back while an older transaction of its own database is open (it may still append before it)', async () => {
    const holder = await transactionHoldingAnId(db.url);
    const streamId = `horizon-${randomUUID()}`;
    try {
      await appendOne(streamId);
      expect(await logHas(streamId)).toBe(false);
    } finally {
      await holder.end();
    }
    await waitUntil(
      'the append to be readable once the older transaction ended',
      () => logHas(streamId),
      45_000,
    );
  });
});
