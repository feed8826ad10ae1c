import type { PoolClient } from 'pg';
import type { AggregateDeclaration, CommandPipeline, DecidedEvent } from '@attest/command-pipeline';

/**
 * What each of a tenant's streams of one aggregate kind says (`derive` of its state), e.g. the current version of
 * every custom test compiled, for an evaluation run. The list comes from the event store's streams (through the
 * consumer's transaction, so it is the truth, not a read model catching up); a stream is loaded and derived again
 * only when its version moved since it was last seen, so a run pays for what changed, not for the history.
 */
export class TenantStreams<State, Derived> {
  private readonly seen = new Map<string, { version: number; derived: Derived }>();

  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregate: AggregateDeclaration<unknown, DecidedEvent, State>,
    private readonly derive: (state: State) => Derived,
  ) {}

  async of(tenantId: string, tx: PoolClient): Promise<Derived[]> {
    const streams = await tx.query<{ stream_id: string; version: string }>(
      `SELECT stream_id, version FROM event_store.streams WHERE tenant_id = $1 AND stream_type = $2
       ORDER BY stream_id`,
      [tenantId, this.aggregate.streamType],
    );
    const all: Derived[] = [];
    for (const row of streams.rows) {
      let entry = this.seen.get(row.stream_id);
      if (entry?.version !== Number(row.version)) {
        const { state, version } = await this.pipeline.load(this.aggregate, tenantId, row.stream_id, { tx });
        entry = { version, derived: this.derive(state) };
        this.seen.set(row.stream_id, entry);
      }
      all.push(entry.derived);
    }
    return all;
  }
}
