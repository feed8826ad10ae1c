import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { catalogContracts, CommandPipeline, projectionReadModels } from '@attest/command-pipeline';
import { personalFieldsOfStoreType } from '@attest/event-contracts';
import {
  type ChainSigningKeys,
  loadChainSigningKeys,
  PersonalDataVault,
  StorePersonalData,
} from '@attest/event-store';
import { catalogEventValidator, MessagingModule } from '@attest/messaging';
import {
  CHAIN_SIGNING_KEYS,
  ChainCheckpointing,
  ClockModule,
  EventChainController,
  HealthModule,
  PERSONAL_DATA_SERVICE,
  PersonalDataController,
} from '@attest/service-kit';
import { COLLECTION_CONTROLLERS, COLLECTION_PROVIDERS } from './collection/collection-wiring';
import { CUSTODY_CONTROLLERS, CUSTODY_PROVIDERS } from './custody/custody-wiring';
import {
  CONTENT_STORE,
  CONTROL_MAPPING_CONSUMER_GROUP,
  controlMappingTopic,
  EVIDENCE_OPTIONS,
  EVIDENCE_SOURCE,
  resolveOptions,
  type EvidenceOptions,
  type ResolvedOptions,
} from './evidence-options';
import { EvidenceAggregates } from './event-flow/evidence-aggregates';
import { EvidenceEventStore, evidenceEventTypes } from './event-flow/evidence-event-store';
import { FRESHNESS_CONTROLLERS, FRESHNESS_PROVIDERS } from './freshness/freshness-wiring';
import { EvidenceItemsController } from './http/evidence-items.controller';
import { EvidenceUploads } from './http/evidence-uploads';
import { ProjectionLifecycle } from './read-model/projection-lifecycle';
import { READ_MODEL_CONTROLLERS, READ_MODEL_PROVIDERS } from './read-model/read-model-wiring';

/** Ends the service's pool after everything else has shut down (the consumer drained, projections stopped). */
@Injectable()
class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(EVIDENCE_OPTIONS) private readonly options: ResolvedOptions) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.options.closePoolOnShutdown) await this.options.pool.end();
  }
}

/**
 * The evidence service: HTTP controllers over the evidence domain's deciders, whose commands the command pipeline
 * runs (checked against the evidence contracts, waiting for the read models); the content store the items' bytes
 * live in (content-addressed by SHA-256); the event store with its outbox (relayed to `attest.evidence.events.v1`),
 * projections in `evidence_read`, and the consumer of control-mapping events (group
 * `attest.evidence.control-mapping-events`), which tells the service the tenant's controls.
 */
@Module({})
export class EvidenceModule {
  static forRoot(options: EvidenceOptions): DynamicModule {
    const resolved = resolveOptions(options);
    const imports: DynamicModule[] = [
      ClockModule.forRoot(options.clock),
      HealthModule.forRoot({ checks: options.healthChecks ?? [] }),
    ];
    if (options.messaging !== false) {
      const messaging = options.messaging ?? {};
      imports.push(
        MessagingModule.forRoot({
          groupId: messaging.groupId ?? CONTROL_MAPPING_CONSUMER_GROUP,
          source: EVIDENCE_SOURCE,
          topics: [controlMappingTopic(messaging)],
          pool: options.pool,
          ...(messaging.brokers ? { brokers: messaging.brokers } : {}),
          ...(messaging.fromBeginning === undefined ? {} : { fromBeginning: messaging.fromBeginning }),
          validate: catalogEventValidator(),
          ...(messaging.relay === false ? {} : { relay: { registry: evidenceEventTypes() } }),
        }),
      );
    }
    return {
      module: EvidenceModule,
      imports,
      controllers: [
        EvidenceItemsController,
        PersonalDataController,
        EventChainController,
        ...READ_MODEL_CONTROLLERS,
        ...FRESHNESS_CONTROLLERS,
        ...CUSTODY_CONTROLLERS,
        ...COLLECTION_CONTROLLERS,
      ],
      providers: [
        { provide: EVIDENCE_OPTIONS, useValue: resolved },
        { provide: CONTENT_STORE, useValue: resolved.contentStore },
        EvidenceEventStore,
        { provide: CHAIN_SIGNING_KEYS, useFactory: () => loadChainSigningKeys() },
        {
          provide: ChainCheckpointing,
          inject: [EvidenceEventStore, CHAIN_SIGNING_KEYS],
          useFactory: (events: EvidenceEventStore, keys: ChainSigningKeys | null) =>
            new ChainCheckpointing(resolved.pool, events.store, keys),
        },
        EvidenceAggregates,
        {
          provide: PersonalDataVault,
          useFactory: () => new PersonalDataVault(personalFieldsOfStoreType('evidence')),
        },
        {
          provide: PERSONAL_DATA_SERVICE,
          inject: [EvidenceEventStore, PersonalDataVault, ProjectionLifecycle],
          useFactory: (
            events: EvidenceEventStore,
            vault: PersonalDataVault,
            projections: ProjectionLifecycle,
          ) => new StorePersonalData(events.store, vault, projections.runners),
        },
        {
          provide: CommandPipeline,
          inject: [EvidenceEventStore, ProjectionLifecycle, PersonalDataVault],
          useFactory: (
            events: EvidenceEventStore,
            projections: ProjectionLifecycle,
            vault: PersonalDataVault,
          ) =>
            new CommandPipeline({
              store: events.store,
              contracts: catalogContracts('evidence'),
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
        EvidenceUploads,
        PoolCloser,
        ...READ_MODEL_PROVIDERS,
        ...FRESHNESS_PROVIDERS,
        ...CUSTODY_PROVIDERS,
        ...COLLECTION_PROVIDERS,
      ],
    };
  }
}
