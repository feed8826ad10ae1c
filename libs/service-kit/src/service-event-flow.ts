import { Logger, type Provider, type Type } from '@nestjs/common';
import type { Pool } from 'pg';
import { catalogContracts, CommandPipeline, projectionReadModels } from '@attest/command-pipeline';
import { personalFieldsOfStoreType, type EventContext } from '@attest/event-contracts';
import {
  loadChainSigningKeys,
  PersonalDataVault,
  StorePersonalData,
  type ChainSigningKeys,
  type ProjectionRunner,
} from '@attest/event-store';
import { CHAIN_SIGNING_KEYS, ChainCheckpointing } from './event-chain';
import { PERSONAL_DATA_SERVICE } from './personal-data.controller';
import type { ServiceEventStore } from './service-event-store';

/** What a service's event flow is made of. */
export interface ServiceEventFlow {
  context: EventContext;
  pool: Pool;
  /** The service's event store (its ServiceEventStore subclass), provided here. */
  eventStore: Type<ServiceEventStore>;
  /** What keeps the service's read models, provided by the service: commands wait for its runners. */
  readModels: Type<{ readonly runners: ProjectionRunner[] }>;
}

/**
 * The providers of a service's event flow: its event store; chain checkpoints (signed when the keyring of
 * `ATTEST_CHAIN_SIGNING_KEYS` is set); the personal data vault of its context's contracts and the erasure service
 * over it; and the one command pipeline, checked against the context's contracts, which waits for the read models
 * so that a request reads its own writes (and answers anyway, with a warning, when they lag).
 */
export function serviceEventProviders({
  context,
  pool,
  eventStore,
  readModels,
}: ServiceEventFlow): Provider[] {
  return [
    eventStore,
    { provide: CHAIN_SIGNING_KEYS, useFactory: () => loadChainSigningKeys() },
    {
      provide: ChainCheckpointing,
      inject: [eventStore, CHAIN_SIGNING_KEYS],
      useFactory: (events: ServiceEventStore, keys: ChainSigningKeys | null) =>
        new ChainCheckpointing(pool, events.store, keys),
    },
    {
      provide: PersonalDataVault,
      useFactory: () => new PersonalDataVault(personalFieldsOfStoreType(context)),
    },
    {
      provide: PERSONAL_DATA_SERVICE,
      inject: [eventStore, PersonalDataVault, readModels],
      useFactory: (
        events: ServiceEventStore,
        vault: PersonalDataVault,
        projections: { readonly runners: ProjectionRunner[] },
      ) => new StorePersonalData(events.store, vault, projections.runners),
    },
    {
      provide: CommandPipeline,
      inject: [eventStore, readModels, PersonalDataVault],
      useFactory: (
        events: ServiceEventStore,
        projections: { readonly runners: ProjectionRunner[] },
        vault: PersonalDataVault,
      ) =>
        new CommandPipeline({
          store: events.store,
          contracts: catalogContracts(context),
          personalData: vault,
          readModels: projectionReadModels(projections.runners, {
            onBehind: (projection) =>
              new Logger(CommandPipeline.name).warn({
                message: 'read model still behind a command; answering anyway',
                projection,
              }),
          }),
        }),
    },
  ];
}
