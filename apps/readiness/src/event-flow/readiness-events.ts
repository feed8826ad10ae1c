import { contractsOfContext, eventContexts, topicFor, validateEventData } from '@attest/event-contracts';
import {
  eventTypeRegistry,
  outboxRouteFor,
  type EventTypeRegistry,
  type ValidateEvent,
} from '@attest/messaging';
import type { OutboxRoute } from '@attest/event-store';

/** `ce_source` of everything the readiness service publishes. */
export const READINESS_SOURCE = eventContexts.readiness.source;
/** The public topic: attest.readiness.events.v1. */
export const READINESS_TOPIC = topicFor('readiness');

/**
 * The readiness contracts of the event catalog as a registry: store type (in its stream type) → ce_type and topic.
 * Every store type the service appends has a contract, so a tenant's whole hash chain is published.
 */
export function readinessEventTypes(): EventTypeRegistry {
  return eventTypeRegistry(
    contractsOfContext('readiness').map((c) => ({
      storeType: c.storeType,
      streamType: c.streamType,
      ceType: c.ceType,
      topic: c.topic,
    })),
  );
}

export function readinessOutboxRoute(registry: EventTypeRegistry = readinessEventTypes()): OutboxRoute {
  return outboxRouteFor(registry);
}

/** The event catalog's own validator (strict draft 2020-12 over the contract schemas), as messaging takes it. */
export const validateReadinessEvent: ValidateEvent = (ceType, data) => {
  const problems = validateEventData(ceType, data);
  return problems.length ? problems : null;
};
