import { randomUUID } from 'node:crypto';
import { Decider, DomainError } from '@attest/decider';
import { Aggregate, handleCommand } from './command-handler';
import { PostgresEventStore } from './postgres-event-store';
import { createTestDatabase, TestDatabase } from './test-database';

type Event = { type: 'SampleSelected'; data: { item: string } };
type Command = { type: 'Select'; item: string; max: number };
type State = { items: string[] };

const population: Decider<Command, Event, State> = {
  initialState: () => ({ items: [] }),
  evolve: (s, e) => ({ items: [...s.items, e.data.item] }),
  decide: (c, s) => {
    if (s.items.includes(c.item)) throw new DomainError('duplicate', `${c.item} already selected`);
    if (s.items.length >= c.max) throw new DomainError('full', 'sample is complete');
    return [{ type: 'SampleSelected', data: { item: c.item } }];
  },
};

describe('handleCommand (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool);
    await store.migrate();
  });
  afterAll(() => db.drop());

  it('retries a version conflict by deciding again on fresh state, so concurrent commands both land', async () => {
    const aggregate: Aggregate<Command, Event, State> = { streamType: 'sample', decider: population };
    const target = { tenantId: 'acme', streamId: `sample-${randomUUID()}` };
    const outcomes = await Promise.all(
      ['a', 'b', 'c', 'd'].map((item) =>
        handleCommand(store, aggregate, target, { type: 'Select', item, max: 10 }),
      ),
    );
    expect(outcomes.map((o) => o.version).sort()).toEqual([1, 2, 3, 4]);
    const final = await handleCommand(store, aggregate, target, { type: 'Select', item: 'e', max: 10 });
    expect(final.state.items.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('passes domain refusals through without retrying or writing', async () => {
    const aggregate: Aggregate<Command, Event, State> = { streamType: 'sample', decider: population };
    const target = { tenantId: 'acme', streamId: `sample-${randomUUID()}` };
    await handleCommand(store, aggregate, target, { type: 'Select', item: 'a', max: 1 });
    await expect(
      handleCommand(store, aggregate, target, { type: 'Select', item: 'b', max: 1 }),
    ).rejects.toMatchObject({
      code: 'full',
    });
    expect(await store.streamVersion(target.streamId)).toBe(1);
  });

  it('snapshots long streams and loads from the snapshot plus the events after it', async () => {
    const aggregate: Aggregate<Command, Event, State> = {
      streamType: 'sample',
      decider: population,
      snapshots: { every: 5, schemaVersion: 1 },
    };
    const target = { tenantId: 'acme', streamId: `sample-${randomUUID()}` };
    for (let i = 0; i < 12; i++)
      await handleCommand(store, aggregate, target, { type: 'Select', item: `i${i}`, max: 100 });
    const snap = await db.pool.query(
      'SELECT stream_version, state FROM event_store.snapshots WHERE stream_id = $1',
      [target.streamId],
    );
    expect(snap.rows[0].stream_version).toBe('10');
    expect(snap.rows[0].state.items).toHaveLength(10);
    // Prove the snapshot is used: doctor it, and the next decision sees the doctored state.
    await db.pool.query(
      `UPDATE event_store.snapshots SET state = '{"items": ["i0","i1","i2","i3","i4","i5","i6","i7","i8","x"]}'
      WHERE stream_id = $1`,
      [target.streamId],
    );
    const out = await handleCommand(store, aggregate, target, { type: 'Select', item: 'x', max: 100 }).catch(
      (e) => e,
    );
    expect(out).toBeInstanceOf(DomainError);
    // A snapshot of another state shape is ignored: the stream is folded from the start.
    const v2 = { ...aggregate, snapshots: { every: 5, schemaVersion: 2 } };
    const ok = await handleCommand(store, v2, target, { type: 'Select', item: 'x', max: 100 });
    expect(ok.state.items).toHaveLength(13);
  });
});
