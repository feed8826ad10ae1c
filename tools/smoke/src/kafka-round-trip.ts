import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

export interface KafkaRecordSeen {
  key: string;
  value: string;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

export interface KafkaRoundTripResult {
  topic: string;
  sent: number;
  received: KafkaRecordSeen[];
}

/**
 * Creates a fresh topic, produces keyed records with headers, and reads them back with a consumer group:
 * the whole path an Attest event takes between services.
 */
export async function kafkaRoundTrip(brokers: string[], count = 6): Promise<KafkaRoundTripResult> {
  const kafka = new Kafka({ clientId: 'attest-smoke', brokers, logLevel: logLevel.NOTHING });
  const topic = `attest.smoke.${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  const messages = Array.from({ length: count }, (_, i) => ({
    key: `aggregate-${i % 2}`,
    value: JSON.stringify({ seq: i }),
    headers: { ce_id: randomUUID(), ce_type: 'io.attest.smoke.pinged.v1' },
  }));
  await producer.send({ topic, messages });

  const groupId = `attest-smoke-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  const received: KafkaRecordSeen[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${received.length}/${count} records arrived`)),
        30_000,
      );
      consumer
        .run({
          eachMessage: async ({ message, partition }) => {
            received.push({
              key: message.key?.toString() ?? '',
              value: message.value?.toString() ?? '',
              headers: Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? '']),
              ),
              partition,
              offset: message.offset,
            });
            if (received.length === count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    // Nothing of a smoke run stays on the broker: its group would pile up with every run.
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
  return { topic, sent: count, received };
}
