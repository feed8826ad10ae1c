import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { CloudEvent } from '../cloud-event';
import {
  BatchEventError,
  eventContextOf,
  type EventBatchContext,
  type EventBatchHandler,
  type EventHandler,
} from '../event-consumer';
import { attestEventBatchTypesOf, attestEventTypesOf } from './on-attest-event.decorator';

interface HandlersOfType {
  each: EventHandler[];
  batch: EventBatchHandler[];
}

/**
 * Finds every `@OnAttestEvent` and `@OnAttestEvents` method of the application's providers and controllers and
 * dispatches runs of events to them.
 */
@Injectable()
export class AttestEventHandlers {
  private handlers: Map<string, HandlersOfType> | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** The event types some handler listens to. */
  types(): string[] {
    return [...this.discover().keys()];
  }

  /**
   * Dispatches a run in order, in its transaction, a stretch of consecutive events of one type at a time: each event
   * to the `@OnAttestEvent` methods of its type, then the stretch to the `@OnAttestEvents` methods. Events nobody
   * handles are skipped.
   */
  async dispatch(events: CloudEvent[], context: EventBatchContext): Promise<void> {
    const handlers = this.discover();
    for (let start = 0; start < events.length;) {
      const type = events[start].type;
      let end = start + 1;
      while (end < events.length && events[end].type === type) end++;
      const found = handlers.get(type);
      if (found) {
        for (let i = start; i < end; i++) {
          for (const handle of found.each) {
            try {
              await handle(events[i], eventContextOf(context, i));
            } catch (err) {
              throw new BatchEventError(i, err);
            }
          }
        }
        if (found.batch.length > 0) {
          const stretch = events.slice(start, end);
          const stretchContext = { ...context, origins: context.origins.slice(start, end) };
          for (const handle of found.batch) {
            try {
              await handle(stretch, stretchContext);
            } catch (err) {
              // One event of the stretch: it says which; a single event: that one; else the run's records retry alone.
              if (err instanceof BatchEventError) throw new BatchEventError(start + err.index, err.cause);
              if (end - start === 1) throw new BatchEventError(start, err);
              throw err;
            }
          }
        }
      }
      start = end;
    }
  }

  private discover(): Map<string, HandlersOfType> {
    if (this.handlers) return this.handlers;
    const found = new Map<string, HandlersOfType>();
    const of = (type: string) => {
      let entry = found.get(type);
      if (!entry) found.set(type, (entry = { each: [], batch: [] }));
      return entry;
    };
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      // Request-scoped providers have no instance to call outside a request.
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      for (const name of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const method = instance[name];
        for (const type of attestEventTypesOf(method))
          of(type).each.push((method as EventHandler).bind(instance));
        for (const type of attestEventBatchTypesOf(method))
          of(type).batch.push((method as EventBatchHandler).bind(instance));
      }
    }
    this.handlers = found;
    return found;
  }
}
