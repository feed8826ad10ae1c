import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CONTROL_MAPPING_CONTEXT, contractProblems } from '@attest/control-mapping-domain';
import { contractForStoreType, contractsOfContext } from '@attest/event-contracts';
import { PostgresEventStore } from '@attest/event-store';
import {
  eventTypeRegistry,
  InvalidEventError,
  outboxRouteFor,
  type EventTypeRegistry,
} from '@attest/messaging';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';

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
 * Refuses to append an event whose public payload does not match its contract (schema and subject field = stream
 * id). Internal events pass. Thrown before anything is written.
 */
export function assertAppendable(streamId: string, events: { type: string; data: unknown }[]): void {
  for (const event of events) {
    const problems = contractProblems(event, streamId);
    if (problems.length > 0) {
      const ceType = contractForStoreType(CONTROL_MAPPING_CONTEXT, event.type)?.ceType ?? event.type;
      throw new InvalidEventError(event.type, ceType, problems);
    }
  }
}

/** The service's event store: public events leave through the outbox to `attest.control-mapping.events.v1`. */
@Injectable()
export class ControlMappingEventStore implements OnModuleInit {
  readonly store: PostgresEventStore;

  constructor(@Inject(CONTROL_MAPPING_OPTIONS) options: ResolvedOptions) {
    this.store = new PostgresEventStore(options.pool, { outbox: outboxRouteFor(controlMappingEventTypes()) });
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

  /** The tenant and type of a stream, or undefined when it does not exist. */
  async streamOwner(streamId: string): Promise<{ tenantId: string; streamType: string } | undefined> {
    const r = await this.store.pool.query<{ tenant_id: string; stream_type: string }>(
      'SELECT tenant_id, stream_type FROM event_store.streams WHERE stream_id = $1',
      [streamId],
    );
    const row = r.rows[0];
    return row ? { tenantId: row.tenant_id, streamType: row.stream_type } : undefined;
  }
}
