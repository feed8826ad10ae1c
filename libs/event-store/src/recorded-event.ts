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
  /** Supplied by the caller for idempotent retries; generated when absent. */
  eventId?: string;
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
  type: Type;
  data: Data;
  metadata: EventMetadata;
  /** ISO-8601 with milliseconds, UTC. */
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
