import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { Decider } from '@attest/decider';
import { LogOrderConflictError, PostgresEventStore } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import type { AggregateDeclaration } from './aggregate-declaration';
import { systemContext } from './command-context';
import { CommandPipeline } from './command-pipeline';

// A ledger posts an entry per command: not idempotent, so every append shows.
type LedgerCommand = { type: 'Post'; ledgerId: string; amount: number };
type LedgerEvent = { type: 'EntryPosted'; data: { amount: number } };
type LedgerState = { entries: number; total: number };

const ledgerDecider: Decider<LedgerCommand, LedgerEvent, LedgerState> = {
  initialState: () => ({ entries: 0, total: 0 }),
  evolve: (s, e) => ({ entries: s.entries + 1, total: s.total + e.data.amount }),
  decide: (c) => [{ type: 'EntryPosted', data: { amount: c.amount } }],
};

class LedgerNotFound extends Error {}

function ledgerAggregate(
  overrides: Partial<AggregateDeclaration<LedgerCommand, LedgerEvent, LedgerState>> = {},
): AggregateDeclaration<LedgerCommand, LedgerEvent, LedgerState> {
  return {
    streamType: 'ledger',
    decider: ledgerDecider,
    streamIdOf: (c) => c.ledgerId,
    notFound: (id) => new LedgerNotFound(`ledger ${id} does not exist`),
    ...overrides,
  };
}

const post = (ledgerId: string, amount = 1): LedgerCommand => ({ type: 'Post', ledgerId, amount });

describe("CommandPipeline in the caller's transaction (real PostgreSQL)", () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pipeline: CommandPipeline;
  const tenant = systemContext('tenant-tx', 'tx-test');

  beforeAll(async () => {
    db = await createTestDatabase('attest_pipe_tx');
    store = new PostgresEventStore(db.pool);
    await store.migrate();
    await db.pool.query('CREATE TABLE caller_writes (note text PRIMARY KEY)');
    pipeline = new CommandPipeline({ store });
  });
  afterAll(async () => {
    await db.drop();
  });

  /** A client inside BEGIN, as a consumer hands it to its handler. */
  async function begin(): Promise<PoolClient> {
    const tx = await db.pool.connect();
    await tx.query('BEGIN');
    return tx;
  }

  const eventsOf = async (streamId: string) =>
    (await store.readStream(streamId)).events.map((e) => [e.streamVersion, e.data]);
  const callerWrites = async () =>
    (await db.pool.query<{ note: string }>('SELECT note FROM caller_writes ORDER BY note')).rows.map(
      (r) => r.note,
    );

  it("appends in the caller's transaction: nothing is visible before its COMMIT, and a ROLLBACK takes it all back", async () => {
    // Old behaviour: run() always appended through appendBatch, committing on its own connection at once.
    const ledgerId = `ledger-${randomUUID()}`;
    const rolledBack = await begin();
    try {
      const outcome = await pipeline.run(ledgerAggregate(), tenant, post(ledgerId, 5), { tx: rolledBack });
      expect(outcome).toMatchObject({ version: 1, state: { entries: 1, total: 5 } });
      expect(await eventsOf(ledgerId)).toEqual([]);
    } finally {
      await rolledBack.query('ROLLBACK');
      rolledBack.release();
    }
    expect(await eventsOf(ledgerId)).toEqual([]);

    const committed = await begin();
    try {
      await committed.query(`INSERT INTO caller_writes VALUES ('with ${ledgerId}')`);
      await pipeline.run(ledgerAggregate(), tenant, post(ledgerId, 7), { tx: committed });
      await committed.query('COMMIT');
    } finally {
      committed.release();
    }
    expect(await eventsOf(ledgerId)).toEqual([[1, { amount: 7 }]]);
    expect(await callerWrites()).toContain(`with ${ledgerId}`);
  });

  it("loads through the transaction, so a second command decides on the first one's uncommitted events; snapshots too", async () => {
    const ledgerId = `ledger-${randomUUID()}`;
    const aggregate = ledgerAggregate({ snapshots: { every: 2, schemaVersion: 1 } });
    const tx = await begin();
    try {
      for (const amount of [1, 2, 3]) await pipeline.run(aggregate, tenant, post(ledgerId, amount), { tx });
      expect(await pipeline.load(aggregate, tenant.tenantId, ledgerId, { tx })).toEqual({
        version: 3,
        state: { entries: 3, total: 6 },
      });
      // Outside the transaction none of it exists yet, the snapshot included.
      expect(await pipeline.load(aggregate, tenant.tenantId, ledgerId)).toEqual({
        version: 0,
        state: { entries: 0, total: 0 },
      });
      const snapshot = await tx.query(
        'SELECT stream_version FROM event_store.snapshots WHERE stream_id = $1',
        [ledgerId],
      );
      expect(snapshot.rows).toEqual([{ stream_version: '2' }]);
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    expect(await eventsOf(ledgerId)).toEqual([
      [1, { amount: 1 }],
      [2, { amount: 2 }],
      [3, { amount: 3 }],
    ]);
  });

  it("decides again after losing a race, inside the transaction, keeping the caller's earlier writes", async () => {
    const ledgerId = `ledger-${randomUUID()}`;
    let decisions = 0;
    const tx = await begin();
    const aggregate = ledgerAggregate({
      // The first decision loses: another writer appends to the same ledger between its load and its append. The
      // caller writes after that append committed: written before, its append is refused (next test).
      prepare: async (command) => {
        if (++decisions === 1) {
          await pipeline.run(ledgerAggregate(), tenant, post(ledgerId, 100));
          await tx.query(`INSERT INTO caller_writes VALUES ('before ${ledgerId}')`);
        }
        return command;
      },
    });
    try {
      const outcome = await pipeline.run(aggregate, tenant, post(ledgerId, 1), { tx });
      expect(outcome).toMatchObject({ version: 2, state: { entries: 2, total: 101 } });
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    expect(decisions).toBe(2);
    expect(await eventsOf(ledgerId)).toEqual([
      [1, { amount: 100 }],
      [2, { amount: 1 }],
    ]);
    expect(await callerWrites()).toContain(`before ${ledgerId}`);
  });

  it('a transaction that wrote before another append to the tenant is refused (LogOrderConflictError), not retried in it', async () => {
    // A retry in the same transaction keeps its older transaction id, which would put its events before the other
    // append's in the log: only a new transaction may retry.
    const ledgerId = `ledger-${randomUUID()}`;
    let decisions = 0;
    const aggregate = ledgerAggregate({
      prepare: async (command) => {
        if (++decisions === 1) await pipeline.run(ledgerAggregate(), tenant, post(ledgerId, 100));
        return command;
      },
    });
    const tx = await begin();
    try {
      await tx.query(`INSERT INTO caller_writes VALUES ('refused ${ledgerId}')`);
      await expect(pipeline.run(aggregate, tenant, post(ledgerId, 1), { tx })).rejects.toBeInstanceOf(
        LogOrderConflictError,
      );
      expect(decisions).toBe(1);
    } finally {
      await tx.query('ROLLBACK');
      tx.release();
    }
    const retry = await begin();
    try {
      await retry.query(`INSERT INTO caller_writes VALUES ('retried ${ledgerId}')`);
      await pipeline.run(aggregate, tenant, post(ledgerId, 1), { tx: retry });
      await retry.query('COMMIT');
    } finally {
      retry.release();
    }
    expect(await eventsOf(ledgerId)).toEqual([
      [1, { amount: 100 }],
      [2, { amount: 1 }],
    ]);
    expect(await callerWrites()).toContain(`retried ${ledgerId}`);
    expect(await callerWrites()).not.toContain(`refused ${ledgerId}`);
  });

  it("a failed append (another tenant created the stream meanwhile) leaves the caller's transaction usable", async () => {
    // The append fails in SQL (a unique violation aborts a transaction): without the savepoint around it, the
    // retry's load and every later statement of the caller would fail with "current transaction is aborted".
    const ledgerId = `ledger-${randomUUID()}`;
    const other = await begin();
    const tx = await begin();
    try {
      await store.appendInTransaction(other, [
        {
          tenantId: 'tenant-other',
          streamId: ledgerId,
          streamType: 'ledger',
          expectedVersion: 'no-stream',
          events: [{ type: 'EntryPosted', data: { amount: 9 } }],
        },
      ]);
      const pid = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const running = pipeline.run(ledgerAggregate(), tenant, post(ledgerId, 1), { tx });
      running.catch(() => undefined);
      // Both transactions create the stream; ours waits on the other's uncommitted row, then collides with it.
      await waitUntil(async () => {
        const r = await db.pool.query('SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1', [pid]);
        return r.rows[0]?.wait_event_type === 'Lock';
      });
      await other.query('COMMIT');
      await expect(running).rejects.toBeInstanceOf(LedgerNotFound);

      await tx.query(`INSERT INTO caller_writes VALUES ('after ${ledgerId}')`);
      await tx.query('COMMIT');
    } finally {
      other.release();
      tx.release();
    }
    expect(await callerWrites()).toContain(`after ${ledgerId}`);
    expect(await eventsOf(ledgerId)).toEqual([[1, { amount: 9 }]]);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the append to block');
    await new Promise((r) => setTimeout(r, 20));
  }
}
