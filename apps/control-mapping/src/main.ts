// The control-mapping service: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/control-mapping/src/main.ts
import { Pool } from 'pg';
import { postgresDatabaseUrl } from '@attest/platform-config';
import {
  kafkaCheck,
  loadServiceConfig,
  postgresCheck,
  runService,
  setting,
  startService,
} from '@attest/service-kit';
import { READINESS_CONSUMER_GROUP } from './control-mapping-options';
import { ControlMappingModule } from './control-mapping.module';
import { controlMappingAppOptions } from './control-mapping-service';

void runService('control-mapping', async () => {
  // Bad settings throw one ConfigError listing every problem: the service exits 1 before listening.
  const config = loadServiceConfig({
    service: 'control-mapping',
    httpPort: 3102,
    settings: {
      database: setting.string('ATTEST_CONTROL_MAPPING_DATABASE', { default: 'attest_control_mapping' }),
      consumerGroup: setting.string('ATTEST_CONTROL_MAPPING_CONSUMER_GROUP', {
        default: READINESS_CONSUMER_GROUP,
        pattern: /^[A-Za-z0-9._-]{1,200}$/,
      }),
      readinessTopic: setting.string('ATTEST_CONTROL_MAPPING_READINESS_TOPIC', {
        default: 'attest.readiness.events.v1',
        pattern: /^[A-Za-z0-9._-]{1,249}$/,
      }),
      poolSize: setting.integer('ATTEST_CONTROL_MAPPING_DB_POOL_SIZE', { default: 20, min: 2, max: 200 }),
      // Off where another process relays this database's outbox, or where nothing may reach Kafka (fuzzing).
      relay: setting.boolean('ATTEST_CONTROL_MAPPING_RELAY', true),
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
  const pool = new Pool({
    connectionString: postgresDatabaseUrl(config.infra, config.settings.database),
    max: config.settings.poolSize,
  });
  // A broken idle connection is replaced by the pool; it must not take the service down.
  pool.on('error', () => undefined);
  await startService(
    ControlMappingModule.forRoot({
      pool,
      messaging: {
        groupId: config.settings.consumerGroup,
        readinessTopic: config.settings.readinessTopic,
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
