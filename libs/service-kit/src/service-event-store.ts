import type { OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { eventContexts, type EventContext } from '@attest/event-contracts';
import { PostgresEventStore } from '@attest/event-store';
import { catalogEventTypes, outboxRouteFor } from '@attest/messaging';

/**
 * A service's event store: its context's public events (the event catalog) leave through the outbox to the
 * context's topic, under the context's CloudEvents source. Only the command pipeline appends to it; projections read
 * it. A service provides its own subclass (an injectable whose constructor passes its pool and context), so its
 * providers inject the store by the service's class.
 */
export class ServiceEventStore implements OnModuleInit {
  readonly store: PostgresEventStore;
  private migrated: Promise<void> | null = null;

  constructor(pool: Pool, context: EventContext) {
    this.store = new PostgresEventStore(pool, {
      outbox: outboxRouteFor(catalogEventTypes(context)),
      source: eventContexts[context].source,
    });
  }

  /** Migrates the store's tables once; providers that need them await this (init hooks run concurrently). */
  ready(): Promise<void> {
    this.migrated ??= this.store.migrate();
    return this.migrated;
  }

  async onModuleInit(): Promise<void> {
    await this.ready();
  }
}
