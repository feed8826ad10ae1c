import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset (the next record it will read); null when it committed none yet. */
  committedOffset: number | null;
  /** The offset the next produced record will get. */
  highWatermark: number;
  /** Records the group has yet to read; from the log start when it committed nothing. */
  lag: number;
}

export interface ConsumerLagReport {
  groupId: string;
  partitions: PartitionLag[];
  total: number;
}

/**
 * How far a consumer group is behind, per partition. `topics` defaults to those the group committed offsets
 * for; pass them to see a group that has not committed anything yet.
 */
export async function consumerLag(
  admin: Admin,
  groupId: string,
  topics?: string[],
): Promise<ConsumerLagReport> {
  const committed = await admin.fetchOffsets(topics ? { groupId, topics } : { groupId });
  const partitions: PartitionLag[] = [];
  for (const { topic, partitions: offsets } of committed) {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p]));
    for (const { partition, offset } of offsets) {
      const end = ends.get(partition);
      if (!end) continue;
      const high = Number(end.high);
      const low = Number(end.low);
      const c = Number(offset);
      const committedOffset = c >= 0 ? c : null;
      partitions.push({
        topic,
        partition,
        committedOffset,
        highWatermark: high,
        lag: Math.max(0, high - Math.max(committedOffset ?? low, low)),
      });
    }
  }
  partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return { groupId, partitions, total: partitions.reduce((n, p) => n + p.lag, 0) };
}
