import type { Admin } from 'kafkajs';
import { messagingSettings } from './messaging-settings';

/** Kafka topic names allow letters, digits, `.`, `_` and `-`, up to 249 characters. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/**
 * A consumer group's dead-letter topic: `attest.dlq.<group>`. The names of the public topics (`topicFor`) and of the
 * outbox dead-letter topic (`OUTBOX_DEAD_LETTER_TOPIC`) live with the contracts in `@attest/event-contracts`.
 */
export function deadLetterTopic(groupId: string): string {
  return assertTopicName(`attest.dlq.${groupId}`);
}

export function assertTopicName(topic: string): string {
  if (!TOPIC_NAME.test(topic) || topic === '.' || topic === '..')
    throw new TypeError(`'${topic}' is not a valid Kafka topic name`);
  return topic;
}

export interface EnsureTopicsOptions {
  partitions?: number;
  replicationFactor?: number;
}

/**
 * Creates the topics that do not exist yet (the broker does not auto-create them) and waits for their leaders.
 * Safe to call concurrently from several processes. Returns the topics it created.
 */
export async function ensureTopics(
  admin: Admin,
  topics: string[],
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  const settings = messagingSettings();
  const partitions = options.partitions ?? settings.topicPartitions;
  const replicationFactor = options.replicationFactor ?? settings.replicationFactor;
  const wanted = [...new Set(topics.map(assertTopicName))];
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t));
  if (missing.length === 0) return [];
  // Another process may create the same topics meanwhile; kafkajs treats "already exists" as "not created".
  // kafkajs's own wait for leaders fails outright when the broker it asks does not know the new topic yet
  // (UNKNOWN_TOPIC_OR_PARTITION); waitForMetadata retries until the deadline instead.
  await admin.createTopics({
    topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
    waitForLeaders: false,
  });
  await waitForMetadata(admin, missing);
  return missing;
}

/** Until every partition of the topics has a leader in the metadata, so the first produce does not fail. */
async function waitForMetadata(admin: Admin, topics: string[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      if (meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leaders yet`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
