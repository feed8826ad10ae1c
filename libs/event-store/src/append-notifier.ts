import type { Pool, PoolClient } from 'pg';

/** PostgreSQL channel notified after appends commit, so followers of the log wake without waiting for their poll. */
export const APPEND_CHANNEL = 'attest_event_store_append';

/**
 * Tells followers of the log that appends committed, one `pg_notify` per burst.
 *
 * A `pg_notify` inside an appending transaction takes a cluster-wide lock held through that commit's WAL flush,
 * which serialises every appending commit on the server. So the notification is sent after the commit, in its own
 * short transaction that carries no data (hence `synchronous_commit = off`), and coalesced: at most one is in flight
 * and at most one queued behind it, however many appends poke meanwhile. A lost notification costs a follower one
 * poll interval, never an event, so errors are dropped.
 */
export class AppendNotifier {
  private inFlight: Promise<void> | null = null;
  private queued = false;
  private closed = false;

  constructor(private readonly pool: Pool) {}

  /** Called after a commit that appended. Cheap and synchronous; the notification follows in the background. */
  poke(): void {
    if (this.closed) return;
    if (this.inFlight) {
      this.queued = true;
      return;
    }
    this.inFlight = this.sendUntilDrained();
  }

  /** Resolves once no notification is in flight (the queued one included). */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** Stops sending and waits for the notification in flight, so a pool can be ended behind it. */
  async close(): Promise<void> {
    this.closed = true;
    this.queued = false;
    await this.idle();
  }

  private async sendUntilDrained(): Promise<void> {
    try {
      do {
        this.queued = false;
        await this.send();
      } while (this.queued && !this.closed);
    } finally {
      this.inFlight = null;
    }
  }

  private async send(): Promise<void> {
    if (this.pool.ending) return;
    try {
      // One round trip: a simple-protocol query string may hold several statements.
      await this.pool.query(
        `BEGIN; SET LOCAL synchronous_commit = off; SELECT pg_notify('${APPEND_CHANNEL}', ''); COMMIT`,
      );
    } catch {
      // Followers fall back to polling; an append never fails because its wake-up could not be sent.
    }
  }
}

const notifiers = new WeakMap<Pool, AppendNotifier>();

/** The pool's one notifier: every store, consumer and transaction helper on a pool shares its coalescing. */
export function appendNotifierFor(pool: Pool): AppendNotifier {
  let notifier = notifiers.get(pool);
  if (!notifier) {
    notifier = new AppendNotifier(pool);
    notifiers.set(pool, notifier);
  }
  return notifier;
}

/** Transactions that appended and have not been announced yet, with the pool whose notifier announces them. */
const appendedIn = new WeakMap<PoolClient, Pool>();

/** Marks `tx` as holding appends; `notifyAfterCommit(tx)` announces them once the caller has committed. */
export function markAppended(tx: PoolClient, pool: Pool): void {
  appendedIn.set(tx, pool);
}

/**
 * Call after committing a transaction in which `appendInTransaction` ran: wakes followers of the log. Does nothing
 * when the transaction appended nothing. Never call it before COMMIT: a follower woken early finds nothing and
 * sleeps through its poll interval.
 */
export function notifyAfterCommit(tx: PoolClient): void {
  const pool = appendedIn.get(tx);
  if (!pool) return;
  appendedIn.delete(tx);
  appendNotifierFor(pool).poke();
}

/** Forgets the appends of a transaction that rolled back, so a later commit on the same connection does not announce them. */
export function forgetAppends(tx: PoolClient): void {
  appendedIn.delete(tx);
}

/**
 * Runs `work` in a transaction on a connection of `pool`: COMMIT when it resolves, ROLLBACK when it throws. Appends
 * made through `appendInTransaction(tx, …)` inside it are announced after the commit.
 */
export async function withStoreTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  let broken: Error | undefined;
  try {
    await tx.query('BEGIN');
    const result = await work(tx);
    await tx.query('COMMIT');
    notifyAfterCommit(tx);
    return result;
  } catch (err) {
    forgetAppends(tx);
    // A connection that cannot even roll back is discarded rather than handed to the next caller.
    await tx.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    tx.release(broken);
  }
}
