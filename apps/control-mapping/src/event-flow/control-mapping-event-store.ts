import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CONTROL_MAPPING_CONTEXT } from '@attest/control-mapping-domain';
import { contractsOfContext } from '@attest/event-contracts';
import { PostgresEventStore } from '@attest/event-store';
import { eventTypeRegistry, outboxRouteFor, type EventTypeRegistry } from '@attest/messaging';
import {
  CONTROL_MAPPING_OPTIONS,
  CONTROL_MAPPING_SOURCE,
  type ResolvedOptions,
} from '../control-mapping-options';

/** The public control-mapping events (store type and stream type → ce_type and topic), from the event catalog. */
export function controlMappingEventTypes(): EventTypeRegistry {
  return eventTypeRegistry(
    contractsOfContext(CONTROL_MAPPING_CONTEXT).map((c) => ({
      storeType: c.storeType,
      streamType: c.streamType,
      ceType: c.ceType,
      topic: c.topic,
    })),
  );
}

/**
 * The service's event store: public events leave through the outbox to `attest.control-mapping.events.v1`. Only the
 * command pipeline appends to it; projections read it.
 */
@Injectable()
export class ControlMappingEventStore implements OnModuleInit {
  readonly store: PostgresEventStore;

  constructor(@Inject(CONTROL_MAPPING_OPTIONS) options: ResolvedOptions) {
    this.store = new PostgresEventStore(options.pool, {
      outbox: outboxRouteFor(controlMappingEventTypes()),
      source: CONTROL_MAPPING_SOURCE,
    });
  }

  private migrated: Promise<void> | null = null;

  /** Migrates the store's tables once; providers that need them await this (init hooks run concurrently). */
  ready(): Promise<void> {
    this.migrated ??= this.store.migrate();
    return this.migrated;
  }

  async onModuleInit(): Promise<void> {
    await this.ready();
  }
}
