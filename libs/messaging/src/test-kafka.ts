// Kafka helpers for integration tests: `@attest/messaging/testing`, never part of the library's public barrel.
import { randomBytes } from 'node:crypto';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { infraEndpoints } from '@attest/platform-config';
import { headersAsStrings } from './cloud-event-codec';
import { ensureTopics } from './topics';

export * from './test-records';

/** A record as a test sees it: strings throughout. */
export interface SeenRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Per topic, the offset of each partition to read from (a topic absent here is read from its beginning). */
export type TopicOffsets = Record<string, { partition: number; offset: string }[]>;

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
 * Where each partition of the topics ends now: read from here to see only what is published after this call,
 * instead of re-reading a shared topic that grows with every run. A topic that does not exist yet is left out (read
 * from its beginning once it does).
 */
export async function topicEnds(kafka: Kafka, topics: string[]): Promise<TopicOffsets> {
  return withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const ends: TopicOffsets = {};
    for (const topic of topics.filter((t) => existing.has(t)))
      ends[topic] = (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({
        partition,
        offset: high,
      }));
    return ends;
  });
}

/**
 * Reads the topics with a throwaway consumer group (from `from`, else from the beginning) until `done(records)`
 * holds, then on to the end of every partition as it is at that moment, so a duplicate or an extra record published
 * before then is in the result too: assert the exact records, not "at least". Then leaves and deletes the group.
 */
export async function readUntil(
  kafka: Kafka,
  topics: string[],
  done: (records: SeenRecord[]) => boolean,
  timeoutMs = 30_000,
  options: { from?: TopicOffsets } = {},
): Promise<SeenRecord[]> {
  const groupId = freshName('attest-test-reader');
  const from = options.from ?? {};
  const records: SeenRecord[] = [];
  /** Per `topic:partition`, the offset of the next record this reader will see. */
  const next = new Map<string, number>();
  const admin = kafka.admin();
  await admin.connect();
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  try {
    for (const [topic, partitions] of Object.entries(from)) {
      await admin.setOffsets({ groupId, topic, partitions });
      for (const p of partitions) next.set(`${topic}:${p.partition}`, Number(p.offset));
    }
    // A service creates its topic with its first publish, which may be this very moment on a fresh broker:
    // subscribing before the topic has leaders fails, so make sure it exists (as the service would create it).
    await ensureTopics(admin, topics);
    await consumer.connect();
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
        next.set(`${topic}:${partition}`, Number(message.offset) + 1);
      },
    });
    await waitFor(`records on ${topics.join(', ')} (have ${records.length})`, () => done(records), timeoutMs);
    const ends: { key: string; high: number; low: number }[] = [];
    for (const topic of topics)
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic))
        ends.push({ key: `${topic}:${partition}`, high: Number(high), low: Number(low) });
    await waitFor(
      `the end of ${topics.join(', ')} (have ${records.length})`,
      () => ends.every(({ key, high, low }) => (next.get(key) ?? low) >= high),
      timeoutMs,
    );
    return records;
  } finally {
    await consumer.disconnect();
    await deleteGroups(admin, [groupId]);
    await admin.disconnect();
  }
}

/** Deletes topics and groups a test made; never fails the test. */
export async function cleanUpKafka(kafka: Kafka, topics: string[], groups: string[] = []): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    await deleteGroups(admin, groups);
    const existing = new Set(await admin.listTopics());
    const ours = topics.filter((t) => existing.has(t));
    if (ours.length) await admin.deleteTopics({ topics: ours }).catch(() => undefined);
  });
}

/**
 * Deletes consumer groups, retrying for a few seconds while the broker still counts a member that just left (a
 * group left behind by every run would pile up); gives up quietly after that.
 */
async function deleteGroups(admin: Admin, groups: string[]): Promise<void> {
  let left = groups;
  for (let attempt = 0; left.length && attempt < 20; attempt++) {
    if (attempt) await new Promise((r) => setTimeout(r, 250));
    try {
      await admin.deleteGroups(left);
      return;
    } catch (err) {
      const failed = (err as { groups?: { groupId: string; errorCode: number }[] }).groups;
      if (!failed) return;
      // GROUP_ID_NOT_FOUND (69): nothing to delete. Anything else (the group still has members) is retried.
      left = failed.filter((g) => g.errorCode !== 0 && g.errorCode !== 69).map((g) => g.groupId);
    }
  }
}

async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}
