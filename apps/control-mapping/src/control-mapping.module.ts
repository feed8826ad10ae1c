import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { CONTROL_MAPPING_CONTEXT } from '@attest/control-mapping-domain';
import {
  ClockModule,
  consumingServiceMessaging,
  DeadlineSweepController,
  deadlineSweepProviders,
  HealthModule,
  EventChainController,
  PersonalDataController,
  serviceEventProviders,
} from '@attest/service-kit';
import {
  CONTROL_MAPPING_OPTIONS,
  MONITORING_CONSUMER_GROUP,
  monitoringTopic,
  READ_MODEL_SCHEMA,
  READINESS_CONSUMER_GROUP,
  readinessTopic,
  resolveOptions,
  type ControlMappingOptions,
  type ResolvedOptions,
} from './control-mapping-options';
import { ControlMappingAggregates } from './event-flow/control-mapping-aggregates';
import { ControlMappingEventStore } from './event-flow/control-mapping-event-store';
import { ReadinessEventsListener } from './event-flow/readiness-events.listener';
import { ControlSetsController } from './http/control-sets.controller';
import { ControlsController } from './http/controls.controller';
import { CoverageController, CoverageCsvController, CoverageReports } from './http/coverage.controller';
import { PoliciesController } from './http/policies.controller';
import { ProposedControlsController } from './http/proposed-controls.controller';
import { RequestSupport } from './http/request-support';
import { ControlMappingReadModel } from './read-model/control-mapping-read-model';
import { READ_MODEL_AS_OF } from './read-model/read-model-as-of';
import { ProjectionLifecycle } from './read-model/projection-lifecycle';
import { PEOPLE_CONTROLLERS, PEOPLE_PROVIDERS } from './people/people-wiring';
import { ControlMappingDeadlines } from './deadlines/control-mapping-deadlines';
import { DeadlineSweep } from './deadlines/deadline-sweep';
import { MONITORING_HEALTH_PROVIDERS } from './monitoring-health/monitoring-health-wiring';

/** Ends the service's pool after everything else has shut down (the consumer drained, projections stopped). */
@Injectable()
class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.options.closePoolOnShutdown) await this.options.pool.end();
  }
}

/**
 * The control-mapping service: HTTP controllers over the domain's deciders, whose commands the command pipeline
 * runs (checked against the control-mapping contracts, waiting for the read models); the event store with its outbox
 * (relayed to `attest.control-mapping.events.v1`), projections in `control_mapping_read`, the consumer of
 * readiness events (group `attest.control-mapping.readiness-events`) and that of monitoring events (group
 * `attest.control-mapping.monitoring-events`: the controls' health the coverage matrix shows).
 */
@Module({})
export class ControlMappingModule {
  static forRoot(options: ControlMappingOptions): DynamicModule {
    const resolved = resolveOptions(options);
    const imports: DynamicModule[] = [
      ClockModule.forRoot(options.clock),
      HealthModule.forRoot({ checks: options.healthChecks ?? [] }),
      ...consumingServiceMessaging(
        CONTROL_MAPPING_CONTEXT,
        options.pool,
        options.messaging,
        { groupId: READINESS_CONSUMER_GROUP, topicOf: readinessTopic },
        {
          groupId: MONITORING_CONSUMER_GROUP,
          topicOf: monitoringTopic,
          groupOf: (messaging) => messaging.monitoringGroupId,
        },
      ),
    ];
    return {
      module: ControlMappingModule,
      imports,
      controllers: [
        ControlSetsController,
        ControlsController,
        CoverageController,
        CoverageCsvController,
        PoliciesController,
        ProposedControlsController,
        PersonalDataController,
        EventChainController,
        ...PEOPLE_CONTROLLERS,
        DeadlineSweepController,
      ],
      providers: [
        { provide: CONTROL_MAPPING_OPTIONS, useValue: resolved },
        ...serviceEventProviders({
          context: CONTROL_MAPPING_CONTEXT,
          pool: resolved.pool,
          eventStore: ControlMappingEventStore,
          readModels: ProjectionLifecycle,
        }),
        ControlMappingAggregates,
        ProjectionLifecycle,
        {
          provide: ControlMappingReadModel,
          useFactory: () => new ControlMappingReadModel(resolved.pool, READ_MODEL_SCHEMA),
        },
        READ_MODEL_AS_OF,
        RequestSupport,
        CoverageReports,
        ReadinessEventsListener,
        ControlMappingDeadlines,
        ...deadlineSweepProviders(DeadlineSweep),
        PoolCloser,
        ...PEOPLE_PROVIDERS,
        ...MONITORING_HEALTH_PROVIDERS,
      ],
    };
  }
}
