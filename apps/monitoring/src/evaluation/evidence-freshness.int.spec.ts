import { randomUUID } from 'node:crypto';
import { withStoreTransaction } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { EvidenceFreshnessStore } from './evidence-freshness';

jest.setTimeout(60_000);

/**
 * Evidence freshness from the evidence service's events, which Kafka does not order across streams: an item's
 * versions come on its stream, its expiry on a deadline's. Each write answers the controls whose evidence changed.
 */
describe('evidence freshness (PostgreSQL)', () => {
  const store = new EvidenceFreshnessStore('freshness_test');
  const tenant = 'tenant-a';
  const [c1, c2] = [randomUUID(), randomUUID()];
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_freshness');
    await store.setUp(db.pool);
  });
  afterAll(() => db?.drop());

  const inTx = <T>(work: Parameters<typeof withStoreTransaction<T>>[1]) =>
    withStoreTransaction(db.pool, work);
  const evidenceOf = (controlId: string) => store.ofControl(db.pool, tenant, controlId);

  it('follows an item through versions, links, expiry and disposal, ignoring news of older versions', async () => {
    const item = randomUUID();
    expect(await inTx((tx) => store.submitted(tx, tenant, item, [c1]))).toEqual([c1]);
    expect(await inTx((tx) => store.submitted(tx, tenant, item, [c1]))).toEqual([]);
    expect(await evidenceOf(c1)).toEqual([{ itemId: item, freshness: 'fresh' }]);

    // A link adds the control, as fresh as the item is; only the new control's evidence changed.
    expect(await inTx((tx) => store.linked(tx, tenant, item, c2))).toEqual([c2]);
    expect(await inTx((tx) => store.stale(tx, tenant, item, 1, 'expiring'))).toEqual([c1, c2]);
    expect(await inTx((tx) => store.stale(tx, tenant, item, 1, 'expiring'))).toEqual([]);
    expect(await inTx((tx) => store.stale(tx, tenant, item, 1, 'expired'))).toEqual([c1, c2]);
    // Expiring after expired (a late event) does not make it better.
    expect(await inTx((tx) => store.stale(tx, tenant, item, 1, 'expiring'))).toEqual([]);
    expect(await evidenceOf(c2)).toEqual([{ itemId: item, freshness: 'expired' }]);

    // A new version is fresh; the old version's expiry arriving late changes nothing.
    expect(await inTx((tx) => store.versioned(tx, tenant, item, 2))).toEqual([c1, c2]);
    expect(await inTx((tx) => store.stale(tx, tenant, item, 1, 'expired'))).toEqual([]);
    expect(await evidenceOf(c1)).toEqual([{ itemId: item, freshness: 'fresh' }]);

    // Version 3's expiry before its versioned event: expired, and the late versioned event does not undo it.
    expect(await inTx((tx) => store.stale(tx, tenant, item, 3, 'expired'))).toEqual([c1, c2]);
    expect(await inTx((tx) => store.versioned(tx, tenant, item, 3))).toEqual([]);
    expect(await evidenceOf(c1)).toEqual([{ itemId: item, freshness: 'expired' }]);

    expect(await inTx((tx) => store.gone(tx, tenant, item))).toEqual([c1, c2]);
    expect(await evidenceOf(c1)).toEqual([]);
    expect(await store.ofControl(db.pool, 'tenant-b', c1)).toEqual([]);
  });
});
