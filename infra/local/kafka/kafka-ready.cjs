// Exits 0 when the broker answers a metadata request, so infra scripts wait on the server itself.
const { Kafka, logLevel } = require('kafkajs');

const broker = process.argv[2] ?? '127.0.0.1:9092';
const admin = new Kafka({
  clientId: 'attest-infra-ready',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
  connectionTimeout: 1000,
}).admin();

admin
  .connect()
  .then(() => admin.describeCluster())
  .then((cluster) => (cluster.brokers.length > 0 ? 0 : 1))
  .catch(() => 1)
  .then(async (code) => {
    await admin.disconnect().catch(() => undefined);
    process.exit(code);
  });
