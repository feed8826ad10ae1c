import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { contractsOfContext } from '@attest/event-contracts';
import { PostgresEventStore } from '@attest/event-store';
import { eventTypeRegistry, outboxRouteFor, type EventTypeRegistry } from '@attest/messaging';
import { EVIDENCE_OPTIONS, EVIDENCE_SOURCE, type ResolvedOptions } from '../evidence-options';

/**
 * The public evidence events (store type and stream type → ce_type and topic), from the event catalog: every
 * store type the service appends is a public event, so each one has its outbox route.
 */
export function evidenceEventTypes(): EventTypeRegistry {
  return eventTypeRegistry(
    contractsOfContext('evidence').map((c) => ({
      storeType: c.storeType,
      streamType: c.streamType,
      ceType: c.ceType,
      topic: c.topic,
    })),
  );
}

/**
 * The service's event store: events leave through the outbox to `attest.evidence.events.v1`. Only the command
 * pipeline appends to it; projections read it.
 */
@Injectable()
export class EvidenceEventStore implements OnModuleInit {
  readonly store: PostgresEventStore;

  constructor(@Inject(EVIDENCE_OPTIONS) options: ResolvedOptions) {
    this.store = new PostgresEventStore(options.pool, {
      outbox: outboxRouteFor(evidenceEventTypes()),
      source: EVIDENCE_SOURCE,
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
