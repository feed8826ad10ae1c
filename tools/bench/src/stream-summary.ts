import type { Pool, PoolClient } from 'pg';

/**
 * The benchmark's read model: per stream, how many events it has seen and the last sequence number. What a
 * typical projection handler does, in one statement however many events a run of records holds.
 */
export const STREAM_SUMMARY_TABLE = `CREATE TABLE IF NOT EXISTS stream_summary (
  stream_id text PRIMARY KEY, events int NOT NULL, last_seq int NOT NULL)`;

export interface StreamDelta {
  streamId: string;
  events: number;
  lastSeq: number;
}

/**
 * One delta per stream, in first-seen order. ON CONFLICT cannot touch the same row twice in one statement, so a
 * run with several events of one stream is folded here first.
 */
export function deltasByStream(events: { streamId: string; seq: number }[]): StreamDelta[] {
  const byStream = new Map<string, StreamDelta>();
  for (const e of events) {
    const d = byStream.get(e.streamId);
    if (d) {
      d.events++;
      d.lastSeq = e.seq;
    } else byStream.set(e.streamId, { streamId: e.streamId, events: 1, lastSeq: e.seq });
  }
  return [...byStream.values()];
}

/** One `unnest` upsert for all the deltas, inside the caller's transaction. */
export async function applyDeltas(tx: Pick<PoolClient, 'query'>, deltas: StreamDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await tx.query(
    `INSERT INTO stream_summary AS s
     SELECT * FROM unnest($1::text[], $2::int[], $3::int[])
     ON CONFLICT (stream_id) DO UPDATE SET events = s.events + EXCLUDED.events, last_seq = EXCLUDED.last_seq`,
    [deltas.map((d) => d.streamId), deltas.map((d) => d.events), deltas.map((d) => d.lastSeq)],
  );
}

/** Events the read model has counted: equal to the events sent when every handler's effect happened once. */
export async function summarizedEvents(pool: Pick<Pool, 'query'>): Promise<number> {
  const r = await pool.query<{ n: string | null }>('SELECT sum(events) AS n FROM stream_summary');
  return Number(r.rows[0].n ?? 0);
}
