import { eventCatalog, eventSchemasByCeType } from '@attest/event-contracts';
import { eventTypeRegistry, type EventTypeRegistry } from './event-type-registry';
import { JsonSchemaEventValidator, type ValidateEvent } from './event-validator';

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

/** Validates event data against the catalog's JSON Schemas; a type outside the catalog is refused. */
export function catalogEventValidator(): ValidateEvent {
  return new JsonSchemaEventValidator(eventSchemasByCeType() as Record<string, object>).validate;
}
