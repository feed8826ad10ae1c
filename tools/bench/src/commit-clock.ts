import type { Pool, PoolClient } from 'pg';

interface Seen {
  id: string;
  seq: number;
}

/**
 * Counts an event when the transaction its handler wrote in COMMITS, once per event id, and takes its latency
 * then (from `startedAt[seq]`, a `performance.now()` time). A run that rolls back, a handler that runs again after
 * a fallback, or a redelivery of an event already committed adds nothing, so the figures cannot run ahead of
 * what is durable.
 */
export class CommitClock {
  /** Latency of each counted event, in commit order (ms). */
  readonly latencies: number[] = [];
  /** performance.now() of the first and the last counted commit. */
  firstAt = Number.NaN;
  lastAt = Number.NaN;
  /** performance.now() when a handler first saw an event: where a consumer working off a backlog starts. */
  firstHandledAt = Number.NaN;
  /** Latency until a handler first got each event (its record had come through the relay and Kafka), ms. */
  readonly seenLatencies: number[] = [];
  /** Consumer transactions that committed events: events / transactions is the run size the consumer reached. */
  transactions = 0;
  /** Events committed a second time: the handler's effect happened twice (must stay 0). */
  recommitted = 0;
  private readonly inFlight = new Map<object, Seen[]>();
  private readonly counted = new Set<string>();
  private readonly seen = new Set<string>();
  private waiter: { n: number; resolve: () => void } | null = null;

  constructor(private readonly startedAt: ArrayLike<number>) {}

  get count(): number {
    return this.counted.size;
  }

  /** The handler wrote `id` inside transaction `tx`; it counts when `tx` commits. */
  handled(tx: object, id: string, seq: number): void {
    const now = performance.now();
    if (Number.isNaN(this.firstHandledAt)) this.firstHandledAt = now;
    if (!this.seen.has(id)) {
      this.seen.add(id);
      this.seenLatencies.push(now - this.startedAt[seq]);
    }
    const list = this.inFlight.get(tx);
    if (list) list.push({ id, seq });
    else this.inFlight.set(tx, [{ id, seq }]);
  }

  committed(tx: object, now = performance.now()): void {
    const list = this.inFlight.get(tx);
    this.inFlight.delete(tx);
    if (!list) return;
    this.transactions++;
    for (const { id, seq } of list) {
      if (this.counted.has(id)) {
        this.recommitted++;
        continue;
      }
      this.counted.add(id);
      this.latencies.push(now - this.startedAt[seq]);
    }
    if (Number.isNaN(this.firstAt)) this.firstAt = now;
    this.lastAt = now;
    if (this.waiter && this.count >= this.waiter.n) this.waiter.resolve();
  }

  /** Nothing the transaction's handlers did happened. */
  rolledBack(tx: object): void {
    this.inFlight.delete(tx);
  }

  /** Resolves once `n` distinct events have committed; rejects after `timeoutMs` so a stuck run fails loudly. */
  until(n: number, timeoutMs: number): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.count} of ${n} events committed within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiter = {
        n,
        resolve: () => {
          clearTimeout(timer);
          this.waiter = null;
          resolve();
        },
      };
    });
  }
}

const TRACKED = Symbol('commit-clock');
const COMMIT = /^\s*(COMMIT|END)\s*;?\s*$/i;
// A ROLLBACK TO SAVEPOINT undoes part of a transaction only; what the handler recorded after it is not tracked.
const ROLLBACK = /^\s*(ROLLBACK|ABORT)\s*;?\s*$/i;
const BEGIN = /^\s*(BEGIN|START TRANSACTION)\b/i;

/**
 * Makes every connection taken from `pool` report its COMMIT (after the server answered) and ROLLBACK to
 * `clock`. The consumer owns its transactions and offers no after-commit hook, so the benchmark watches the
 * statements on the connections it lends it; the cost is a regular expression per statement.
 */
export function reportCommits(pool: Pool, clock: CommitClock): void {
  type Done = (release?: unknown) => void;
  type Callback = (err: Error | undefined, client: PoolClient | undefined, done: Done) => void;
  const connect = pool.connect.bind(pool) as (callback?: Callback) => Promise<PoolClient> | undefined;
  // Both forms: `pool.query` takes its connection through the callback form.
  (pool as { connect: unknown }).connect = (callback?: Callback) => {
    if (callback)
      return connect((err, client, done) => callback(err, client && watched(client, clock), done));
    return (connect() as Promise<PoolClient>).then((client) => watched(client, clock));
  };
}

function watched(client: PoolClient, clock: CommitClock): PoolClient {
  const marked = client as unknown as Record<symbol, boolean>;
  if (marked[TRACKED]) return client;
  marked[TRACKED] = true;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : null;
    const result = query(...args);
    if (text === null || !(result instanceof Promise)) return result;
    if (BEGIN.test(text))
      clock.rolledBack(client); // leftovers of an earlier transaction never count
    else if (COMMIT.test(text)) return result.then((r) => (clock.committed(client), r));
    else if (ROLLBACK.test(text)) return result.finally(() => clock.rolledBack(client));
    return result;
  };
  return client;
}
