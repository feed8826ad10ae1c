type Env = Record<string, string | undefined>;

export interface MessagingSettings {
  /** `ATTEST_KAFKA_REPLICATION_FACTOR`, default 1 (the local single broker). */
  replicationFactor: number;
  /** `ATTEST_KAFKA_TOPIC_PARTITIONS`, default 6. */
  topicPartitions: number;
  /**
   * `ATTEST_INBOX_RETENTION_DAYS`, default 14: how long a consumer keeps the ids of the events it handled. Longer than
   * the topics' retention (Kafka's default is 7 days), so no record still on a topic is handled twice.
   */
  inboxRetentionDays: number;
}

/** Topic settings that differ between the local broker and a cluster, from the environment. */
export function messagingSettings(env: Env = process.env): MessagingSettings {
  return {
    replicationFactor: positive(env, 'ATTEST_KAFKA_REPLICATION_FACTOR', 1),
    topicPartitions: positive(env, 'ATTEST_KAFKA_TOPIC_PARTITIONS', 6),
    inboxRetentionDays: positive(env, 'ATTEST_INBOX_RETENTION_DAYS', 14),
  };
}

function positive(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new TypeError(`${name} must be a positive integer, got '${raw}'`);
  return n;
}
