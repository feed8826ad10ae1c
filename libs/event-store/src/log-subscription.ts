import type { Pool, PoolClient } from 'pg';
import { APPEND_CHANNEL } from './append-notifier';
import type { PostgresEventStore } from './postgres-event-store';
import { LOG_START, LogPosition, RecordedEvent } from './recorded-event';

export interface LogSubscriptionOptions {
  from?: LogPosition;
  batchSize?: number;
  /** Longest wait between reads when no notification arrives (a safety net for missed notifications). */
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Follows the global log: catches up from `from` in batches, then waits for appends (LISTEN/NOTIFY, with a
 * polling fallback) and hands every new batch, upcasted, to `handle`. Resolves when `signal` aborts; rejects if
 * `handle` throws.
 */
export async function subscribeToLog(
  store: PostgresEventStore,
  handle: (events: RecordedEvent[]) => Promise<void>,
  options: LogSubscriptionOptions = {},
): Promise<void> {
  const batchSize = options.batchSize ?? 500;
  let position = options.from ?? LOG_START;
  await followAppends(
    store.pool,
    async () => {
      let read = 0;
      for (;;) {
        const events = await store.readLog(position, batchSize);
        if (events.length === 0) return read;
        await handle(events);
        read += events.length;
        position = events[events.length - 1].position;
        if (events.length < batchSize || options.signal?.aborted) return read;
      }
    },
    { pollIntervalMs: options.pollIntervalMs ?? 1000, signal: options.signal },
  );
}

/** Rechecks after a notification whose commit is not readable yet: from the first, doubling up to the last. */
const FIRST_RECHECK_MS = 25;
const LAST_RECHECK_MS = 1000;

/**
 * Runs `catchUp` (which returns how many events it read) now, after every append notification and at least every
 * `pollIntervalMs`, until `signal` aborts.
 *
 * A notified commit can stay unreadable for a moment: the log is only read below the oldest transaction still in
 * flight in its database (log-horizon.ts), so an older transaction holds it back. A follower that found nothing after a notification
 * therefore looks again soon (backing off, for at most one poll interval) rather than sleeping a whole interval.
 */
export async function followAppends(
  pool: Pool,
  catchUp: () => Promise<number>,
  options: { pollIntervalMs: number; signal?: AbortSignal },
): Promise<void> {
  const { pollIntervalMs, signal } = options;
  const appends = await listenForAppends(pool);
  try {
    let recheckMs = 0;
    let recheckUntil = 0;
    while (!signal?.aborted) {
      const read = await catchUp();
      if (read > 0) recheckMs = 0;
      const notified = await appends.wait(recheckMs || pollIntervalMs, signal);
      if (notified) {
        recheckMs = FIRST_RECHECK_MS;
        recheckUntil = Date.now() + pollIntervalMs;
      } else if (recheckMs) {
        recheckMs = Date.now() < recheckUntil ? Math.min(recheckMs * 2, LAST_RECHECK_MS) : 0;
      }
    }
  } finally {
    await appends.close();
  }
}

/** Wakes a follower of the log when an append commits; `wait` also returns after `ms` as a safety net. */
export interface AppendListener {
  /** Resolves true when woken by a notification (one that arrived since the last wait included), else false. */
  wait(ms: number, signal?: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}

export async function listenForAppends(pool: Pool): Promise<AppendListener> {
  const client: PoolClient = await pool.connect();
  let wake: (() => void) | null = null;
  let notified = false;
  const onNotify = () => {
    notified = true;
    wake?.();
  };
  client.on('notification', onNotify);
  await client.query(`LISTEN ${APPEND_CHANNEL}`);
  return {
    wait(ms, signal) {
      if (notified) {
        notified = false;
        return Promise.resolve(true);
      }
      return new Promise<boolean>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          wake = null;
          const byNotification = notified;
          notified = false;
          resolve(byNotification);
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
        wake = done;
      });
    },
    async close() {
      client.off('notification', onNotify);
      await client.query(`UNLISTEN ${APPEND_CHANNEL}`).catch(() => undefined);
      client.release();
    },
  };
}
