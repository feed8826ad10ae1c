import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { catalogEventTypes, MessagingModule } from '@attest/messaging';
import { eventContexts } from '@attest/event-contracts';
import { serviceEventProviders } from '@attest/service-kit';
import { lifecycleBridgeProviders } from './bridge';
import { ServiceTokenSource } from './identity/service-token';
import { LifecycleEventStore, NoReadModels } from './lifecycle-events/lifecycle-event-store';
import { LifecycleRecorder } from './lifecycle-events/lifecycle-recorder';
import { ORCHESTRATOR_OPTIONS, ORCHESTRATOR_POOL, type OrchestratorOptions } from './orchestrator-options';
import { SystemApiClient } from './system-api/system-api-client';
import { LifecycleWorker } from './worker/lifecycle-worker';

/** The consumer group name of the relay-only messaging module (it consumes nothing). */
const RELAY_GROUP = 'attest.orchestrator.relay';

/** Ends the pool last: after the worker drained, since its activities append until then. */
@Injectable()
class PoolShutdown implements OnApplicationShutdown {
  constructor(@Inject(ORCHESTRATOR_OPTIONS) private readonly options: OrchestratorOptions) {}

  async onApplicationShutdown(): Promise<void> {
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
        LifecycleRecorder,
        LifecycleWorker,
        ...lifecycleBridgeProviders(options.bridge ?? false),
        PoolShutdown,
      ],
      exports: [LifecycleRecorder, SystemApiClient],
    };
  }
}
