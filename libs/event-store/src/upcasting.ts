import type { RecordedEvent } from './recorded-event';

/** Turns an event's data at one schema version into the next version's, optionally renaming its store type. */
export type UpcastStep = (data: any) => { data: unknown; type?: string }; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * How one store type's data evolved. Events are appended at `currentVersion`; an event stored at version v is read
 * through `steps[v]`, `steps[v + 1]`, … up to `currentVersion`.
 */
export interface EventUpcaster {
  currentVersion: number;
  steps: Record<number, UpcastStep>;
}

/**
 * Upcasters by stream type, then by store type (as stored, i.e. the name the event had when it was written).
 * Applied on read only: the stored bytes, which the hash chain and the published CloudEvent cover, never change.
 */
export type EventUpcasters = Record<string, Record<string, EventUpcaster>>;

function upcasterOf(upcasters: EventUpcasters | undefined, streamType: string, type: string) {
  return upcasters?.[streamType]?.[type];
}

/** The schema version new events of this type are written at: the upcaster's current version, else 1. */
export function currentSchemaVersion(
  upcasters: EventUpcasters | undefined,
  streamType: string,
  type: string,
): number {
  return upcasterOf(upcasters, streamType, type)?.currentVersion ?? 1;
}

/**
 * The event as today's code expects it: data (and type) brought to the current schema version. An event with no
 * upcaster, or already current, is returned as it is. A missing step is a programming error and throws, naming it.
 */
export function upcast<E extends RecordedEvent>(upcasters: EventUpcasters | undefined, event: E): E {
  const upcaster = upcasterOf(upcasters, event.streamType, event.type);
  if (!upcaster || event.schemaVersion >= upcaster.currentVersion) return event;
  let { data, type } = event as RecordedEvent;
  for (let v = event.schemaVersion; v < upcaster.currentVersion; v++) {
    const step = upcaster.steps[v];
    if (!step)
      throw new Error(`no upcast step from version ${v} for ${event.streamType}/${event.type} (event ${event.eventId})`);
    const next = step(data);
    data = next.data;
    type = next.type ?? type;
  }
  return { ...event, type, data, schemaVersion: upcaster.currentVersion };
}
