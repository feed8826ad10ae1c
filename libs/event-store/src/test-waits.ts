// Waits for integration tests (not part of the public barrel): conditions with deadlines, never sleeps.
import type { Pool } from 'pg';
import type { LogPosition } from './recorded-event';
import { LOG_HORIZON_SQL } from './log-horizon';

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
 * The log is readable only below the oldest transaction in flight in its database (another test file in the same
 * database may hold it back for seconds): waits until it has passed `position`.
 */
export function waitUntilReadable(pool: Pool, position: LogPosition, deadlineMs = 45_000): Promise<void> {
  return waitUntil(
    `the log is readable past transaction ${position.transactionId}`,
    async () => {
      const r = await pool.query<{ ok: boolean }>(`SELECT $1::xid8 < ${LOG_HORIZON_SQL} AS ok`, [
        position.transactionId,
      ]);
      return r.rows[0].ok;
    },
    deadlineMs,
  );
}
