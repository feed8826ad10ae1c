import type { Decider } from '@attest/decider';

/** What a decider returns: an event type and its payload. */
export interface DecidedEvent {
  type: string;
  data: unknown;
  /**
   * An id derived from what caused the event (e.g. a workflow step), so that deciding the same cause again appends
   * nothing new: the store answers a re-append of the same id, stream, type and data with the recorded event.
   * Absent: the store generates one.
   */
  eventId?: string;
}

/** A stream an event is appended to. */
export interface StreamRef {
  streamId: string;
  streamType: string;
}

/** A stream's state as its events (and snapshot) tell it, with the version it was read at (0: no stream). */
export interface LoadedStream<State> {
  state: State;
  version: number;
}

/**
 * Reads other aggregates of the same tenant while a command is prepared. Every stream read this way is appended
 * (or, without new events, guarded) at the version read, so the decision never rests on a state that moved.
 */
export interface StreamReader {
  load<C, E extends DecidedEvent, S>(
    aggregate: AggregateDeclaration<C, E, S>,
    streamId: string,
  ): Promise<LoadedStream<S>>;
}

/**
 * An aggregate kind as a service declares it; the pipeline does the rest (see README.md).
 */
export interface AggregateDeclaration<Command, Event extends DecidedEvent, State> {
  /** The stream type of the aggregate's streams, e.g. `assessment`; fixed at a stream's first append. */
  streamType: string;
  decider: Decider<Command, Event, State>;
  /** The stream a command acts on. */
  streamIdOf(command: Command): string;
  /**
   * For deciders whose events span streams (completing an assessment creates remediation tasks): the stream of
   * each event. Absent: every event goes to the command's stream.
   */
  eventStream?(event: Event): StreamRef;
  /** Completes the command with what the decision needs from other streams (e.g. the controls an upgrade touches). */
  prepare?(command: Command, state: State, streams: StreamReader): Promise<Command>;
  /** The refusal for a stream that does not exist for the tenant (another tenant's, another kind's). */
  notFound(streamId: string): Error;
  /** Decide again on fresh state after a concurrent write (default true). False for commands not safe to redo. */
  retryOnConflict?: boolean;
  snapshots?: SnapshotPolicy;
}

/** Snapshot every `every` events; bump `schemaVersion` when the state's shape changes. */
export interface SnapshotPolicy {
  every: number;
  schemaVersion: number;
}
