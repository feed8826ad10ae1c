import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import {
  ClockModule,
  consumingServiceMessaging,
  EventChainController,
  HealthModule,
  PersonalDataController,
  serviceEventProviders,
} from '@attest/service-kit';
import { AUDIT_WORK_CONTROLLERS, AUDIT_WORK_PROVIDERS } from './audit-work/audit-work-wiring';
import {
  CONTROL_MAPPING_CONSUMER_GROUP,
  controlMappingTopic,
  ENGAGEMENT_OPTIONS,
  EVIDENCE_CONSUMER_GROUP,
  evidenceTopic,
  MONITORING_CONSUMER_GROUP,
  monitoringTopic,
  READINESS_CONSUMER_GROUP,
  readinessTopic,
  resolveOptions,
  type EngagementOptions,
  type ResolvedOptions,
} from './engagement-options';
import { EngagementAggregates } from './event-flow/engagement-aggregates';
import { EngagementEventStore } from './event-flow/engagement-event-store';
import { HTTP_CONTROLLERS, HTTP_PROVIDERS } from './http/http-wiring';
import { INPUTS_PROVIDERS } from './inputs/inputs-wiring';
import { ProjectionLifecycle } from './read-model/projection-lifecycle';
import { READ_MODEL_PROVIDERS } from './read-model/read-model-wiring';
import { BridgeLetterReminders } from './system/bridge-letter-reminders';
import { EngagementSystemController } from './system/engagement-system.controller';

/** Ends the service's pool after everything else has shut down (the consumers drained, projections stopped). */
@Injectable()
class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(ENGAGEMENT_OPTIONS) private readonly options: ResolvedOptions) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.options.closePoolOnShutdown) await this.options.pool.end();
  }
}

/**
 * The auditor-engagement service: audit firms and their auditors, engagements (Type I and II) with their scope,
 * invitations (the grants through which a firm's auditor reaches the client) and status, and the audit work on them
 * (requests, populations, samples, testing, the report), published on `attest.auditor-engagement.events.v1`.
 * Commands go through the one command pipeline (checked against the contracts, waiting for the read models in
 * `engagement_read`); what the other four services said is kept in `engagement_inputs` by their consumers.
 */
@Module({})
export class AuditorEngagementModule {
  static forRoot(options: EngagementOptions): DynamicModule {
    const resolved = resolveOptions(options);
    return {
      module: AuditorEngagementModule,
      imports: [
        ClockModule.forRoot(options.clock),
        HealthModule.forRoot({ checks: options.healthChecks ?? [] }),
        ...consumingServiceMessaging(
          'auditor-engagement',
          options.pool,
          options.messaging,
          { groupId: CONTROL_MAPPING_CONSUMER_GROUP, topicOf: controlMappingTopic },
          { groupId: EVIDENCE_CONSUMER_GROUP, topicOf: evidenceTopic, groupOf: (m) => m.evidenceGroupId },
          {
            groupId: MONITORING_CONSUMER_GROUP,
            topicOf: monitoringTopic,
            groupOf: (m) => m.monitoringGroupId,
          },
          { groupId: READINESS_CONSUMER_GROUP, topicOf: readinessTopic, groupOf: (m) => m.readinessGroupId },
        ),
      ],
      controllers: [
        ...HTTP_CONTROLLERS,
        PersonalDataController,
        EventChainController,
        ...AUDIT_WORK_CONTROLLERS,
        EngagementSystemController,
      ],
      providers: [
        { provide: ENGAGEMENT_OPTIONS, useValue: resolved },
        ...serviceEventProviders({
          context: 'auditor-engagement',
          pool: resolved.pool,
          eventStore: EngagementEventStore,
          readModels: ProjectionLifecycle,
        }),
        EngagementAggregates,
        PoolCloser,
        ...READ_MODEL_PROVIDERS,
        ...INPUTS_PROVIDERS,
        ...HTTP_PROVIDERS,
        ...AUDIT_WORK_PROVIDERS,
        BridgeLetterReminders,
      ],
    };
  }
}
