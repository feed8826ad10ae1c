// The auditor-engagement service: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/auditor-engagement/src/main.ts
import {
  consumingServicePool,
  consumingServiceSettings,
  kafkaCheck,
  loadServiceConfig,
  postgresCheck,
  runService,
  setting,
  startService,
} from '@attest/service-kit';
import {
  CONTROL_MAPPING_CONSUMER_GROUP,
  EVIDENCE_CONSUMER_GROUP,
  MONITORING_CONSUMER_GROUP,
  READINESS_CONSUMER_GROUP,
} from './engagement-options';
import { AuditorEngagementModule } from './auditor-engagement.module';
import { engagementAppOptions } from './engagement-service';

const GROUP = /^[A-Za-z0-9._-]{1,200}$/;
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

void runService('auditor-engagement', async () => {
  // Bad settings throw one ConfigError listing every problem: the service exits 1 before listening.
  const config = loadServiceConfig({
    service: 'auditor-engagement',
    httpPort: 3105,
    settings: {
      // The control-mapping consumer (the tenant's controls, what a scope names) takes the common names.
      ...consumingServiceSettings({
        envPrefix: 'ATTEST_AUDITOR_ENGAGEMENT',
        database: 'attest_auditor_engagement',
        consumerGroup: CONTROL_MAPPING_CONSUMER_GROUP,
        topicEnv: 'ATTEST_AUDITOR_ENGAGEMENT_CONTROL_MAPPING_TOPIC',
        topic: 'attest.control-mapping.events.v1',
      }),
      evidenceGroup: setting.string('ATTEST_AUDITOR_ENGAGEMENT_EVIDENCE_CONSUMER_GROUP', {
        default: EVIDENCE_CONSUMER_GROUP,
        pattern: GROUP,
      }),
      evidenceTopic: setting.string('ATTEST_AUDITOR_ENGAGEMENT_EVIDENCE_TOPIC', {
        default: 'attest.evidence.events.v1',
        pattern: TOPIC,
      }),
      monitoringGroup: setting.string('ATTEST_AUDITOR_ENGAGEMENT_MONITORING_CONSUMER_GROUP', {
        default: MONITORING_CONSUMER_GROUP,
        pattern: GROUP,
      }),
      monitoringTopic: setting.string('ATTEST_AUDITOR_ENGAGEMENT_MONITORING_TOPIC', {
        default: 'attest.monitoring.events.v1',
        pattern: TOPIC,
      }),
      readinessGroup: setting.string('ATTEST_AUDITOR_ENGAGEMENT_READINESS_CONSUMER_GROUP', {
        default: READINESS_CONSUMER_GROUP,
        pattern: GROUP,
      }),
      readinessTopic: setting.string('ATTEST_AUDITOR_ENGAGEMENT_READINESS_TOPIC', {
        default: 'attest.readiness.events.v1',
        pattern: TOPIC,
      }),
    },
  });
  const pool = consumingServicePool(config);
  const s = config.settings;
  await startService(
    AuditorEngagementModule.forRoot({
      pool,
      messaging: {
        groupId: s.consumerGroup,
        controlMappingTopic: s.consumedTopic,
        evidenceGroupId: s.evidenceGroup,
        evidenceTopic: s.evidenceTopic,
        monitoringGroupId: s.monitoringGroup,
        monitoringTopic: s.monitoringTopic,
        readinessGroupId: s.readinessGroup,
        readinessTopic: s.readinessTopic,
        brokers: config.infra.kafkaBrokers,
        relay: s.relay,
      },
      healthChecks: [postgresCheck(pool), kafkaCheck(config.infra.kafkaBrokers)],
      closePoolOnShutdown: true,
    }),
    {
      ...engagementAppOptions(pool, { authentication: config.identity, logLevel: config.logLevel }),
      ...config.http,
    },
  );
});
