import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from './postgres-event-store';
import { LOG_START } from './recorded-event';
import { createTestDatabase, TestDatabase } from './test-database';
import { waitUntilReadable } from './test-waits';
import type { EventUpcasters } from './upcasting';

/**
 * Worked example: `ControlOwnerAssigned` changed incompatibly. Version 1 carried the owner as a display name;
 * version 2 carries a person `{ id, name }`. Events written years ago stay as they were stored (the hash chain
 * covers their bytes); today's code reads them as version 2.
 */
interface OwnerV2 {
  owner: { id: string | null; name: string };
}
const upcasters: EventUpcasters = {
  control: {
    ControlOwnerAssigned: {
      currentVersion: 2,
      steps: { 1: (d: { owner: string }) => ({ data: { owner: { id: null, name: d.owner } } }) },
    },
  },
};

/** Today's `evolve`: it only knows version 2. */
const ownerOf = (state: string | null, e: { type: string; data: unknown }) =>
  e.type === 'ControlOwnerAssigned' ? (e.data as OwnerV2).owner.name : state;

describe('stored-event evolution (real PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await new PostgresEventStore(db.pool).migrate();
  });
  afterAll(() => db.drop());

  it('reads an event stored at version 1 as version 2 and the chain still verifies (old: raw v1 data)', async () => {
    const tenantId = `evo-${randomUUID()}`;
    const streamId = `control-${randomUUID()}`;
    const stream = { tenantId, streamId, streamType: 'control' };
    // Years ago: the service had no upcasters and wrote version 1.
    const then = new PostgresEventStore(db.pool);
    await then.append({
      ...stream,
      expectedVersion: 'no-stream',
      events: [{ type: 'ControlOwnerAssigned', data: { owner: 'Ada Lovelace' } }],
    });

    const today = new PostgresEventStore(db.pool, { upcasters });
    const appended = await today.append({
      ...stream,
      expectedVersion: 1,
      events: [{ type: 'ControlOwnerAssigned', data: { owner: { id: 'p-2', name: 'Grace Hopper' } } }],
    });
    expect(appended.events[0].schemaVersion).toBe(2);

    const { events } = await today.readStream(streamId);
    expect(events.map((e) => [e.schemaVersion, e.data])).toEqual([
      [2, { owner: { id: null, name: 'Ada Lovelace' } }],
      [2, { owner: { id: 'p-2', name: 'Grace Hopper' } }],
    ]);
    expect(events.slice(0, 1).reduce(ownerOf, null)).toBe('Ada Lovelace');
    expect(events.reduce(ownerOf, null)).toBe('Grace Hopper');

    // The log is read upcasted too; the stored form (what the chain hashes and the relay publishes) is unchanged.
    await waitUntilReadable(db.pool, appended.events[0].position);
    const log = (await today.readLog(LOG_START, 100)).filter((e) => e.streamId === streamId);
    expect(log.map((e) => e.data)).toEqual(events.map((e) => e.data));
    const storedLog = (await today.readLog(LOG_START, 100, { stored: true })).filter((e) => e.streamId === streamId);
    expect(storedLog[0]).toMatchObject({ schemaVersion: 1, data: { owner: 'Ada Lovelace' } });
    expect((await today.readStream(streamId, 0, { stored: true })).events[0].data).toEqual({ owner: 'Ada Lovelace' });
    expect(await today.verifyChain(tenantId)).toMatchObject({ ok: true, events: 2 });
  });
});
