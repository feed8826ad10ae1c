import type { OutboxRoute } from '@attest/event-store';

/** Where a store event goes when it leaves its service: its public CloudEvents type and its topic. */
export interface PublicEventType {
  ceType: string;
  topic: string;
}

/**
 * Maps internal event types (`AssessmentStarted` in a stream of type `assessment`) to the public catalog.
 * `null`: the event stays internal and never leaves through the outbox.
 */
export interface EventTypeRegistry {
  toPublic(storeType: string, streamType: string): PublicEventType | null;
}

export interface EventTypeEntry extends PublicEventType {
  storeType: string;
  /** Only events of streams of this type; any stream type when absent. */
  streamType?: string;
}

/** A registry from a fixed list; an entry naming the stream type wins over one that does not. */
export function eventTypeRegistry(entries: EventTypeEntry[]): EventTypeRegistry {
  const exact = new Map<string, PublicEventType>();
  const anyStream = new Map<string, PublicEventType>();
  for (const e of entries) {
    const target = e.streamType === undefined ? anyStream : exact;
    const key = e.streamType === undefined ? e.storeType : `${e.streamType}\u0000${e.storeType}`;
    if (target.has(key)) throw new TypeError(`event type ${e.storeType} is registered twice`);
    target.set(key, { ceType: e.ceType, topic: e.topic });
  }
  return {
    toPublic: (storeType, streamType) =>
      exact.get(`${streamType}\u0000${storeType}`) ?? anyStream.get(storeType) ?? null,
  };
}

/** The event store's outbox route for a registry: each event's topic and public type (null: unmapped). */
export function outboxRouteFor(registry: EventTypeRegistry): OutboxRoute {
  return (event) => registry.toPublic(event.type, event.streamType);
}
