import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { RecordedEvent } from './recorded-event';

/** The previous hash of a tenant's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields a hash covers: everything that says what happened, to whom, when and where in the chain. */
export type ChainedFields = Pick<
  RecordedEvent,
  | 'eventId'
  | 'tenantId'
  | 'streamId'
  | 'streamType'
  | 'streamVersion'
  | 'tenantSequence'
  | 'type'
  | 'data'
  | 'metadata'
  | 'recordedAt'
>;

/** SHA-256 over the previous hash and the event's canonical JSON, hex-encoded. */
export function chainHash(prevHash: string, event: ChainedFields): string {
  const body = canonicalJson({
    eventId: event.eventId,
    tenantId: event.tenantId,
    streamId: event.streamId,
    streamType: event.streamType,
    streamVersion: event.streamVersion,
    tenantSequence: event.tenantSequence,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainVerdict =
  | { ok: true; tenantId: string; events: number; headHash: string }
  | {
      ok: false;
      tenantId: string;
      reason: 'hash-mismatch' | 'broken-link' | 'sequence-gap' | 'head-mismatch';
      /** The first event that does not verify (absent for a head mismatch with no such event). */
      eventId?: string;
      tenantSequence: number;
      globalPosition?: number;
      expected: string;
      actual: string;
    };

/**
 * Walks a tenant's events in chain order and returns the first one that does not verify.
 * Pure: the caller streams the events from wherever they are (the database, an export file).
 */
export function verifyEvents(
  tenantId: string,
  events: Iterable<RecordedEvent>,
  head?: { sequence: number; hash: string },
): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSequence = 1;
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
    const recomputed = chainHash(prev, e);
    if (recomputed !== e.hash)
      return { ok: false, reason: 'hash-mismatch', ...where, expected: recomputed, actual: e.hash };
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
