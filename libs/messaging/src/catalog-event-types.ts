import { eventCatalog, validateEventData } from '@attest/event-contracts';
import { eventTypeRegistry, type EventTypeRegistry } from './event-type-registry';
import type { ValidateEvent } from './event-validator';

/** The public event catalog as a registry: every contract's store type, in its stream type, to its ce_type and topic. */
export function catalogEventTypes(): EventTypeRegistry {
  return eventTypeRegistry(
    eventCatalog.map((c) => ({
      storeType: c.storeType,
      streamType: c.streamType,
      ceType: c.ceType,
      topic: c.topic,
    })),
  );
}

/**
 * Validates event data against the catalog's JSON Schemas (the contracts' `validateEventData`, compiled once per
 * process); a type outside the catalog is refused.
 */
export function catalogEventValidator(): ValidateEvent {
  return (ceType, data) => {
    const problems = validateEventData(ceType, data);
    return problems.length ? problems : null;
  };
}
