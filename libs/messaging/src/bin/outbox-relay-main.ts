/**
 * Runs one service database's outbox relay until SIGTERM/SIGINT.
 *
 *   ATTEST_RELAY_DATABASE  the service database (a name on ATTEST_POSTGRES_URL's server, or a postgres:// URL)
 *   ATTEST_EVENT_SOURCE    ce_source of events recorded before the store kept it, `/attest/<bounded-context>`
 *   ATTEST_EVENT_TYPES     optional JSON file: [{ storeType, streamType?, ceType, topic }] replacing the public
 *                          event catalog (@attest/event-contracts) of the context with that source for such events
 *   ATTEST_RELAY_BATCH_SIZE  optional: events per read and per Kafka batch (default 500)
 *   ATTEST_RELAY_PAUSE_AFTER_ACK  tests only: `1` pauses the relay after Kafka acknowledged its first batch and
 *                          before the checkpoint moves, printing `outbox relay paused after Kafka ack` and the
 *                          event ids, so a test can kill it exactly there
 *   plus ATTEST_KAFKA_BROKERS and ATTEST_POSTGRES_URL (platform-config).
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { EVENT_CONTEXTS, eventContexts } from '@attest/event-contracts';
import { PostgresEventStore } from '@attest/event-store';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';
import { catalogEventTypes } from '../catalog-event-types';
import { type EventTypeEntry, eventTypeRegistry, type EventTypeRegistry } from '../event-type-registry';
import { kafkaClient } from '../kafka-client';
import { errorFields, jsonLinesLogger as logger } from '../messaging-logger';
import { type AcknowledgedBatch, OutboxRelay } from '../outbox-relay';

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
    registry: registryFrom(env['ATTEST_EVENT_TYPES'], source),
    batchSize: env['ATTEST_RELAY_BATCH_SIZE'] ? Number(env['ATTEST_RELAY_BATCH_SIZE']) : undefined,
    logger,
    afterAck: env['ATTEST_RELAY_PAUSE_AFTER_ACK'] === '1' ? pauseOnce() : undefined,
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

/** Stops the relay for good after its first acknowledged batch, before its checkpoint moves (until killed). */
function pauseOnce(): (batch: AcknowledgedBatch) => Promise<void> {
  let paused = false;
  return async (batch) => {
    if (paused) return;
    paused = true;
    logger.info('outbox relay paused after Kafka ack', { eventIds: batch.eventIds });
    await new Promise<never>(() => undefined);
  };
}

/** The types of legacy events: the file's, else the catalog of the context with this source (none for another). */
function registryFrom(file: string | undefined, source: string): EventTypeRegistry | undefined {
  if (file) return eventTypeRegistry(readJson(file) as EventTypeEntry[]);
  const context = EVENT_CONTEXTS.find((c) => eventContexts[c].source === source);
  return context ? catalogEventTypes(context) : undefined;
}

main().catch((err) => {
  logger.error('outbox relay failed to start', errorFields(err));
  process.exit(1);
});
