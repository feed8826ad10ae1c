import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import {
  ClockModule,
  consumingServiceMessaging,
  EventChainController,
  HealthModule,
  PersonalDataController,
  serviceEventProviders,
} from '@attest/service-kit';
import { COLLECTION_CONTROLLERS, COLLECTION_PROVIDERS } from './collection/collection-wiring';
import { CUSTODY_CONTROLLERS, CUSTODY_PROVIDERS } from './custody/custody-wiring';
import {
  ENGAGEMENT_ACCESS_CONTROLLERS,
  ENGAGEMENT_ACCESS_PROVIDERS,
} from './engagement-access/engagement-access-wiring';
import {
  AUDITOR_ENGAGEMENT_CONSUMER_GROUP,
  auditorEngagementTopic,
  CONTENT_STORE,
  CONTROL_MAPPING_CONSUMER_GROUP,
  controlMappingTopic,
  EVIDENCE_OPTIONS,
  resolveOptions,
  type EvidenceOptions,
  type ResolvedOptions,
} from './evidence-options';
import { EvidenceAggregates } from './event-flow/evidence-aggregates';
import { EvidenceEventStore } from './event-flow/evidence-event-store';
import { FRESHNESS_CONTROLLERS, FRESHNESS_PROVIDERS } from './freshness/freshness-wiring';
import { EvidenceItemsController } from './http/evidence-items.controller';
import { EvidenceUploads } from './http/evidence-uploads';
import { ProjectionLifecycle } from './read-model/projection-lifecycle';
import { READ_MODEL_CONTROLLERS, READ_MODEL_PROVIDERS } from './read-model/read-model-wiring';
import { SYSTEM_CONTROLLERS, SYSTEM_PROVIDERS } from './system/system-wiring';

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
 * projections in `evidence_read`, the consumer of control-mapping events (group
 * `attest.evidence.control-mapping-events`), which tells the service the tenant's controls, and the consumer of
 * auditor-engagement events (group `attest.evidence.auditor-engagement-events`), which tells it which auditors an
 * engagement lets see which controls' evidence.
 */
@Module({})
export class EvidenceModule {
  static forRoot(options: EvidenceOptions): DynamicModule {
    const resolved = resolveOptions(options);
    const imports: DynamicModule[] = [
      ClockModule.forRoot(options.clock),
      HealthModule.forRoot({ checks: options.healthChecks ?? [] }),
      ...consumingServiceMessaging(
        'evidence',
        options.pool,
        options.messaging,
        { groupId: CONTROL_MAPPING_CONSUMER_GROUP, topicOf: controlMappingTopic },
        {
          groupId: AUDITOR_ENGAGEMENT_CONSUMER_GROUP,
          topicOf: auditorEngagementTopic,
          groupOf: (messaging) => messaging.auditorEngagementGroupId,
        },
      ),
    ];
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
        ...ENGAGEMENT_ACCESS_CONTROLLERS,
        ...SYSTEM_CONTROLLERS,
      ],
      providers: [
        { provide: EVIDENCE_OPTIONS, useValue: resolved },
        { provide: CONTENT_STORE, useValue: resolved.contentStore },
        ...serviceEventProviders({
          context: 'evidence',
          pool: resolved.pool,
          eventStore: EvidenceEventStore,
          readModels: ProjectionLifecycle,
        }),
        EvidenceAggregates,
        EvidenceUploads,
        PoolCloser,
        ...READ_MODEL_PROVIDERS,
        ...FRESHNESS_PROVIDERS,
        ...CUSTODY_PROVIDERS,
        ...COLLECTION_PROVIDERS,
        ...ENGAGEMENT_ACCESS_PROVIDERS,
        ...SYSTEM_PROVIDERS,
      ],
    };
  }
}
