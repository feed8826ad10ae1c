/**
 * Runs one service database's outbox relay until SIGTERM/SIGINT.
 *
 *   ATTEST_RELAY_DATABASE  the service database (a name on ATTEST_POSTGRES_URL's server, or a postgres:// URL)
 *   ATTEST_EVENT_SOURCE    ce_source of its events, `/attest/<bounded-context>`
 *   ATTEST_EVENT_TYPES     optional JSON file: [{ storeType, streamType?, ceType, topic }] replacing the public
 *                          event catalog (@attest/event-contracts), for event types outside it (tests)
 *   ATTEST_EVENT_SCHEMAS   optional JSON file: { "<ceType>": <JSON Schema> } replacing the catalog's schemas;
 *                          invalid events are dead-lettered
 *   plus ATTEST_KAFKA_BROKERS and ATTEST_POSTGRES_URL (platform-config).
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { PostgresEventStore } from '@attest/event-store';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';
import { catalogEventTypes, catalogEventValidator } from '../catalog-event-types';
import { type EventTypeEntry, eventTypeRegistry, type EventTypeRegistry } from '../event-type-registry';
import { JsonSchemaEventValidator } from '../event-validator';
import { kafkaClient } from '../kafka-client';
import { errorFields, jsonLinesLogger as logger } from '../messaging-logger';
import { OutboxRelay } from '../outbox-relay';

async function main(): Promise<void> {
  const env = process.env;
  const endpoints = infraEndpoints(env);
  const database = required('ATTEST_RELAY_DATABASE');
  const source = required('ATTEST_EVENT_SOURCE');
  const url = /^postgres(ql)?:\/\//.test(database) ? database : postgresDatabaseUrl(endpoints, database);

  const pool = new Pool({ connectionString: url, max: 4 });
  // An idle connection that breaks is replaced by the pool; it must not take the process down.
  pool.on('error', (err) => logger.warn('idle PostgreSQL connection failed', errorFields(err)));
  await new PostgresEventStore(pool).migrate();

  const relay = new OutboxRelay({
    pool,
    kafka: kafkaClient({
      clientId: `attest-outbox-relay${source.replace(/\//g, '-')}`,
      brokers: endpoints.kafkaBrokers,
    }),
    source,
    registry: registryFrom(env['ATTEST_EVENT_TYPES']),
    validate: env['ATTEST_EVENT_SCHEMAS']
      ? new JsonSchemaEventValidator(readJson(env['ATTEST_EVENT_SCHEMAS']) as Record<string, object>, {
          unknownTypes: 'accept',
        }).validate
      : catalogEventValidator(),
    logger,
  });
  await relay.start();
  logger.info('outbox relay started', { database: database.replace(/\/\/[^@]*@/, '//'), source });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('outbox relay stopping', { signal, ...relay.stats() });
    await relay.stop();
    await pool.end();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function registryFrom(file: string | undefined): EventTypeRegistry {
  return file ? eventTypeRegistry(readJson(file) as EventTypeEntry[]) : catalogEventTypes();
}

main().catch((err) => {
  logger.error('outbox relay failed to start', errorFields(err));
  process.exit(1);
});
