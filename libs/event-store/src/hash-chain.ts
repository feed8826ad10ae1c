import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { RecordedEvent } from './recorded-event';

/** The previous hash of a tenant's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What a chain hash covers: exactly the attributes and data of the published CloudEvent, named as CloudEvents
 * spells them, so an integrator recomputes the hash from a Kafka record alone (docs/events/README.md).
 */
export interface ChainedEvent {
  id: string;
  source: string;
  /** The public CloudEvents type. */
  type: string;
  /** When the store recorded it: ISO-8601, UTC, milliseconds. */
  time: string;
  /** The stream id. */
  subject: string;
  tenantid: string;
  streamversion: number;
  tenantsequence: number;
  globalposition: number;
  schemaversion: number;
  correlationid?: string;
  causationid?: string;
  /** The data as stored, which is the data as published. */
  data: unknown;
}

/** A stored event's hashed form. The metadata beyond correlation and causation is not published, so not hashed. */
export function chainedFormOf(e: RecordedEvent): ChainedEvent {
  const form: ChainedEvent = {
    id: e.eventId,
    source: e.source,
    type: e.ceType,
    time: e.recordedAt,
    subject: e.streamId,
    tenantid: e.tenantId,
    streamversion: e.streamVersion,
    tenantsequence: e.tenantSequence,
    globalposition: e.position.globalPosition,
    schemaversion: e.schemaVersion,
    data: e.data,
  };
  const { correlationId, causationId } = e.metadata ?? {};
  // The codec publishes them only when they are non-empty strings; the hash follows what is published.
  if (typeof correlationId === 'string' && correlationId) form.correlationid = correlationId;
  if (typeof causationId === 'string' && causationId) form.causationid = causationId;
  return form;
}

/**
 * A published event as a consumer receives it (a decoded CloudEvent has this shape): the hashed attributes, the
 * data parsed from the record value, and the hash and link headers.
 */
export interface ReceivedChainEvent extends Omit<ChainedEvent, 'globalposition'> {
  /** Absent on records published before the hashed form covered it: such a record cannot be verified. */
  globalposition?: number;
  attesthash: string;
  attestprevhash: string;
}

/**
 * The hashed form of a received event: exactly the attributes `chainedFormOf` hashes at append, nothing else a
 * CloudEvent carries (specversion, dataschema, datacontenttype are fixed by the type and not hashed).
 */
export function chainedFormOfReceived(e: ReceivedChainEvent): ChainedEvent {
  const form: ChainedEvent = {
    id: e.id,
    source: e.source,
    type: e.type,
    time: e.time,
    subject: e.subject,
    tenantid: e.tenantid,
    streamversion: e.streamversion,
    tenantsequence: e.tenantsequence,
    globalposition: e.globalposition as number,
    schemaversion: e.schemaversion,
    data: e.data,
  };
  if (e.correlationid) form.correlationid = e.correlationid;
  if (e.causationid) form.causationid = e.causationid;
  return form;
}

/** SHA-256 (hex) of the UTF-8 bytes of the RFC 8785 canonical JSON of the hashed form plus `prevhash`. */
export function chainHash(prevHash: string, form: ChainedEvent): string {
  return sha256Hex(canonicalize({ ...form, prevhash: prevHash }) as string);
}

/**
 * The hash of events recorded before the store kept their public type and source (migration 2 gave them source
 * ''): it covered store fields a CloudEvent does not carry. Their hashes are frozen, so verification still
 * accepts it for the tenant's oldest events, and only until the first event hashed with `chainHash`.
 */
export function legacyChainHash(prevHash: string, e: RecordedEvent): string {
  const body = canonicalize({
    eventId: e.eventId,
    tenantId: e.tenantId,
    streamId: e.streamId,
    streamType: e.streamType,
    streamVersion: e.streamVersion,
    tenantSequence: e.tenantSequence,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    recordedAt: e.recordedAt,
  }) as string;
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export type ChainFailureReason =
  | 'hash-mismatch'
  | 'broken-link'
  | 'sequence-gap'
  | 'head-mismatch'
  | 'checkpoint-mismatch'
  | 'truncated'
  | 'bad-signature';

export type ChainVerdict =
  | { ok: true; tenantId: string; events: number; headHash: string }
  | {
      ok: false;
      tenantId: string;
      reason: ChainFailureReason;
      /** The first event that does not verify (absent for a head mismatch with no such event). */
      eventId?: string;
      tenantSequence: number;
      globalPosition?: number;
      expected: string;
      actual: string;
    };

/**
 * Walks a tenant's stored events in chain order and returns the first one that does not verify.
 * Pure: the caller streams the events from wherever they are (the database, an export file).
 */
export function verifyEvents(
  tenantId: string,
  events: Iterable<RecordedEvent>,
  head?: { sequence: number; hash: string },
): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSequence = 1;
  let legacyPrefix = true;
  for (const e of events) {
    const where = {
      tenantId,
      eventId: e.eventId,
      tenantSequence: e.tenantSequence,
      globalPosition: e.position.globalPosition,
    };
    if (e.tenantSequence !== expectedSequence) {
      return {
        ok: false,
        reason: 'sequence-gap',
        ...where,
        expected: String(expectedSequence),
        actual: String(e.tenantSequence),
      };
    }
    if (e.prevHash !== prev)
      return { ok: false, reason: 'broken-link', ...where, expected: prev, actual: e.prevHash };
    const recomputed = chainHash(prev, chainedFormOf(e));
    if (recomputed !== e.hash) {
      const legacy = legacyPrefix && e.source === '' && legacyChainHash(prev, e) === e.hash;
      if (!legacy)
        return { ok: false, reason: 'hash-mismatch', ...where, expected: recomputed, actual: e.hash };
    } else {
      legacyPrefix = false;
    }
    prev = e.hash;
    expectedSequence++;
  }
  const count = expectedSequence - 1;
  if (head && (head.sequence !== count || head.hash !== prev)) {
    // Events were deleted from the end, or the head was moved: the chain no longer reaches it.
    return {
      ok: false,
      reason: 'head-mismatch',
      tenantId,
      tenantSequence: head.sequence,
      expected: `${head.sequence}:${head.hash}`,
      actual: `${count}:${prev}`,
    };
  }
  return { ok: true, tenantId, events: count, headHash: prev };
}
