import { contractsOfContext, type EventContext, validateEventData } from '@attest/event-contracts';
import { eventTypeRegistry, type EventTypeRegistry } from './event-type-registry';
import type { ValidateEvent } from './event-validator';

/**
 * One context's public event catalog as a registry: each contract's store type, in its stream type, to its ce_type
 * and topic. Per context, because a store type is only unique within one: every context appends its own
 * `ChainCheckpointSigned`, published as that context's type on its topic.
 */
export function catalogEventTypes(context: EventContext): EventTypeRegistry {
  return eventTypeRegistry(
    contractsOfContext(context).map((c) => ({
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
