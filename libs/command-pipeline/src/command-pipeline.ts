import type { PoolClient } from 'pg';
import {
  ConcurrencyError,
  SnapshotStore,
  TenantMismatchError,
  type AppendResult,
  type LogPosition,
  type PersonalDataVault,
  type PostgresEventStore,
  type RecordedEvent,
  type StreamAppend,
} from '@attest/event-store';
import type {
  AggregateDeclaration,
  DecidedEvent,
  LoadedStream,
  SnapshotPolicy,
  StreamReader,
  StreamRef,
} from './aggregate-declaration';
import { planAppends, type StreamRead } from './append-plan';
import { eventMetadataOf, isCommandContext, type CommandContext } from './command-context';
import { assertWithinContracts, type EventContracts } from './event-contracts-check';
import { StaleVersionError } from './pipeline-errors';

/** The service's own read models, which a command waits for so the caller reads what it wrote. */
export interface ReadModels {
  catchUpTo(position: LogPosition): Promise<void>;
}

export interface CommandPipelineOptions {
  store: PostgresEventStore;
  /** Every event is checked against these before anything is appended; absent, events are not checked. */
  contracts?: EventContracts;
  /**
   * Seals the events' personal fields before the contract check and the append (what is stored, hashed and
   * published carries tokens, never the values) and reveals them where events are read back: `load` (so deciders
   * see values, or `[erased]`) and the outcome's `events`. Absent, events are appended as decided.
   */
  personalData?: PersonalDataVault;
  readModels?: ReadModels;
  /** How often a command is decided in all when concurrent writers keep winning (default 5). */
  maxAttempts?: number;
}

export interface RunOptions {
  /**
   * The version of the command's stream the caller saw (`If-Match`). If the stream is at another version the
   * command is refused with StaleVersionError, before deciding or after losing a race; never decided again.
   * Absent, the command runs against the latest version.
   */
  expectedVersion?: number;
  /** Wait until the read models include the append (default true). Reactions to consumed events skip it. */
  readYourWrites?: boolean;
  /**
   * Run inside the caller's open transaction (a consumer's `ctx.tx`): load through it, append in it and save
   * snapshots through it, so the events commit with the caller's inbox record and read-model writes, or not at all.
   * The caller commits, then calls `notifyAfterCommit(tx)` (the EventConsumer does both). There is no
   * read-your-writes wait: nothing is visible to the read models before the caller commits.
   */
  tx?: PoolClient;
}

export interface LoadOptions {
  /** Read through the caller's open transaction, so the state includes what it appended and has not committed. */
  tx?: PoolClient;
}

export interface CommandOutcome<State> {
  /** The appended events, in order, across all streams; empty when the decider decided nothing. */
  events: RecordedEvent[];
  /** The command's stream's version after the command (its ETag). */
  version: number;
  /** The command's stream's state after the command. */
  state: State;
}

/**
 * The one way services run commands: tenant check, load (snapshot and tail), prepare, decide, contract check,
 * atomic append across the streams the decision touches, retry on a concurrent write, and read-your-writes.
 */
export class CommandPipeline {
  private readonly store: PostgresEventStore;
  private readonly snapshots: SnapshotStore;
  private readonly maxAttempts: number;

  constructor(private readonly options: CommandPipelineOptions) {
    this.store = options.store;
    this.snapshots = new SnapshotStore(options.store.pool);
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async run<Command, Event extends DecidedEvent, State>(
    aggregate: AggregateDeclaration<Command, Event, State>,
    context: CommandContext,
    command: Command,
    options: RunOptions = {},
  ): Promise<CommandOutcome<State>> {
    if (!isCommandContext(context))
      throw new TypeError('commands run in a context made by principalContext or systemContext');
    const { tenantId } = context;
    const target: StreamRef = { streamId: aggregate.streamIdOf(command), streamType: aggregate.streamType };
    const { expectedVersion, tx } = options;
    const maxAttempts = aggregate.retryOnConflict === false ? 1 : this.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      const reads = new Map<string, StreamRead>();
      const loaded = await this.load(aggregate, tenantId, target.streamId, { tx });
      reads.set(target.streamId, { ...target, version: loaded.version });
      if (expectedVersion !== undefined && loaded.version !== expectedVersion)
        throw new StaleVersionError(target.streamId, expectedVersion, loaded.version);

      const prepared = aggregate.prepare
        ? await aggregate.prepare(command, loaded.state, this.reader(tenantId, reads, tx))
        : command;
      const decided = aggregate.decider.decide(prepared, loaded.state);
      const streamOf = (e: Event): StreamRef => (aggregate.eventStream ? aggregate.eventStream(e) : target);
      const appends = planAppends({
        tenantId,
        target,
        reads,
        events: decided,
        streamOf,
        metadata: eventMetadataOf(context),
      });
      if (appends.length === 0) return { events: [], version: loaded.version, state: loaded.state };
      const { personalData } = this.options;
      const sealed = personalData ? await personalData.sealAppends(tx ?? this.store.pool, appends) : appends;
      if (this.options.contracts) assertWithinContracts(this.options.contracts, sealed);

      let appended;
      try {
        appended = tx ? await this.appendInSavepoint(tx, sealed) : await this.store.appendBatch(sealed);
      } catch (err) {
        // Only a stream created by another tenant between the check and the append gets here.
        if (err instanceof TenantMismatchError) throw aggregate.notFound(target.streamId);
        if (!(err instanceof ConcurrencyError)) throw err;
        if (expectedVersion !== undefined) {
          const current = await this.store.streamVersion(target.streamId, tx ?? this.store.pool);
          if (current !== expectedVersion)
            throw new StaleVersionError(target.streamId, expectedVersion, current);
        }
        if (attempt < maxAttempts) continue;
        throw err;
      }

      const state = decided
        .filter((e) => streamOf(e).streamId === target.streamId)
        .reduce((s, e) => aggregate.decider.evolve(s, e), loaded.state);
      const version = appended.versions[target.streamId] ?? loaded.version;
      await this.snapshotIfDue(
        aggregate.snapshots,
        target.streamId,
        loaded.version,
        { streamVersion: version, state },
        tx,
      );
      const last = appended.events[appended.events.length - 1];
      if (last && !tx && options.readYourWrites !== false && this.options.readModels)
        await this.options.readModels.catchUpTo(last.position);
      const events = personalData
        ? await personalData.reveal(tx ?? this.store.pool, appended.events)
        : appended.events;
      return { events, version, state };
    }
  }

  /**
   * A stream's state and version for a tenant (snapshot, then the events after it). A stream of another tenant or
   * of another aggregate kind is refused with `aggregate.notFound`; a stream that does not exist yet is the
   * decider's initial state at version 0.
   */
  async load<Command, Event extends DecidedEvent, State>(
    aggregate: AggregateDeclaration<Command, Event, State>,
    tenantId: string,
    streamId: string,
    options: LoadOptions = {},
  ): Promise<LoadedStream<State>> {
    const { decider } = aggregate;
    const db = options.tx ?? this.store.pool;
    const owner = await db.query<{ tenant_id: string; stream_type: string }>(
      'SELECT tenant_id, stream_type FROM event_store.streams WHERE stream_id = $1',
      [streamId],
    );
    const row = owner.rows[0];
    if (!row) return { state: decider.initialState(), version: 0 };
    if (row.tenant_id !== tenantId || row.stream_type !== aggregate.streamType)
      throw aggregate.notFound(streamId);

    let state = decider.initialState();
    let version = 0;
    const snapshot = aggregate.snapshots
      ? await this.snapshotsIn(options.tx).load<State>(streamId, aggregate.snapshots.schemaVersion)
      : null;
    if (snapshot) ({ state, streamVersion: version } = snapshot);
    const tail = await this.store.readStream(streamId, version, { queryable: db });
    const events = this.options.personalData
      ? await this.options.personalData.reveal(db, tail.events)
      : tail.events;
    for (const e of events) state = decider.evolve(state, { type: e.type, data: e.data } as Event);
    return { state, version: Math.max(version, tail.version) };
  }

  /**
   * Appends in the caller's transaction behind a savepoint: a lost race (ConcurrencyError) or another tenant's stream
   * undoes only the append, so the command can decide again and the caller's transaction stays usable.
   */
  private async appendInSavepoint(tx: PoolClient, appends: StreamAppend[]): Promise<AppendResult> {
    await tx.query('SAVEPOINT attest_command_append');
    let appended: AppendResult;
    try {
      appended = await this.store.appendInTransaction(tx, appends);
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT attest_command_append; RELEASE SAVEPOINT attest_command_append');
      throw err;
    }
    await tx.query('RELEASE SAVEPOINT attest_command_append');
    return appended;
  }

  private snapshotsIn(tx: PoolClient | undefined): SnapshotStore {
    return tx ? new SnapshotStore(tx) : this.snapshots;
  }

  private reader(tenantId: string, reads: Map<string, StreamRead>, tx: PoolClient | undefined): StreamReader {
    return {
      load: async (aggregate, streamId) => {
        const loaded = await this.load(aggregate, tenantId, streamId, { tx });
        // The first read is the one the decision rests on.
        if (!reads.has(streamId))
          reads.set(streamId, { streamId, streamType: aggregate.streamType, version: loaded.version });
        return loaded;
      },
    };
  }

  private async snapshotIfDue<State>(
    policy: SnapshotPolicy | undefined,
    streamId: string,
    fromVersion: number,
    snapshot: { streamVersion: number; state: State },
    tx: PoolClient | undefined,
  ): Promise<void> {
    if (!policy || policy.every <= 0) return;
    if (Math.floor(snapshot.streamVersion / policy.every) > Math.floor(fromVersion / policy.every))
      await this.snapshotsIn(tx).save(streamId, policy.schemaVersion, snapshot);
  }
}
