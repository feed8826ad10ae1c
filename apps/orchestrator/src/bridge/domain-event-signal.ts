import type { CloudEvent } from '@attest/messaging';
import { type DomainEventSignal, lifecycleSignalledEventTypes } from '@attest/workflows';

const SIGNALLED = new Set(lifecycleSignalledEventTypes);

/**
 * The `domainEvent` signal a backbone event becomes, or null for an event that moves no lifecycle (most of them:
 * only the types the workflow waits on are signalled, so histories hold what an operator needs to read).
 */
export function domainEventSignalOf(event: CloudEvent): DomainEventSignal | null {
  if (!SIGNALLED.has(event.type)) return null;
  return {
    eventId: event.id,
    type: event.type,
    tenantId: event.tenantid,
    time: event.time,
    data: event.data as Record<string, unknown>,
  };
}
