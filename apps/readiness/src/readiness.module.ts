import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { catalogContracts, CommandPipeline, projectionReadModels } from '@attest/command-pipeline';
import { personalFieldsOfStoreType } from '@attest/event-contracts';
import {
  type ChainSigningKeys,
  loadChainSigningKeys,
  PersonalDataVault,
  PostgresEventStore,
  StorePersonalData,
} from '@attest/event-store';
import { catalogEventTypes, catalogEventValidator, MessagingModule, outboxRouteFor } from '@attest/messaging';
import {
  CHAIN_SIGNING_KEYS,
  ChainCheckpointing,
  ClockModule,
  DeadlineSweepController,
  deadlineSweepProviders,
  EventChainController,
  HealthModule,
  PERSONAL_DATA_SERVICE,
  PersonalDataController,
} from '@attest/service-kit';
import { READINESS_SOURCE } from './event-flow/readiness-events';
import { RiskAcceptanceExpiry } from './event-flow/risk-acceptance-expiry';
import { DeadlineSweep } from './deadlines/deadline-sweep';
import { ReadinessDeadlines } from './deadlines/readiness-deadlines';
import { AssessmentsController } from './http/assessments.controller';
import { RemediationTasksController } from './http/remediation-tasks.controller';
import { RiskAssessmentsController } from './http/risk-assessments.controller';
import { RiskMatrixController } from './http/risk-matrix.controller';
import { RisksController } from './http/risks.controller';
import { SystemDescriptionController } from './http/system-description.controller';
import { AssessmentViews } from './read-model/assessment-views';
import { ASSESSMENT_VIEWS_AS_OF } from './read-model/assessment-views-as-of';
import { ReadinessQueries } from './read-model/readiness-queries';
import { SystemDescriptionQueries } from './read-model/system-description-queries';
import { ReadinessReadModel } from './read-model/readiness-read-model';
import {
  READ_MODEL_SCHEMA,
  READINESS_OPTIONS,
  READINESS_POOL,
  type ReadinessModuleOptions,
} from './readiness-options';

/** Ends the service's own pool last, after the relay and the projection runners have stopped. */
class PoolShutdown implements OnApplicationShutdown {
  constructor(@Inject(READINESS_OPTIONS) private readonly options: ReadinessModuleOptions) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.options.ownsPool) await this.options.pool.end();
  }
}

/**
 * The readiness service: HTTP controllers over the readiness domain, whose commands the command pipeline runs
 * (checked against the readiness contracts of the event catalog, waiting for the read models); the event store with
 * its outbox (published to attest.readiness.events.v1 by the relay of @attest/messaging), read models kept by
 * projection runners, health.
 */
@Module({})
export class ReadinessModule {
  static forRoot(options: ReadinessModuleOptions): DynamicModule {
    const registry = catalogEventTypes('readiness');
    return {
      module: ReadinessModule,
      imports: [
        ClockModule.forRoot(options.clock),
        HealthModule.forRoot({ checks: options.checks }),
        MessagingModule.forRoot({
          groupId: 'attest.readiness',
          source: READINESS_SOURCE,
          // The service consumes nothing yet; the module runs its outbox relay.
          topics: [],
          pool: options.pool,
          brokers: options.kafkaBrokers,
          validate: catalogEventValidator(),
          ...(options.relay === false ? {} : { relay: { registry } }),
        }),
      ],
      controllers: [
        AssessmentsController,
        RemediationTasksController,
        RisksController,
        RiskAssessmentsController,
        RiskMatrixController,
        SystemDescriptionController,
        PersonalDataController,
        EventChainController,
        DeadlineSweepController,
      ],
      providers: [
        { provide: READINESS_OPTIONS, useValue: options },
        { provide: READINESS_POOL, useValue: options.pool },
        {
          provide: PostgresEventStore,
          useFactory: () =>
            new PostgresEventStore(options.pool, {
              outbox: outboxRouteFor(registry),
              source: READINESS_SOURCE,
            }),
        },
        { provide: CHAIN_SIGNING_KEYS, useFactory: () => loadChainSigningKeys() },
        {
          provide: ChainCheckpointing,
          inject: [PostgresEventStore, CHAIN_SIGNING_KEYS],
          useFactory: (store: PostgresEventStore, keys: ChainSigningKeys | null) =>
            new ChainCheckpointing(options.pool, store, keys),
        },
        {
          provide: PersonalDataVault,
          useFactory: () => new PersonalDataVault(personalFieldsOfStoreType('readiness')),
        },
        ReadinessReadModel,
        {
          provide: PERSONAL_DATA_SERVICE,
          inject: [PostgresEventStore, PersonalDataVault, ReadinessReadModel],
          useFactory: (store: PostgresEventStore, vault: PersonalDataVault, readModel: ReadinessReadModel) =>
            new StorePersonalData(store, vault, readModel.runners),
        },
        {
          provide: CommandPipeline,
          inject: [PostgresEventStore, ReadinessReadModel, PersonalDataVault],
          useFactory: (store: PostgresEventStore, readModel: ReadinessReadModel, vault: PersonalDataVault) =>
            new CommandPipeline({
              store,
              contracts: catalogContracts('readiness'),
              personalData: vault,
              readModels: projectionReadModels(readModel.runners, {
                onBehind: (projection) =>
                  new Logger(CommandPipeline.name).warn({
                    message: 'read model is behind the write; answering anyway',
                    projection,
                  }),
              }),
            }),
        },
        {
          provide: ReadinessQueries,
          useFactory: () => new ReadinessQueries(options.pool, READ_MODEL_SCHEMA),
        },
        SystemDescriptionQueries,
        AssessmentViews,
        ASSESSMENT_VIEWS_AS_OF,
        ReadinessDeadlines,
        RiskAcceptanceExpiry,
        ...deadlineSweepProviders(DeadlineSweep),
        PoolShutdown,
      ],
    };
  }
}
