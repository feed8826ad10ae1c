import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Admin, Kafka } from 'kafkajs';
import { consumerLag } from './consumer-lag';
import { ATTEST_PRODUCER_CONFIG } from './kafka-client';
import { lagMetrics } from './lag-metrics';
import { cleanUpKafka, freshName, freshTopic, testKafka } from './test-kafka';
import { ensureTopics } from './topics';

const ROOT = path.resolve(__dirname, '../../..');

describe('consumerLag (real Kafka)', () => {
  let kafka: Kafka;
  let admin: Admin;
  const topic = freshTopic('lag');
  const groupId = freshName('attest-test-lag');
  const N = 12;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic], { partitions: 3 });
    const producer = kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: N }, (_, i) => ({
        key: `stream-${i % 5}`,
        value: JSON.stringify({ i }),
      })),
    });
    await producer.disconnect();
  });
  afterAll(async () => {
    await admin.disconnect();
    await cleanUpKafka(kafka, [topic], [groupId]);
  });

  it('reports everything produced as lag for a group that consumed nothing', async () => {
    const report = await consumerLag(admin, groupId, [topic]);
    expect(report.total).toBe(N);
    expect(report.partitions).toHaveLength(3);
    expect(report.partitions.every((p) => p.committedOffset === null)).toBe(true);
    expect(report.partitions.reduce((n, p) => n + p.highWatermark, 0)).toBe(N);
    expect(report.partitions.map((p) => p.lag)).toEqual(report.partitions.map((p) => p.highWatermark));

    const metrics = lagMetrics(report);
    for (const p of report.partitions) {
      expect(metrics).toContain(
        `attest_consumer_lag{group="${groupId}",topic="${topic}",partition="${p.partition}"} ${p.lag}`,
      );
    }
    expect(metrics).toContain(`attest_consumer_lag_total{group="${groupId}"} ${N}`);
  });

  it('counts from the committed offset once the group has one', async () => {
    const before = await consumerLag(admin, groupId, [topic]);
    const [first] = before.partitions.filter((p) => p.highWatermark > 0);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: [{ partition: first.partition, offset: String(first.highWatermark - 1) }],
    });

    const after = await consumerLag(admin, groupId, [topic]);
    expect(after.partitions.find((p) => p.partition === first.partition)).toEqual({
      topic,
      partition: first.partition,
      committedOffset: first.highWatermark - 1,
      highWatermark: first.highWatermark,
      lag: 1,
    });
    expect(after.total).toBe(N - first.highWatermark + 1);
    // Without topics, the report covers what the group committed.
    expect((await consumerLag(admin, groupId)).partitions.map((p) => p.topic)).toContain(topic);
  });

  it('prints a table from the CLI', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', 'libs/messaging/src/bin/consumer-lag-main.ts', groupId, topic],
      { cwd: ROOT, env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' }, timeout: 30_000 },
    );
    expect(stdout).toMatch(/^TOPIC\s+PARTITION\s+COMMITTED\s+HIGH-WATERMARK\s+LAG$/m);
    expect(stdout).toMatch(new RegExp(`^${topic.replace(/\./g, '\\.')}\\s+\\d`, 'm'));
    expect(stdout).toMatch(new RegExp(`group ${groupId}: total lag \\d+`));
  });
});
