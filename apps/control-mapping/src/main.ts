// The control-mapping service: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/control-mapping/src/main.ts
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
import { MONITORING_CONSUMER_GROUP, READINESS_CONSUMER_GROUP } from './control-mapping-options';
import { ControlMappingModule } from './control-mapping.module';
import { controlMappingAppOptions } from './control-mapping-service';

void runService('control-mapping', async () => {
  // Bad settings throw one ConfigError listing every problem: the service exits 1 before listening.
  const config = loadServiceConfig({
    service: 'control-mapping',
    httpPort: 3102,
    settings: {
      ...consumingServiceSettings({
        envPrefix: 'ATTEST_CONTROL_MAPPING',
        database: 'attest_control_mapping',
        consumerGroup: READINESS_CONSUMER_GROUP,
        topicEnv: 'ATTEST_CONTROL_MAPPING_READINESS_TOPIC',
        topic: 'attest.readiness.events.v1',
      }),
      monitoringConsumerGroup: setting.string('ATTEST_CONTROL_MAPPING_MONITORING_CONSUMER_GROUP', {
        default: MONITORING_CONSUMER_GROUP,
        pattern: /^[A-Za-z0-9._-]{1,200}$/,
      }),
      monitoringTopic: setting.string('ATTEST_CONTROL_MAPPING_MONITORING_TOPIC', {
        default: 'attest.monitoring.events.v1',
        pattern: /^[A-Za-z0-9._-]{1,249}$/,
      }),
      policyAcceptanceDays: setting.integer('ATTEST_POLICY_ACCEPTANCE_DAYS', {
        default: 30,
        min: 1,
        max: 365,
      }),
      policyReacceptanceMonths: setting.integer('ATTEST_POLICY_REACCEPTANCE_MONTHS', {
        default: 12,
        min: 1,
        max: 36,
      }),
    },
  });
  const pool = consumingServicePool(config);
  await startService(
    ControlMappingModule.forRoot({
      pool,
      messaging: {
        groupId: config.settings.consumerGroup,
        readinessTopic: config.settings.consumedTopic,
        monitoringGroupId: config.settings.monitoringConsumerGroup,
        monitoringTopic: config.settings.monitoringTopic,
        brokers: config.infra.kafkaBrokers,
        relay: config.settings.relay,
      },
      healthChecks: [postgresCheck(pool), kafkaCheck(config.infra.kafkaBrokers)],
      closePoolOnShutdown: true,
      policyAcceptance: {
        joinerAcceptanceDays: config.settings.policyAcceptanceDays,
        reacceptanceMonths: config.settings.policyReacceptanceMonths,
      },
    }),
    {
      ...controlMappingAppOptions(pool, { authentication: config.identity, logLevel: config.logLevel }),
      ...config.http,
    },
  );
});
