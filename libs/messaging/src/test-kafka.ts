import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { infraEndpoints } from '@attest/platform-config';
import { headersAsStrings } from './cloud-event-codec';

/** A record as a test sees it: strings throughout. */
export interface SeenRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** A kafkajs client for integration tests against the configured brokers, quiet unless something breaks. */
export function testKafka(clientId = 'attest-messaging-test'): Kafka {
  return new Kafka({ clientId, brokers: infraEndpoints().kafkaBrokers, logLevel: logLevel.NOTHING });
}

/** A topic name no other test (or test run) uses: `attest.<prefix><hex>.events.v1`. */
export function freshTopic(prefix = 'test'): string {
  return `attest.${prefix}${randomBytes(5).toString('hex')}.events.v1`;
}

export function freshName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Reads the topics from the beginning with a throwaway consumer group until `done(records)` holds, then leaves
 * and deletes the group.
 */
export async function readUntil(
  kafka: Kafka,
  topics: string[],
  done: (records: SeenRecord[]) => boolean,
  timeoutMs = 30_000,
): Promise<SeenRecord[]> {
  const groupId = freshName('attest-test-reader');
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  const records: SeenRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers: headersAsStrings(message.headers),
        });
      },
    });
    await waitFor(`records on ${topics.join(', ')} (have ${records.length})`, () => done(records), timeoutMs);
    return records;
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Deletes topics and groups a test made; never fails the test. */
export async function cleanUpKafka(kafka: Kafka, topics: string[], groups: string[] = []): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
    const existing = new Set(await admin.listTopics());
    const ours = topics.filter((t) => existing.has(t));
    if (ours.length) await admin.deleteTopics({ topics: ours }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
