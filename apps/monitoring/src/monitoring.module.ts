import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import {
  ClockModule,
  consumingServiceMessaging,
  EventChainController,
  HealthModule,
  PersonalDataController,
  serviceEventProviders,
} from '@attest/service-kit';
import { EVALUATION_CONTROLLERS, EVALUATION_PROVIDERS } from './evaluation/evaluation-wiring';
import { MonitoringAggregates } from './event-flow/monitoring-aggregates';
import { MonitoringEventStore } from './event-flow/monitoring-event-store';
import { HTTP_CONTROLLERS } from './http/http-wiring';
import {
  CONTROL_MAPPING_CONSUMER_GROUP,
  controlMappingTopic,
  EVIDENCE_CONSUMER_GROUP,
  evidenceTopic,
  MONITORING_OPTIONS,
  resolveOptions,
  type MonitoringOptions,
  type ResolvedOptions,
} from './monitoring-options';
import { ProjectionLifecycle } from './read-model/projection-lifecycle';
import { READ_MODEL_CONTROLLERS, READ_MODEL_PROVIDERS } from './read-model/read-model-wiring';
import { MonitoringSystemController } from './system/monitoring-system.controller';
import { WEBHOOK_CONTROLLERS, WEBHOOK_PROVIDERS } from './webhooks/webhook-wiring';

/** Ends the service's pool after everything else has shut down (the consumers drained, projections stopped). */
@Injectable()
class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(MONITORING_OPTIONS) private readonly options: ResolvedOptions) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.options.closePoolOnShutdown) await this.options.pool.end();
  }
}

/**
 * The monitoring service: tests (shipped and the tenant's own, in CEL) evaluated against every collector run's facts
 * from the evidence service's events, their results and history, alerts on drift and their webhooks, exceptions, and
 * each control's health (from results, evidence freshness and exceptions), published on
 * `attest.monitoring.events.v1`. Commands go through the one command pipeline (checked against the monitoring
 * contracts, waiting for the read models in `monitoring_read`); what other services said is kept in
 * `monitoring_inputs`.
 */
@Module({})
export class MonitoringModule {
  static forRoot(options: MonitoringOptions): DynamicModule {
    const resolved = resolveOptions(options);
    return {
      module: MonitoringModule,
      imports: [
        ClockModule.forRoot(options.clock),
        HealthModule.forRoot({ checks: options.healthChecks ?? [] }),
        ...consumingServiceMessaging(
          'monitoring',
          options.pool,
          options.messaging,
          { groupId: EVIDENCE_CONSUMER_GROUP, topicOf: evidenceTopic },
          {
            groupId: CONTROL_MAPPING_CONSUMER_GROUP,
            topicOf: controlMappingTopic,
            groupOf: (messaging) => messaging.controlMappingGroupId,
          },
        ),
      ],
      controllers: [
        ...HTTP_CONTROLLERS,
        PersonalDataController,
        EventChainController,
        ...EVALUATION_CONTROLLERS,
        ...READ_MODEL_CONTROLLERS,
        ...WEBHOOK_CONTROLLERS,
        MonitoringSystemController,
      ],
      providers: [
        { provide: MONITORING_OPTIONS, useValue: resolved },
        ...serviceEventProviders({
          context: 'monitoring',
          pool: resolved.pool,
          eventStore: MonitoringEventStore,
          readModels: ProjectionLifecycle,
        }),
        MonitoringAggregates,
        PoolCloser,
        ...EVALUATION_PROVIDERS,
        ...READ_MODEL_PROVIDERS,
        ...WEBHOOK_PROVIDERS,
      ],
    };
  }
}
