import { controlSetIdFor } from '@attest/control-mapping-domain';
import { createTestDatabase, transactionHoldingAnId, type TestDatabase } from '@attest/event-store/testing';
import { waitFor } from '@attest/messaging/testing';
import {
  ACME,
  GLOBEX,
  startControlMapping,
  USERS,
  type RunningControlMapping,
} from './testing/control-mapping-test-app';

// The old code answered the create below only after its 10 s read-your-writes wait gave up.
jest.setTimeout(60_000);

/**
 * A write answers with what it wrote although other transactions are open on the server. The log (and with it
 * every projection) is read only below transactions in flight; a command waits for its read models before answering
 * from them, and gave up after 10 s with a 404 for the resource it had just created.
 */
describe('control-mapping read-your-writes under open transactions (real PostgreSQL)', () => {
  let db: TestDatabase;
  let elsewhere: TestDatabase;
  let service: RunningControlMapping;

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_ryw');
    elsewhere = await createTestDatabase('attest_cm_ryw_other');
    service = await startControlMapping({ pool: db.pool });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
    await elsewhere?.drop();
  });

  const behindWarnings = () =>
    service.logs.filter((l) => l['message'] === 'read model is behind the write; answering anyway');

  it('creates a control set (201, body, ETag) while a transaction in ANOTHER database holds an older id (old: 404 after 10 s)', async () => {
    // Another service's or test's transaction on the same server: its id is older than the create's append, so the
    // cluster-wide pg_snapshot_xmin stayed below the append until it ended, and the read model never saw it.
    const holder = await transactionHoldingAnId(elsewhere.url);
    try {
      const started = Date.now();
      const res = await service
        .as(USERS.manager)
        .post('/control-sets')
        .send({ categories: ['confidentiality'] });
      expect({ status: res.status, body: res.body }).toMatchObject({
        status: 201,
        body: { controlSetId: controlSetIdFor(ACME) },
      });
      expect(res.headers['etag']).toBe('"1"');
      expect(behindWarnings()).toEqual([]);
      // Well inside the read-your-writes deadline (10 s), which the old code always ran into here.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await holder.end();
    }
  });

  it('waits for an older transaction in its OWN database, then answers with the write (never before the read model has it)', async () => {
    // Such a transaction may still append events that come before the write in the log, so the read model must not
    // pass it: the command waits. Here it ends once the create's events are committed, well before the deadline.
    const holder = await transactionHoldingAnId(db.url);
    const globexSet = controlSetIdFor(GLOBEX);
    const committed = async () =>
      Number(
        (
          await db.pool.query('SELECT count(*) AS n FROM event_store.events WHERE stream_id = $1', [
            globexSet,
          ])
        ).rows[0].n,
      ) > 0;
    const released = (async () => {
      try {
        await waitFor('the create to commit its events', committed, 20_000, 20);
      } finally {
        await holder.end();
      }
    })();
    try {
      const res = await service
        .as(USERS.globexManager)
        .post('/control-sets')
        .send({ categories: ['confidentiality'] });
      expect({ status: res.status, body: res.body }).toMatchObject({
        status: 201,
        body: { controlSetId: globexSet },
      });
      expect(res.headers['etag']).toBe('"1"');
      expect(behindWarnings()).toEqual([]);
    } finally {
      await released;
    }
  });
});
