/** Metadata that travels with an event: who caused it and why. Free-form beyond the named fields. */
export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  /** Who did it: a user id, a service name, `system:<job>`. */
  actor?: string;
  [key: string]: unknown;
}

/** An event a decider produced, before the store gives it a place. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  metadata?: EventMetadata;
  /**
   * Supplied by the caller for idempotent retries; generated when absent. Appending the same events again (same
   * ids, same stream, same type and data) returns the recorded ones; an id recorded for another event is refused
   * with DuplicateEventIdError.
   */
  eventId?: string;
  /** The version of `data`'s shape; default: the store's upcaster's current version for the type, else 1. */
  schemaVersion?: number;
}

/** Where an event sits in the global log. Log order is (transactionId, globalPosition). */
export interface LogPosition {
  transactionId: string;
  globalPosition: number;
}

/** The end of an as-of view: everything up to a log position, or everything recorded by a time (ISO-8601). */
export type LogBound = { position: LogPosition } | { recordedAt: string };

export const LOG_START: LogPosition = { transactionId: '0', globalPosition: 0 };

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  eventId: string;
  tenantId: string;
  streamId: string;
  streamType: string;
  streamVersion: number;
  /** Position in the tenant's hash chain, from 1. */
  tenantSequence: number;
  /** The store type (internal name). Reads return it upcasted; `ceType` stays as recorded. */
  type: Type;
  /** The public CloudEvents type (`type` when the event is never published). */
  ceType: string;
  /** The CloudEvents `source` of the store that recorded it ('' for events recorded before sources were kept). */
  source: string;
  /** The version of `data`'s shape: as stored, or the current one after upcasting on read. */
  schemaVersion: number;
  /** The topic the relay publishes it to; null: never published. */
  topic: string | null;
  data: Data;
  metadata: EventMetadata;
  /** ISO-8601 with milliseconds, UTC, stamped by the database; never earlier than the tenant's previous event. */
  recordedAt: string;
  position: LogPosition;
  prevHash: string;
  hash: string;
}

export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.globalPosition - b.globalPosition;
}
