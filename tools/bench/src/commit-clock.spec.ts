import type { Pool } from 'pg';
import { CommitClock, reportCommits } from './commit-clock';

describe('CommitClock', () => {
  const startedAt = Float64Array.from([0, 10, 20]);

  it('counts an event only when its transaction commits, with latency from its start', () => {
    const clock = new CommitClock(startedAt);
    const tx = {};
    clock.handled(tx, 'a', 1);
    expect(clock.count).toBe(0); // handled but not committed: the old benchmark counted it here
    clock.committed(tx, 50);
    expect(clock.count).toBe(1);
    expect(clock.latencies).toEqual([40]);
  });

  it('forgets what a rolled-back transaction handled, so a re-run after a fallback counts once', () => {
    const clock = new CommitClock(startedAt);
    const run = {};
    clock.handled(run, 'a', 1);
    clock.handled(run, 'b', 2);
    clock.rolledBack(run);
    const single = {};
    clock.handled(single, 'a', 1);
    clock.committed(single, 100);
    clock.handled(single, 'b', 2);
    clock.committed(single, 120);
    expect(clock.count).toBe(2);
    expect(clock.latencies).toEqual([90, 100]);
    expect(clock.recommitted).toBe(0);
  });

  it('counts an event id once even if its effect commits twice, and says so', () => {
    const clock = new CommitClock(startedAt);
    for (const tx of [{}, {}]) {
      clock.handled(tx, 'a', 0);
      clock.committed(tx, 5);
    }
    expect(clock.count).toBe(1);
    expect(clock.recommitted).toBe(1);
  });

  it('waits for a count, and fails a run that never gets there', async () => {
    const clock = new CommitClock(startedAt);
    const reached = clock.until(1, 1_000);
    const tx = {};
    clock.handled(tx, 'a', 0);
    clock.committed(tx, 1);
    await expect(reached).resolves.toBeUndefined();
    await expect(clock.until(2, 10)).rejects.toThrow('only 1 of 2 events committed');
  });

  it('hears COMMIT and ROLLBACK on the connections the pool lends, after the server answered', async () => {
    const client = { query: async (text: string) => ({ text }) };
    const pool = { connect: async () => client } as unknown as Pool;
    const clock = new CommitClock(new Float64Array(2));
    reportCommits(pool, clock);
    const tx = await pool.connect();
    await tx.query('BEGIN');
    clock.handled(tx, 'a', 0);
    await tx.query('ROLLBACK TO SAVEPOINT s1'); // partial: the transaction goes on
    await tx.query('COMMIT');
    expect(clock.count).toBe(1);
    const again = await pool.connect();
    expect(again).toBe(tx); // a reused connection is wrapped once
    await again.query('BEGIN');
    clock.handled(again, 'b', 1);
    await again.query('ROLLBACK');
    await again.query('BEGIN');
    await again.query('COMMIT');
    expect(clock.count).toBe(1);
  });

  it('keeps the callback form of pool.connect working (pool.query uses it)', async () => {
    const client = { query: async () => ({}) };
    const pool = {
      connect: (cb?: (err: undefined, c: unknown, done: () => void) => void) =>
        cb ? void cb(undefined, client, () => undefined) : Promise.resolve(client),
    } as unknown as Pool;
    reportCommits(pool, new CommitClock(new Float64Array(1)));
    const got = await new Promise((resolve) =>
      (pool.connect as unknown as (cb: (e: unknown, c: unknown) => void) => void)((_e, c) => resolve(c)),
    );
    expect(got).toBe(client);
  });
});
