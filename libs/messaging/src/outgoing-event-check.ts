import type { NewEvent } from '@attest/event-store';
import type { EventTypeRegistry } from './event-type-registry';
import type { ValidateEvent } from './event-validator';

/** A service tried to append an event whose public data does not match its schema. Nothing was stored. */
export class InvalidEventError extends Error {
  constructor(
    readonly storeType: string,
    readonly ceType: string,
    readonly problems: string[],
  ) {
    super(`event ${storeType} (${ceType}) does not match its schema: ${problems.join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

/**
 * What a service runs before appending: every event that will leave through the outbox must match its public
 * schema, so an invalid event is refused here rather than dead-lettered by the relay. Internal events pass.
 */
export function assertPublishable(
  registry: EventTypeRegistry,
  validate: ValidateEvent,
  streamType: string,
  events: Pick<NewEvent, 'type' | 'data'>[],
): void {
  for (const event of events) {
    const target = registry.toPublic(event.type, streamType);
    if (!target) continue;
    // The store keeps what survives JSON; validate exactly that.
    const problems = validate(target.ceType, JSON.parse(JSON.stringify(event.data ?? null)));
    if (problems && problems.length) throw new InvalidEventError(event.type, target.ceType, problems);
  }
}
