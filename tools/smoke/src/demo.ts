import { DefaultLogger, Runtime } from '@temporalio/worker';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';
import { kafkaRoundTrip } from './kafka-round-trip';
import { postgresRoundTrip } from './postgres-round-trip';
import { temporalRoundTrip } from './temporal-round-trip';

/** `npm run demo`: one pass through every server Attest runs on, reported in plain words. */
async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const endpoints = infraEndpoints();

  const pg = await postgresRoundTrip(postgresDatabaseUrl(endpoints, 'attest_test'));
  console.log(
    `PostgreSQL ${pg.serverVersion}: wrote and read back ${pg.rows.length} JSONB rows in database ${pg.database}`,
  );

  const kafka = await kafkaRoundTrip(endpoints.kafkaBrokers);
  const partitions = new Set(kafka.received.map((r) => r.partition)).size;
  console.log(
    `Kafka ${endpoints.kafkaBrokers.join(',')}: produced ${kafka.sent} keyed records with CloudEvents headers to ` +
      `${kafka.topic}, consumed ${kafka.received.length} from ${partitions} partition(s) through a consumer group`,
  );

  const temporal = await temporalRoundTrip(endpoints.temporalAddress, endpoints.temporalNamespace);
  console.log(
    `Temporal ${endpoints.temporalAddress}: workflow ${temporal.workflowId} completed on a real worker ` +
      `(activity sha256 ${temporal.result.sha256.slice(0, 12)}...), found by AttestTenantId = '${temporal.tenantId}'`,
  );
  console.log(
    `Temporal UI: ${endpoints.temporalUiUrl}/namespaces/${endpoints.temporalNamespace}/workflows/${temporal.workflowId}`,
  );
  console.log(
    'Demo finished: Kafka, Temporal and PostgreSQL are up and working. Stop them with `npm run infra:down`.',
  );
}

main().catch((err: unknown) => {
  console.error('Demo failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
