// The monitoring service: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/monitoring/src/main.ts
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
  DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  EVIDENCE_CONSUMER_GROUP,
} from './monitoring-options';
import { MonitoringModule } from './monitoring.module';
import { monitoringAppOptions } from './monitoring-service';

void runService('monitoring', async () => {
  // Bad settings throw one ConfigError listing every problem: the service exits 1 before listening.
  const config = loadServiceConfig({
    service: 'monitoring',
    httpPort: 3104,
    settings: {
      // The evidence consumer (collector runs, freshness) is the service's main input: it takes the common names.
      ...consumingServiceSettings({
        envPrefix: 'ATTEST_MONITORING',
        database: 'attest_monitoring',
        consumerGroup: EVIDENCE_CONSUMER_GROUP,
        topicEnv: 'ATTEST_MONITORING_EVIDENCE_TOPIC',
        topic: 'attest.evidence.events.v1',
      }),
      controlMappingConsumerGroup: setting.string('ATTEST_MONITORING_CONTROL_MAPPING_CONSUMER_GROUP', {
        default: CONTROL_MAPPING_CONSUMER_GROUP,
        pattern: /^[A-Za-z0-9._-]{1,200}$/,
      }),
      controlMappingTopic: setting.string('ATTEST_MONITORING_CONTROL_MAPPING_TOPIC', {
        default: 'attest.control-mapping.events.v1',
        pattern: /^[A-Za-z0-9._-]{1,249}$/,
      }),
      // Milliseconds, comma-separated: one wait per retry, then the delivery is dead-lettered.
      webhookRetryDelaysMs: setting.string('ATTEST_WEBHOOK_RETRY_DELAYS_MS', {
        default: DEFAULT_WEBHOOK_RETRY_DELAYS_MS.join(','),
        pattern: /^\d{1,9}(,\d{1,9}){0,19}$/,
      }),
    },
  });
  const pool = consumingServicePool(config);
  await startService(
    MonitoringModule.forRoot({
      pool,
      messaging: {
        groupId: config.settings.consumerGroup,
        evidenceTopic: config.settings.consumedTopic,
        controlMappingGroupId: config.settings.controlMappingConsumerGroup,
        controlMappingTopic: config.settings.controlMappingTopic,
        brokers: config.infra.kafkaBrokers,
        relay: config.settings.relay,
      },
      healthChecks: [postgresCheck(pool), kafkaCheck(config.infra.kafkaBrokers)],
      closePoolOnShutdown: true,
      webhookRetryDelaysMs: config.settings.webhookRetryDelaysMs.split(',').map(Number),
    }),
    {
      ...monitoringAppOptions(pool, { authentication: config.identity, logLevel: config.logLevel }),
      ...config.http,
    },
  );
});
