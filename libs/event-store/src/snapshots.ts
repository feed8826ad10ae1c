import type { Pool } from 'pg';

export interface Snapshot<State> {
  streamVersion: number;
  state: State;
}

/**
 * Saved aggregate state for long streams. `schemaVersion` belongs to the aggregate's state shape: a snapshot
 * taken under another version is ignored and the stream is folded from the start.
 */
export class SnapshotStore {
  /** `pool` may be a client inside an open transaction: snapshots then load and save in it. */
  constructor(private readonly pool: Pick<Pool, 'query'>) {}

  async load<State>(streamId: string, schemaVersion: number): Promise<Snapshot<State> | null> {
    const r = await this.pool.query<{ stream_version: string; state: State }>(
      'SELECT stream_version, state FROM event_store.snapshots WHERE stream_id = $1 AND schema_version = $2',
      [streamId, schemaVersion],
    );
    return r.rows.length ? { streamVersion: Number(r.rows[0].stream_version), state: r.rows[0].state } : null;
  }

  /** Keeps the newest snapshot: an older one saved late never replaces it. */
  async save<State>(streamId: string, schemaVersion: number, snapshot: Snapshot<State>): Promise<void> {
    await this.pool.query(
      `INSERT INTO event_store.snapshots (stream_id, stream_version, schema_version, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version,
         schema_version = EXCLUDED.schema_version, state = EXCLUDED.state, taken_at = now()
       WHERE event_store.snapshots.stream_version < EXCLUDED.stream_version
          OR event_store.snapshots.schema_version <> EXCLUDED.schema_version`,
      [streamId, snapshot.streamVersion, schemaVersion, JSON.stringify(snapshot.state)],
    );
  }
}
