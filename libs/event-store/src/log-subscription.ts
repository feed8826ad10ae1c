import type { Pool, PoolClient } from 'pg';
import { APPEND_CHANNEL, PostgresEventStore } from './postgres-event-store';
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
 * polling fallback) and hands every new batch to `handle`. Resolves when `signal` aborts; rejects if `handle` throws.
 */
export async function subscribeToLog(
  store: PostgresEventStore,
  handle: (events: RecordedEvent[]) => Promise<void>,
  options: LogSubscriptionOptions = {},
): Promise<void> {
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  let position = options.from ?? LOG_START;
  const waker = await listenForAppends(store.pool);
  try {
    while (!options.signal?.aborted) {
      const events = await store.readLog(position, batchSize);
      if (events.length > 0) {
        await handle(events);
        position = events[events.length - 1].position;
        if (events.length === batchSize) continue;
      }
      await waker.wait(pollIntervalMs, options.signal);
    }
  } finally {
    await waker.close();
  }
}

/** Wakes a follower of the log when an append commits; `wait` also returns after `ms` as a safety net. */
export interface AppendListener {
  wait(ms: number, signal?: AbortSignal): Promise<void>;
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
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          wake = null;
          notified = false;
          resolve();
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
