import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { CloudEvent } from '../cloud-event';
import type { EventContext, EventHandler } from '../event-consumer';
import { attestEventTypesOf } from './on-attest-event.decorator';

/** Finds every `@OnAttestEvent` method of the application's providers and controllers and dispatches to them. */
@Injectable()
export class AttestEventHandlers {
  private handlers: Map<string, EventHandler[]> | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** The event types some handler listens to. */
  types(): string[] {
    return [...this.discover().keys()];
  }

  /** Runs the event's handlers one after another in the same transaction; an event nobody handles is skipped. */
  async dispatch(event: CloudEvent, context: EventContext): Promise<void> {
    for (const handle of this.discover().get(event.type) ?? []) await handle(event, context);
  }

  private discover(): Map<string, EventHandler[]> {
    if (this.handlers) return this.handlers;
    const found = new Map<string, EventHandler[]>();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      // Request-scoped providers have no instance to call outside a request.
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      for (const name of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const method = instance[name];
        for (const type of attestEventTypesOf(method)) {
          const list = found.get(type) ?? [];
          list.push((method as EventHandler).bind(instance));
          found.set(type, list);
        }
      }
    }
    this.handlers = found;
    return found;
  }
}
