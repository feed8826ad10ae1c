import type { EventMetadata, StreamAppend } from '@attest/event-store';
import type { DecidedEvent, StreamRef } from './aggregate-declaration';

/** A stream the decision read, at the version it read (0: no stream). */
export interface StreamRead extends StreamRef {
  version: number;
}

/** What a decision is appended from: its events, where each goes, and the streams it read. */
export interface AppendPlan<Event extends DecidedEvent> {
  tenantId: string;
  /** The command's stream. */
  target: StreamRef;
  /** The streams the decision read, by id; the target's included. */
  reads: ReadonlyMap<string, StreamRead>;
  events: readonly Event[];
  streamOf(event: Event): StreamRef;
  metadata: EventMetadata;
}

/**
 * One append per stream, for one atomic batch: the command's stream, the other streams read, then new streams in
 * the order of their first event. A stream that was read is appended at the version read, even when it gets no
 * event (a guard: the batch fails if it moved); any other stream must be new. No events: no appends.
 */
export function planAppends<Event extends DecidedEvent>(plan: AppendPlan<Event>): StreamAppend[] {
  if (plan.events.length === 0) return [];
  const byStream = new Map<string, StreamAppend>();
  const streamFor = (ref: StreamRef): StreamAppend => {
    const known = byStream.get(ref.streamId) ?? plan.reads.get(ref.streamId);
    if (known && known.streamType !== ref.streamType)
      throw new TypeError(`stream ${ref.streamId} is a ${known.streamType} stream, not ${ref.streamType}`);
    let append = byStream.get(ref.streamId);
    if (!append) {
      const version = plan.reads.get(ref.streamId)?.version ?? 0;
      append = {
        tenantId: plan.tenantId,
        streamId: ref.streamId,
        streamType: ref.streamType,
        expectedVersion: version === 0 ? 'no-stream' : version,
        events: [],
      };
      byStream.set(ref.streamId, append);
    }
    return append;
  };
  streamFor(plan.target);
  for (const read of plan.reads.values()) streamFor(read);
  for (const event of plan.events)
    streamFor(plan.streamOf(event)).events.push({
      type: event.type,
      data: event.data,
      metadata: plan.metadata,
      ...(event.eventId ? { eventId: event.eventId } : {}),
    });
  // A stream that does not exist and gets no event needs no guard (and must not be created empty).
  return [...byStream.values()].filter((a) => a.events.length > 0 || a.expectedVersion !== 'no-stream');
}
