import { Pool } from 'pg';
import { postgresDatabaseUrl } from '@attest/platform-config';
import { setting, type ServiceConfig } from './service-config';

/** Where a consuming service's settings come from. */
export interface ConsumingServiceSettingsOf {
  /** e.g. `ATTEST_EVIDENCE`: the variables are `<prefix>_DATABASE`, `_CONSUMER_GROUP`, `_DB_POOL_SIZE`, `_RELAY`. */
  envPrefix: string;
  database: string;
  consumerGroup: string;
  /** The variable naming the consumed topic, and its default (the other context's public topic). */
  topicEnv: string;
  topic: string;
}

/**
 * The settings of a service with its own database that consumes another context's topic and relays its own outbox,
 * for loadServiceConfig: `database`, `consumerGroup`, `consumedTopic`, `poolSize` (default 20) and `relay` (off where
 * another process relays this database's outbox, or where nothing may reach Kafka, as in fuzzing).
 */
export function consumingServiceSettings(of: ConsumingServiceSettingsOf) {
  return {
    database: setting.string(`${of.envPrefix}_DATABASE`, { default: of.database }),
    consumerGroup: setting.string(`${of.envPrefix}_CONSUMER_GROUP`, {
      default: of.consumerGroup,
      pattern: /^[A-Za-z0-9._-]{1,200}$/,
    }),
    consumedTopic: setting.string(of.topicEnv, { default: of.topic, pattern: /^[A-Za-z0-9._-]{1,249}$/ }),
    poolSize: setting.integer(`${of.envPrefix}_DB_POOL_SIZE`, { default: 20, min: 2, max: 200 }),
    relay: setting.boolean(`${of.envPrefix}_RELAY`, true),
  };
}

/** The service's pool on its database; a broken idle connection is replaced by the pool and never takes it down. */
export function consumingServicePool(config: ServiceConfig<{ database: string; poolSize: number }>): Pool {
  const pool = new Pool({
    connectionString: postgresDatabaseUrl(config.infra, config.settings.database),
    max: config.settings.poolSize,
  });
  pool.on('error', () => undefined);
  return pool;
}
