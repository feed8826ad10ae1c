/**
 * Prints how far a consumer group is behind.
 *
 *   npm run kafka:lag -- <group-id> [topic ...] [--prometheus]
 *
 * Topics default to those the group has committed offsets for. Brokers from ATTEST_KAFKA_BROKERS.
 */
import { logLevel } from 'kafkajs';
import { consumerLag } from '../consumer-lag';
import { kafkaClient } from '../kafka-client';
import { lagMetrics, lagTable } from '../lag-metrics';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const prometheus = args.includes('--prometheus');
  const [groupId, ...topics] = args.filter((a) => !a.startsWith('--'));
  if (!groupId) {
    process.stderr.write('usage: npm run kafka:lag -- <group-id> [topic ...] [--prometheus]\n');
    return 2;
  }
  const admin = kafkaClient({ clientId: 'attest-kafka-lag', logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    const report = await consumerLag(admin, groupId, topics.length ? topics : undefined);
    if (report.partitions.length === 0) {
      process.stdout.write(`group ${groupId} has no committed offsets; name its topics to see its lag\n`);
      return 0;
    }
    process.stdout.write(prometheus ? lagMetrics(report) : lagTable(report));
    return 0;
  } finally {
    await admin.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`kafka:lag failed: ${err.message}\n`);
    process.exit(1);
  },
);
