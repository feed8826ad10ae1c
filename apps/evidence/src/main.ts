// The evidence service: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/evidence/src/main.ts
import { Logger } from '@nestjs/common';
import { contentStoreFromEnv } from '@attest/evidence-storage';
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
import { COLLECTOR_SECRETS_KEY_ENV, collectorSecretsKeySetting } from './collection/collector-secrets';
import {
  AUDITOR_ENGAGEMENT_CONSUMER_GROUP,
  CONTROL_MAPPING_CONSUMER_GROUP,
  DEFAULT_MAX_UPLOAD_BYTES,
  DEFAULT_RETENTION_MONTHS,
} from './evidence-options';
import { EvidenceModule } from './evidence.module';
import { evidenceAppOptions } from './evidence-service';

void runService('evidence', async () => {
  // Bad settings throw one ConfigError listing every problem: the service exits 1 before listening.
  const config = loadServiceConfig({
    service: 'evidence',
    httpPort: 3103,
    settings: {
      ...consumingServiceSettings({
        envPrefix: 'ATTEST_EVIDENCE',
        database: 'attest_evidence',
        consumerGroup: CONTROL_MAPPING_CONSUMER_GROUP,
        topicEnv: 'ATTEST_EVIDENCE_CONTROL_MAPPING_TOPIC',
        topic: 'attest.control-mapping.events.v1',
      }),
      auditorEngagementConsumerGroup: setting.string('ATTEST_EVIDENCE_AUDITOR_ENGAGEMENT_CONSUMER_GROUP', {
        default: AUDITOR_ENGAGEMENT_CONSUMER_GROUP,
        pattern: /^[A-Za-z0-9._-]{1,200}$/,
      }),
      auditorEngagementTopic: setting.string('ATTEST_EVIDENCE_AUDITOR_ENGAGEMENT_TOPIC', {
        default: 'attest.auditor-engagement.events.v1',
        pattern: /^[A-Za-z0-9._-]{1,249}$/,
      }),
      // Up to 5 GiB: one upload is one streamed request, so the limit bounds disk use and request time, not memory.
      maxUploadBytes: setting.integer('ATTEST_EVIDENCE_MAX_UPLOAD_BYTES', {
        default: DEFAULT_MAX_UPLOAD_BYTES,
        min: 1,
        max: 5 * 1024 ** 3,
      }),
      retentionMonths: setting.integer('ATTEST_EVIDENCE_RETENTION_MONTHS', {
        default: DEFAULT_RETENTION_MONTHS,
        min: 1,
        max: 1200,
      }),
      // Absolute directories, colon-separated; none by default, so no collector reads a path nobody allowed.
      collectorAllowedPaths: setting.string('ATTEST_COLLECTOR_ALLOWED_PATHS', {
        default: '',
        pattern: /^(\/[^:]*(:\/[^:]*)*)?$/,
      }),
      // Required in production; elsewhere the development key, said in the log so nobody mistakes it for protection.
      collectorSecretsKey: collectorSecretsKeySetting(),
    },
  });
  const secrets = config.settings.collectorSecretsKey;
  if (secrets.development)
    new Logger('CollectorSecrets').warn(
      `${COLLECTOR_SECRETS_KEY_ENV} is not set: stored collector secrets use the development key`,
    );
  const pool = consumingServicePool(config);
  await startService(
    EvidenceModule.forRoot({
      pool,
      contentStore: contentStoreFromEnv(),
      messaging: {
        groupId: config.settings.consumerGroup,
        controlMappingTopic: config.settings.consumedTopic,
        auditorEngagementGroupId: config.settings.auditorEngagementConsumerGroup,
        auditorEngagementTopic: config.settings.auditorEngagementTopic,
        brokers: config.infra.kafkaBrokers,
        relay: config.settings.relay,
      },
      healthChecks: [postgresCheck(pool), kafkaCheck(config.infra.kafkaBrokers)],
      closePoolOnShutdown: true,
      maxUploadBytes: config.settings.maxUploadBytes,
      retentionMonths: config.settings.retentionMonths,
      collectorAllowedPaths: config.settings.collectorAllowedPaths.split(':').filter(Boolean),
      collectorSecretsKey: secrets.key,
    }),
    {
      ...evidenceAppOptions(pool, { authentication: config.identity, logLevel: config.logLevel }),
      ...config.http,
    },
  );
});
