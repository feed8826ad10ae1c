// Waits for integration tests (not part of the public barrel): conditions with deadlines, never sleeps.
import type { Pool } from 'pg';
import type { LogPosition } from './recorded-event';

/** Polls `check` until it holds; fails naming `what` after the deadline. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  deadlineMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until the log has passed `position` for every later read. It asks the cluster-wide `pg_snapshot_xmin`
 * (other test files' transactions included, which may hold it back for seconds), not the readers' horizon
 * (log-horizon.ts): that one passes other databases' transactions but can dip back for an instant when one of them
 * ends mid-statement, while xmin never goes back and the horizon is never below it.
 */
export function waitUntilReadable(pool: Pool, position: LogPosition, deadlineMs = 45_000): Promise<void> {
  return waitUntil(
    `the log is readable past transaction ${position.transactionId}`,
    async () => {
      const r = await pool.query<{ ok: boolean }>(
        'SELECT $1::xid8 < pg_snapshot_xmin(pg_current_snapshot()) AS ok',
        [position.transactionId],
      );
      return r.rows[0].ok;
    },
    deadlineMs,
  );
}
