import type { Decider } from '@attest/decider';
import { ConcurrencyError } from './errors';
import type { PostgresEventStore } from './postgres-event-store';
import type { EventMetadata, RecordedEvent } from './recorded-event';
import { SnapshotStore } from './snapshots';

export interface DomainEvent {
  type: string;
  data: unknown;
}

/** An aggregate kind: its decider, the stream type it writes, and optionally how often to snapshot. */
export interface Aggregate<Command, Event extends DomainEvent, State> {
  streamType: string;
  decider: Decider<Command, Event, State>;
  /** Snapshot every `every` events; bump `schemaVersion` when the state's shape changes. */
  snapshots?: { every: number; schemaVersion: number };
}

export interface CommandOutcome<State> {
  events: RecordedEvent[];
  version: number;
  state: State;
}

/**
 * Loads the aggregate (snapshot, then the events after it), decides, and appends with the version it read.
 * A concurrent writer makes the append fail with ConcurrencyError; the command is then decided again on the
 * fresh state, up to `maxAttempts` times. Domain refusals are not retried.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: PostgresEventStore,
  aggregate: Aggregate<Command, Event, State>,
  target: { tenantId: string; streamId: string },
  command: Command,
  options: { metadata?: EventMetadata; maxAttempts?: number } = {},
): Promise<CommandOutcome<State>> {
  const { decider } = aggregate;
  const snapshots = aggregate.snapshots ? new SnapshotStore(store.pool) : null;
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    let state = decider.initialState();
    let version = 0;
    if (snapshots && aggregate.snapshots) {
      const snap = await snapshots.load<State>(target.streamId, aggregate.snapshots.schemaVersion);
      if (snap) {
        state = snap.state;
        version = snap.streamVersion;
      }
    }
    const tail = await store.readStream(target.streamId, version);
    for (const e of tail.events) state = decider.evolve(state, { type: e.type, data: e.data } as Event);
    version = Math.max(version, tail.version);

    const decided = decider.decide(command, state);
    try {
      const result = await store.append({
        tenantId: target.tenantId,
        streamId: target.streamId,
        streamType: aggregate.streamType,
        expectedVersion: version === 0 ? 'no-stream' : version,
        events: decided.map((e) => ({ type: e.type, data: e.data, metadata: options.metadata })),
      });
      for (const e of decided) state = decider.evolve(state, e);
      const newVersion = result.versions[target.streamId] ?? version;
      if (
        snapshots &&
        aggregate.snapshots &&
        crossesMultiple(version, newVersion, aggregate.snapshots.every)
      ) {
        await snapshots.save(target.streamId, aggregate.snapshots.schemaVersion, {
          streamVersion: newVersion,
          state,
        });
      }
      return { events: result.events, version: newVersion, state };
    } catch (err) {
      if (err instanceof ConcurrencyError && attempt < maxAttempts) continue;
      throw err;
    }
  }
}

function crossesMultiple(from: number, to: number, every: number): boolean {
  return every > 0 && Math.floor(to / every) > Math.floor(from / every);
}
