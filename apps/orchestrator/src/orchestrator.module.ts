import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { catalogEventTypes, MessagingModule } from '@attest/messaging';
import { eventContexts } from '@attest/event-contracts';
import type { Pool } from 'pg';
import { serviceEventProviders } from '@attest/service-kit';
import { lifecycleBridgeProviders, setUpAuditPeriods } from './bridge';
import { ServiceTokenSource } from './identity/service-token';
import { LifecycleEventStore, NoReadModels } from './lifecycle-events/lifecycle-event-store';
import { LifecycleRecorder } from './lifecycle-events/lifecycle-recorder';
import {
  ORCHESTRATOR_OPTIONS,
  ORCHESTRATOR_POOL,
  ORCHESTRATOR_TEMPORAL,
  SCHEDULE_TENANT,
  type OrchestratorOptions,
} from './orchestrator-options';
import { evidenceStoredCollectors, tenantScheduler, type ScheduleTenant } from './schedules';
import { SystemApiClient } from './system-api/system-api-client';
import { LifecycleWorker } from './worker/lifecycle-worker';

/** The consumer group name of the relay-only messaging module (it consumes nothing). */
const RELAY_GROUP = 'attest.orchestrator.relay';

/**
 * Creates the audit periods tables once, before the worker (`startNextPeriod` records a tenant's period, also when
 * this process runs no bridge) and the bridge start.
 */
@Injectable()
class AuditPeriodsSetUp implements OnModuleInit {
  constructor(@Inject(ORCHESTRATOR_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await setUpAuditPeriods(this.pool);
  }
}

/**
 * Closes the Temporal client and ends the pool last: after the bridge stopped and the worker drained, since
 * their activities and signals use them until then.
 */
@Injectable()
class ConnectionsShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(ORCHESTRATOR_OPTIONS) private readonly options: OrchestratorOptions,
    @Inject(ORCHESTRATOR_TEMPORAL) private readonly temporal: Client,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.temporal.connection.close();
    if (this.options.closePoolOnShutdown) await this.options.pool.end();
  }
}

/**
 * The orchestrator as a Nest application context (no HTTP): the lifecycle event store and its command pipeline,
 * the outbox relay to `attest.lifecycle.events.v1`, the service token and system API client, the Temporal worker
 * that runs the lifecycle workflows and their activities, and the Kafka → Temporal bridge that signals them.
 */
@Module({})
export class OrchestratorModule {
  static forRoot(options: OrchestratorOptions): DynamicModule {
    const { pool, messaging } = options;
    return {
      module: OrchestratorModule,
      imports:
        messaging === false
          ? []
          : [
              MessagingModule.forRoot({
                groupId: RELAY_GROUP,
                source: eventContexts.lifecycle.source,
                topics: [],
                pool,
                ...(messaging.brokers ? { brokers: messaging.brokers } : {}),
                relay: { registry: catalogEventTypes('lifecycle') },
              }),
            ],
      providers: [
        { provide: ORCHESTRATOR_OPTIONS, useValue: options },
        { provide: ORCHESTRATOR_POOL, useValue: pool },
        NoReadModels,
        ...serviceEventProviders({
          context: 'lifecycle',
          pool,
          eventStore: LifecycleEventStore,
          readModels: NoReadModels,
        }),
        { provide: ServiceTokenSource, useFactory: () => new ServiceTokenSource(options.credentials) },
        {
          provide: SystemApiClient,
          inject: [ServiceTokenSource],
          useFactory: (tokens: ServiceTokenSource) => new SystemApiClient(options.services, tokens),
        },
        {
          provide: ORCHESTRATOR_TEMPORAL,
          useFactory: async (): Promise<Client> => {
            const { temporalAddress, namespace } = options.worker;
            const connection = await Connection.connect({ address: temporalAddress });
            return new Client({ connection, namespace });
          },
        },
        {
          provide: SCHEDULE_TENANT,
          inject: [ORCHESTRATOR_TEMPORAL, SystemApiClient],
          useFactory: (temporal: Client, services: SystemApiClient): ScheduleTenant => {
            const { schedules, worker } = options;
            return schedules
              ? tenantScheduler(temporal, evidenceStoredCollectors(services), schedules, worker.taskQueue)
              : async () => undefined;
          },
        },
        AuditPeriodsSetUp,
        LifecycleRecorder,
        LifecycleWorker,
        ...lifecycleBridgeProviders(options.bridge ?? false),
        ConnectionsShutdown,
      ],
      exports: [LifecycleRecorder, SystemApiClient],
    };
  }
}
